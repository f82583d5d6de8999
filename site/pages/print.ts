// The all-in-one print page (mdBook's print.html): every lesson in course order,
// with ids prefixed by the lesson so anchors stay unique and links stay inside the page.
// Answers and lesson facts are open and every diagram frame shows: it is read on paper.
// Kept light for a phone that opens it: frames are images of the diagram files (copied
// to diagrams/ by the build) instead of inlined drawings, and code is plain text.
import type { Chapter } from '../book.ts'
import { SITE_TITLE } from '../config.ts'
import { escapeHtml } from '../html.ts'
import { lessonFacts, lessonHeader, withFacts } from './lesson.ts'
import type { PageType } from './page-type.ts'

/** Rewrites one lesson's HTML for the print page: heading ids and links to lessons become in-page anchors. */
export function printableLesson(name: string, html: string): string {
  return html
    .replace(/<(h[1-6]) id="([^"]+)"/g, `<$1 id="${name}--$2"`)
    .replace(/(<a\b[^>]*\bhref=")#([^"]+)"/g, `$1#${name}--$2"`)
    .replace(/(<a\b[^>]*\bhref=")(\d\d-[a-z0-9-]+)\.html(?:#([^"]*))?"/g, (_all, start: string, page: string, anchor?: string) => `${start}#${page}${anchor ? `--${anchor}` : ''}"`)
    .replace(/<details class="reveal">/g, '<details class="reveal" open>')
    // A frame is an image of its file, numbered by the list (site.css).
    .replace(/<div class="step-svg" data-src="([^"]+)"><svg\b[^>]*\saria-label="([^"]*)"[\s\S]*?<\/svg><\/div>/g, '<img src="diagrams/$1" alt="$2" loading="lazy">')
    .replace(/<li class="step">(<img [^>]*>)<p class="step-caption"><span class="step-num">\d+<\/span> /g, '<li>$1<p>')
    .replace(/<figure class="steps"><figcaption class="steps-title">/g, '<figure class="steps"><figcaption>')
    // On paper: a code block is one <pre>, its file's name above it; no copy button or window dots.
    .replace(/<div class="code((?: [a-z-]+)*)"[^>]*>(<div class="code-head">[\s\S]*?<\/div>)<pre class="shiki"[^>]*><code>([\s\S]*?)<\/code><\/pre><\/div>/g, (_all, classes: string, head: string, code: string) =>
      `${printedHead(head)}<pre${classes ? ` class="${classes.trim()}"` : ''}>${plainCode(code)}</pre>`,
    )
    // No "#" links, and no stepping: every frame shows.
    .replace(/<a class="anchor"[^>]*>#<\/a>/g, '')
    .replace(/<div class="steps-nav" hidden>[\s\S]*?<\/div>/g, '')
    // A callout's kind in bold, then its title, as its first paragraph (print.css); its body directly inside it.
    .replace(/<p class="callout-head"><span class="callout-kind">([^<]*)<\/span>(?:<span class="callout-title">([\s\S]*?)<\/span>)?<\/p><div class="callout-body">\n?/g, (_all, kind: string, title?: string) =>
      `<p><b>${kind}</b>${title ? ` ${title}` : ''}</p>`,
    )
    .replace(/<\/div><\/aside>/g, '</aside>')
    .replace(/<aside class="callout([^"]*)" aria-label="[^"]*">/g, '<aside class="callout$1">')
    // A module's name without its link to the API reference: that link is the lesson page's.
    .replace(/<a class="module-link" href="[^"]*">(<code>[^<]*<\/code>)<\/a>/g, '$1')
    // An outside link is marked by its href (site.css), on paper with the address after it.
    .replace(/<a href="(https?:[^"]*)" class="external" rel="noopener">/g, '<a href="$1">')
}

/** A code block's head on paper: the file's name and the block's badges, or nothing for a try-it block. */
function printedHead(head: string): string {
  const m = /<span class="(?:code-title|code-lang)">([^<]*)<\/span>((?:<span class="badge[^"]*">[^<]*<\/span>)*)/.exec(head)
  const title = m?.[1] === 'Try it' || m?.[1] === 'text' ? '' : (m?.[1] ?? '')
  const badges = m?.[2] ?? ''
  return title || badges ? `<p class="code-head">${title}${badges}</p>` : ''
}

/** Highlighted code as plain text: colours and a terminal's line marks go; a command keeps its `$ `. */
function plainCode(code: string): string {
  return code
    .replace(/<span class="prompt"[^>]*>\$ <\/span>/g, '$ ')
    .replace(/<span class="[^"]*">([^<]*)<\/span>/g, '$1')
    .replace(/<span class="(?:cmd|out)">([^<]*)<\/span>/g, '$1')
}

export function printMain(chapters: { chapter: Chapter; html: string }[], apiHref: (m: string) => string | undefined): string {
  const lessons = chapters.map(
    ({ chapter, html }) => `<article class="lesson print-lesson" id="${chapter.kata.name}" data-kata="${chapter.kata.id}">
${lessonHeader(chapter, undefined, true)}
<div class="lesson-body">
${withFacts(printableLesson(chapter.kata.name, html), lessonFacts(chapter, () => undefined, '', true))}
</div>
</article>`,
  )
  const toc = chapters.map(({ chapter }) => `<li><a href="#${chapter.kata.name}">${chapter.kata.id} ${escapeHtml(chapter.front.title)}</a></li>`)
  return compact(`<div class="print-intro"><h1>All lessons</h1><p class="summary">Every lesson on one page, for reading offline or printing. <button type="button" class="button print-button">Print this page</button></p><ol class="print-toc">${toc.join('')}</ol></div>
${lessons.join('\n')}`)
}

/** Block elements, between which a line break shows nothing. */
const BLOCK = 'p|div|li|ul|ol|table|thead|tbody|tr|td|th|h[1-6]|section|article|header|details|summary|aside|figure|figcaption|pre'

/**
 * The page without what only a reader of its source sees: line breaks between block
 * elements, and ids of headings nothing links to (on paper no heading has a "#" link).
 */
export function compact(html: string): string {
  const linked = new Set([...html.matchAll(/\shref="#([^"]+)"/g)].map((m) => m[1]))
  return html
    .replace(new RegExp(`(</?(?:${BLOCK})\\b[^>]*>)\\n+(?=</?(?:${BLOCK})\\b)`, 'g'), '$1')
    .replace(/(<h[2-6]) id="([^"]+)"/g, (all, tag: string, id: string) => (linked.has(id) ? all : tag))
}

export const printPage: PageType = {
  name: 'print',
  pages: (site) => [
    {
      file: 'print.html',
      shell: { title: `All lessons · ${SITE_TITLE}`, description: 'Every lesson on one page.', href: 'print.html', main: printMain(site.rendered, site.apiHref), noindex: true, bodyClass: 'page-print', styles: ['assets/print.css'] },
    },
  ],
}
