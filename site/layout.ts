// The page shell every page shares: head with the CSP, top bar, sidebar in course
// order, the content, the outline, and the search dialog. Plain HTML, no inline
// scripts or styles.
import type { Book, Chapter } from './book.ts'
import { SITE_TITLE } from './config.ts'
import type { OutlineItem } from './context.ts'
import { cspMeta } from './csp.ts'
import { escapeHtml } from './html.ts'

export interface PageShell {
  title: string
  description: string
  /** The page's own file name, for the sidebar's current mark. */
  href: string
  /** Prefix from this page to the site root: '' or '../'. */
  base?: string
  main: string
  outline?: OutlineItem[]
  prev?: Chapter | undefined
  next?: Chapter | undefined
  /** Adds `<meta name="robots" content="noindex">` (404, print). */
  noindex?: boolean
  bodyClass?: string
  /** Stylesheets of this kind of page, after site.css: `assets/home.css`. */
  styles?: string[]
  /** Module scripts of this kind of page, after site.js: `assets/workspace.js`. */
  modules?: string[]
  /** The page's Content-Security-Policy when it is not the site's (csp.ts). */
  csp?: Record<string, string>
}

const ICONS = {
  menu: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18"/></svg>',
  search: '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/></svg>',
  sun: '<svg class="icon-sun" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="4"/><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"/></svg>',
  moon: '<svg class="icon-moon" viewBox="0 0 24 24" aria-hidden="true"><path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"/></svg>',
  print: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 9V3h12v6M6 18H4a2 2 0 0 1-2-2v-5a2 2 0 0 1 2-2h16a2 2 0 0 1 2 2v5a2 2 0 0 1-2 2h-2M6 14h12v7H6z"/></svg>',
  api: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="m8 6-6 6 6 6M16 6l6 6-6 6"/></svg>',
}

/** The lessons in course order; where progress is served, status.js adds each one's mark. */
export function sidebar(book: Book, current: string, base: string, withApi: boolean): string {
  const ids = new Map(book.chapters.map((c) => [c.kata.id, c]))
  const all = [...book.chapters.map((c) => c.kata), ...book.drafts].sort((a, b) => a.id.localeCompare(b.id))
  const items = all.map((kata) => {
    const chapter = ids.get(kata.id)
    const num = `<span class="num">${kata.id}</span>`
    if (!chapter) return `<li class="draft"><span class="nav-item" title="This lesson is not written yet">${num}<span class="nav-title">${escapeHtml(kata.title)}</span></span></li>`
    const here = chapter.href === current ? ' aria-current="page"' : ''
    return `<li><a class="nav-item" href="${base}${chapter.href}"${here}>${num}<span class="nav-title">${escapeHtml(chapter.front.title)}</span></a></li>`
  })
  const extra = [
    `<li><a class="nav-extra" href="${base}print.html">${ICONS.print}All lessons on one page</a></li>`,
    withApi ? `<li><a class="nav-extra" href="${base}api/index.html">${ICONS.api}API reference</a></li>` : '',
  ].join('')
  return `<nav class="sidebar" id="sidebar" aria-label="Lessons"><p class="sidebar-head">Lessons</p><ol class="nav-list">${items.join('')}</ol><ul class="nav-extras">${extra}</ul></nav>`
}

/** The outline's frame: site.js fills it from the page's own headings (only wide screens show it). */
function outlineNav(outline: OutlineItem[]): string {
  if (outline.length === 0) return ''
  return '<aside class="outline" aria-labelledby="outline-title" hidden><p class="outline-title" id="outline-title">On this page</p><ol></ol></aside>'
}

export function renderShell(book: Book, page: PageShell, withApi: boolean): string {
  const base = page.base ?? ''
  const rel = [
    page.prev ? `<link rel="prev" href="${base}${page.prev.href}">` : '',
    page.next ? `<link rel="next" href="${base}${page.next.href}">` : '',
  ].join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${cspMeta(page.csp)}">
<title>${escapeHtml(page.title)}</title>
<meta name="description" content="${escapeHtml(page.description)}">
${page.noindex ? '<meta name="robots" content="noindex">\n' : ''}<meta name="color-scheme" content="light dark">
<link rel="icon" href="${base}assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${base}assets/site.css">
${(page.styles ?? []).map((href) => `<link rel="stylesheet" href="${base}${href}">\n`).join('')}<script src="${base}assets/site.js"></script>
${(page.modules ?? []).map((src) => `<script type="module" src="${base}${src}"></script>\n`).join('')}${rel}
</head>
<body class="${page.bodyClass ?? ''}" data-base="${base}">
<a class="skip-link" href="#content">Skip to content</a>
<header class="topbar">
<button class="icon-button menu-button" type="button" aria-controls="sidebar" aria-expanded="false" aria-label="Show the lessons">${ICONS.menu}</button>
<a class="brand" href="${base}index.html"><span class="brand-mark" aria-hidden="true">⎈</span>${SITE_TITLE}</a>
<button class="search-button" type="button" aria-label="Search the lessons" aria-keyshortcuts="/">${ICONS.search}<span class="search-label">Search</span><kbd>/</kbd></button>
<button class="icon-button theme-toggle" type="button" aria-label="Dark theme" aria-pressed="false">${ICONS.moon}${ICONS.sun}</button>
</header>
<div class="layout">
${sidebar(book, page.href, base, withApi)}
<main id="content" tabindex="-1">
${page.main}
</main>
${outlineNav(page.outline ?? [])}
</div>
<dialog class="search-dialog" aria-label="Search the lessons">
<form method="dialog" class="search-form" role="search"><label class="visually-hidden" for="search-input">Search the lessons</label>${ICONS.search}<input id="search-input" type="search" placeholder="Search the lessons" autocomplete="off" spellcheck="false" aria-controls="search-results" aria-describedby="search-count"><button class="search-close" type="submit">Close<kbd aria-hidden="true">Esc</kbd></button></form>
<p class="search-count" id="search-count" aria-hidden="true"></p><p class="search-status visually-hidden" role="status"></p>
<ul id="search-results" class="search-results" aria-label="Results"></ul>
</dialog>
</body>
</html>
`
}
