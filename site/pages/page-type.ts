// The site's kinds of page. A build renders the lessons once, then asks each page type
// for its pages; a new kind of page (a kata's workspace, say) is one more entry in
// PAGE_TYPES (site/pages/index.ts), with no change to the pipeline.
import type { Book, Chapter } from '../book.ts'
import type { SiteOptions } from '../config.ts'
import type { PageEnv } from '../context.ts'
import type { PageShell } from '../layout.ts'

export interface RenderedChapter {
  chapter: Chapter
  html: string
  env: PageEnv
}

/** What every page type may draw on: the course, the rendered lessons, the options. */
export interface SiteContext {
  book: Book
  rendered: RenderedChapter[]
  options: SiteOptions
  /** The API page of a workbook module, or undefined when it has none. */
  apiHref(modulePath: string): string | undefined
  withApi: boolean
}

export interface SitePage {
  /** The file in the site: `05-dns.html`. */
  file: string
  shell: PageShell
}

export interface PageType {
  name: string
  pages(site: SiteContext): SitePage[]
  /** Files its pages load besides the shared assets, written under `outDir`; returns their paths. */
  files?(site: SiteContext, outDir: string): Promise<string[]>
}
