// The pages' main content: a lesson (header with its front matter, body, pager),
// the home page, the all-in-one print page and the 404 page.
import type { Book, Chapter } from './book.ts'
import { SITE_DESCRIPTION, SITE_TITLE } from './config.ts'
import { escapeHtml } from './html.ts'

/** Front matter text with its `code` spans: the only inline markup a summary needs. */
export function inlineText(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')
}

/** `kubernetes/kubernetes@v1.34.0:pkg/x.go` → its GitHub URL at that tag. */
export function mirrorUrl(mirror: string): string | undefined {
  const m = /^([\w.-]+\/[\w.-]+)@([^:]+):(.+)$/.exec(mirror)
  return m ? `https://github.com/${m[1]}/blob/${m[2]}/${m[3]}` : undefined
}

export interface LessonParts {
  chapter: Chapter
  html: string
  prev: Chapter | undefined
  next: Chapter | undefined
  editUrl: string | undefined
  apiHref: (modulePath: string) => string | undefined
  base?: string
}

export function lessonHeader(chapter: Chapter, apiHref: (m: string) => string | undefined, base = '', headingId?: string): string {
  const { front, kata } = chapter
  const facts = [`Lesson ${kata.id}`, front.time ? `${front.time} min` : '', `${kata.tasks.length} task${kata.tasks.length === 1 ? '' : 's'}`].filter(Boolean)
  const modules = front.modules ?? kata.modules
  const mirrors = front.mirrors ?? kata.mirrors
  const objectives = front.objectives ?? []
  const moduleItems = modules.map((m) => {
    const href = apiHref(m)
    const code = `<code>${escapeHtml(m)}</code>`
    return `<li>${href ? `<a href="${base}${href}">${code}</a>` : code}</li>`
  })
  const mirrorItems = mirrors.map((m) => {
    const url = mirrorUrl(m)
    // Long source paths may wrap after a slash, never inside a file name.
    const text = `<code>${escapeHtml(m.replace(/^[^:]*:/, '')).replaceAll('/', '/<wbr>')}</code>`
    return `<li>${url ? `<a class="external" rel="noopener" href="${escapeHtml(url)}">${text}</a>` : text}</li>`
  })
  return `<header class="lesson-head">
<p class="eyebrow">${facts.map(escapeHtml).join('<span aria-hidden="true"> · </span>')}</p>
<h1${headingId ? ` id="${headingId}"` : ''}>${escapeHtml(front.title)}</h1>
${front.summary ? `<p class="summary">${inlineText(front.summary)}</p>` : ''}
<p class="kata-status" data-kata="${kata.id}" hidden></p>
<div class="lesson-facts">
${objectives.length ? `<section class="facts-box objectives"><h2 class="facts-title">You will be able to</h2><ul>${objectives.map((o) => `<li>${inlineText(o)}</li>`).join('')}</ul></section>` : ''}
<section class="facts-box modules"><h2 class="facts-title">You edit</h2><ul>${moduleItems.join('')}</ul><h2 class="facts-title">It mirrors</h2><ul class="mirrors">${mirrorItems.join('')}</ul></section>
</div>
</header>`
}

export function lessonMain(p: LessonParts): string {
  const base = p.base ?? ''
  const pager = [
    p.prev
      ? `<a class="pager-prev" rel="prev" href="${base}${p.prev.href}" aria-keyshortcuts="ArrowLeft"><span class="pager-label">← Previous</span><span class="pager-title">${escapeHtml(p.prev.front.title)}</span></a>`
      : '<span></span>',
    p.next
      ? `<a class="pager-next" rel="next" href="${base}${p.next.href}" aria-keyshortcuts="ArrowRight"><span class="pager-label">Next →</span><span class="pager-title">${escapeHtml(p.next.front.title)}</span></a>`
      : '<span></span>',
  ].join('')
  const edit = p.editUrl ? `<a class="edit-link" rel="noopener" href="${escapeHtml(p.editUrl.replace('{path}', p.chapter.source))}">Edit this page</a>` : ''
  return `<article class="lesson" data-kata="${p.chapter.kata.id}">
${lessonHeader(p.chapter, p.apiHref, base)}
<div class="lesson-body">
${p.html}
</div>
<footer class="lesson-foot">
<p class="foot-meta">${edit}<span class="source">Source: <code>${escapeHtml(p.chapter.source)}</code></span></p>
<nav class="pager" aria-label="Previous and next lesson">${pager}</nav>
</footer>
</article>`
}

export function homeMain(book: Book): string {
  const first = book.chapters[0]
  const cards = [...book.chapters.map((c) => ({ kata: c.kata, chapter: c as Chapter | undefined })), ...book.drafts.map((k) => ({ kata: k, chapter: undefined }))]
    .sort((a, b) => a.kata.id.localeCompare(b.kata.id))
    .map(({ kata, chapter }) => {
      const title = escapeHtml(chapter?.front.title ?? kata.title)
      const summary = inlineText(chapter?.front.summary ?? '')
      const head = chapter ? `<a href="${chapter.href}">${title}</a>` : `${title} <span class="badge">not written yet</span>`
      return `<li class="card${chapter ? '' : ' card-draft'}"><span class="num">${kata.id}</span><h2 class="card-title">${head}<span class="mark" data-kata="${kata.id}" aria-hidden="true"></span></h2>${summary ? `<p>${summary}</p>` : ''}</li>`
    })
  return `<article class="home">
<header class="lesson-head"><p class="eyebrow">A test-driven workbook</p><h1>${SITE_TITLE}</h1><p class="summary">${escapeHtml(SITE_DESCRIPTION)}</p>
${first ? `<p><a class="button" href="${first.href}">Start with ${escapeHtml(first.front.title)} →</a></p>` : '<p>No lesson is written yet.</p>'}
</header>
<ol class="cards">${cards.join('')}</ol>
</article>`
}

export function notFoundMain(book: Book): string {
  const first = book.chapters[0]
  return `<article class="not-found">
<p class="eyebrow">404</p>
<h1>This page does not exist</h1>
<p class="summary">The lesson may have been renamed. Pick one from the list, search with <kbd>/</kbd>, or go back to the <a href="index.html">start page</a>.</p>
${first ? `<p><a class="button" href="${first.href}">Go to ${escapeHtml(first.front.title)}</a></p>` : ''}
</article>`
}
