// A lesson's page: its header (number, time, tasks, title, summary, the learner's
// status), the opening, then its front matter folded away — goals, the files the
// learner edits, the Kubernetes files it mirrors — so the prose starts on the first
// screen, then the rest of the body and the pager.
import type { Chapter } from '../book.ts'
import { SITE_TITLE } from '../config.ts'
import { tasksOf } from '../../harness/course.ts'
import { escapeHtml } from '../html.ts'
import type { PageType, SiteContext } from './page-type.ts'
import { workspaceLink } from './workspace.ts'

/** Front matter text with its `code` spans: the only inline markup a summary needs. */
export function inlineText(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')
}

/** `kubernetes/kubernetes@v1.34.0:pkg/x.go` → its GitHub URL at that tag. */
export function mirrorUrl(mirror: string): string | undefined {
  const m = /^([\w.-]+\/[\w.-]+)@([^:]+):(.+)$/.exec(mirror)
  return m ? `https://github.com/${m[1]}/blob/${m[2]}/${m[3]}` : undefined
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The lesson's number, time and tasks, title and summary; on a lesson page, the box its progress fills. */
export function lessonHeader(chapter: Chapter, headingId?: string, print = false): string {
  const { front, kata } = chapter
  const facts = [`Lesson ${kata.id}`, front.time ? `${front.time} min` : '', plural(tasksOf(kata, 'core').length, 'task')].filter(Boolean)
  return `<header class="lesson-head">
<p class="eyebrow">${facts.map(escapeHtml).join('<span aria-hidden="true"> · </span>')}</p>
<h1${headingId ? ` id="${headingId}"` : ''}>${escapeHtml(front.title)}</h1>
${front.summary ? `<p class="summary">${inlineText(front.summary)}</p>` : ''}
${print ? '' : `<p class="kata-status" data-kata="${kata.id}" hidden></p>
`}</header>`
}

/** The front matter's lists, in a disclosure: what the reader will be able to do, edits, and reads in Kubernetes. */
export function lessonFacts(chapter: Chapter, apiHref: (m: string) => string | undefined, base = '', print = false): string {
  const { front, kata } = chapter
  const modules = front.modules ?? kata.modules
  const mirrors = front.mirrors ?? kata.mirrors
  const objectives = front.objectives ?? []
  const deep = tasksOf(kata, 'deep').length
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
  const deepNote = deep ? `<p class="facts-note">The deep track adds ${plural(deep, 'task')}: <code>katas deep ${kata.id}</code>.</p>` : ''
  // On paper the goals and files stay; the links to Kubernetes' sources and to the API reference are the lesson page's.
  const mirrorList = print ? '' : `<h2 class="facts-title">It mirrors</h2><ul class="mirrors">${mirrorItems.join('')}</ul>`
  return `<details class="lesson-facts"${print ? ' open' : ''}><summary>Goals, the files you edit${print ? '' : ', the Kubernetes code it mirrors'}</summary><div class="facts">
${objectives.length ? `<section><h2 class="facts-title">You will be able to</h2><ul>${objectives.map((o) => `<li>${inlineText(o)}</li>`).join('')}</ul></section>` : ''}
<section><h2 class="facts-title">You edit</h2><ul>${moduleItems.join('')}</ul>${deepNote}${mirrorList}</section>
</div></details>`
}

/** The body with the facts after its opening: the text before the first `##` heading. */
export function withFacts(html: string, facts: string): string {
  const at = html.search(/<h2[\s>]/)
  return at < 0 ? `${html}\n${facts}` : `${html.slice(0, at)}${facts}\n${html.slice(at)}`
}

export interface LessonParts {
  chapter: Chapter
  html: string
  prev: Chapter | undefined
  next: Chapter | undefined
  editUrl: string | undefined
  apiHref: (modulePath: string) => string | undefined
  base?: string
  /** Link to the kata's workspace page (on unless the site is built without them). */
  workspace?: boolean
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
${lessonHeader(p.chapter)}
${p.workspace === false ? '' : workspaceLink(p.chapter)}
<div class="lesson-body">
${withFacts(p.html, lessonFacts(p.chapter, p.apiHref, base))}
</div>
<footer class="lesson-foot">
<p class="foot-meta">${edit}<span class="source">Source: <code>${escapeHtml(p.chapter.source)}</code></span></p>
<nav class="pager" aria-label="Previous and next lesson">${pager}</nav>
</footer>
</article>`
}

export const lessonPages: PageType = {
  name: 'lessons',
  pages: (site: SiteContext) =>
    site.rendered.map(({ chapter, html, env }, i) => {
      const prev = site.book.chapters[i - 1]
      const next = site.book.chapters[i + 1]
      const main = lessonMain({ chapter, html, prev, next, editUrl: site.options.editUrl, apiHref: site.apiHref, workspace: site.options.workspace !== false })
      return {
        file: chapter.href,
        shell: { title: `${chapter.kata.id} ${chapter.front.title} · ${SITE_TITLE}`, description: chapter.front.summary ?? chapter.kata.title, href: chapter.href, main, outline: env.outline, prev, next },
      }
    }),
}
