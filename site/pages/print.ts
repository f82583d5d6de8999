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
    .replace(/<div class="step-svg" data-src="([^"]+)"><svg\b[^>]*\saria-label="([^"]*)"[\s\S]*?<\/svg><\/div>/g, '<div class="step-svg"><img src="diagrams/$1" alt="$2" loading="lazy"></div>')
    .replace(/<div class="code((?: [a-z-]+)*)"[^>]*>(<div class="code-head">[\s\S]*?<\/div>)<pre class="shiki"[^>]*><code>([\s\S]*?)<\/code><\/pre><\/div>/g, (_all, classes: string, head: string, code: string) =>
      `<div class="code${classes}">${head}<pre class="shiki">${plainCode(code)}</pre></div>`,
    )
    // On paper: no "#" links, no copy buttons or window dots, a file's name above its code.
    .replace(/<a class="anchor"[^>]*>#<\/a>/g, '')
    .replace(/<div class="code-head">(?:<span class="dots"[^>]*>(?:<i><\/i>)*<\/span>)?<span class="(?:code-title|code-lang)">([^<]*)<\/span>((?:<span class="badge[^"]*">[^<]*<\/span>)*)(?:<button class="copy"[^>]*>Copy<\/button>)?<\/div>/g, (_all, title: string, badges: string) =>
      title === 'Try it' || title === 'text' ? badges : `<p class="code-head">${title}${badges}</p>`,
    )
    .replace(/<aside class="callout([^"]*)" aria-label="[^"]*">/g, '<aside class="callout$1">')
    .replace(/<a href="(https?:[^"]*)" class="external" rel="noopener">/g, '<a class="external" href="$1">')
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
${lessonHeader(chapter)}
<div class="lesson-body">
${withFacts(printableLesson(chapter.kata.name, html), lessonFacts(chapter, apiHref, '', true))}
</div>
</article>`,
  )
  const toc = chapters.map(({ chapter }) => `<li><a href="#${chapter.kata.name}">${chapter.kata.id} ${escapeHtml(chapter.front.title)}</a></li>`)
  return `<div class="print-intro"><h1>All lessons</h1><p class="summary">Every lesson on one page, for reading offline or printing. <button type="button" class="button print-button">Print this page</button></p><ol class="print-toc">${toc.join('')}</ol></div>
${lessons.join('\n')}`
}

export const printPage: PageType = {
  name: 'print',
  pages: (site) => [
    {
      file: 'print.html',
      shell: { title: `All lessons · ${SITE_TITLE}`, description: 'Every lesson on one page.', href: 'print.html', main: printMain(site.rendered, site.apiHref), noindex: true, bodyClass: 'page-print' },
    },
  ],
}
