// The 404 page. A host serves it for any missing URL, at any depth, so its links
// start from the site's base path (SiteOptions.basePath) instead of the page's own URL.
import type { Book } from '../book.ts'
import { SITE_TITLE } from '../config.ts'
import { escapeHtml } from '../html.ts'
import type { PageType } from './page-type.ts'

export function notFoundMain(book: Book, base: string): string {
  const first = book.chapters[0]
  return `<article class="not-found">
<p class="eyebrow">404</p>
<h1>This page does not exist</h1>
<p class="summary">The lesson may have been renamed. Pick one from the list, search with <kbd>/</kbd>, or go back to the <a href="${base}index.html">start page</a>.</p>
${first ? `<p><a class="button" href="${base}${first.href}">Go to ${escapeHtml(first.front.title)}</a></p>` : ''}
</article>`
}

export const notFoundPage: PageType = {
  name: '404',
  pages: (site) => {
    const base = site.options.basePath ?? '/'
    return [
      {
        file: '404.html',
        shell: { title: `Page not found · ${SITE_TITLE}`, description: 'This page does not exist.', href: '404.html', base, main: notFoundMain(site.book, base), noindex: true },
      },
    ]
  },
}
