// What the markdown plugins share: the build-wide context and the per-page env.
import type { CodeHighlighter } from './highlight.ts'

export interface RenderContext {
  highlighter: CodeHighlighter
  /** Folder of the lesson files; diagram paths are relative to it. */
  lessonsDir: string
  /** The API page of a workbook module (`dns/records.ts`), or undefined when it has none. */
  apiHref(modulePath: string): string | undefined
}

export interface OutlineItem {
  level: number
  slug: string
  text: string
}

/** markdown-it's `env` for one page: where the page came from, and what rendering it collected. */
export type PageEnv = {
  /** The lesson's path, for error messages. */
  file: string
  /** Lines before the body (front matter), added to token line numbers in errors. */
  bodyLine: number
  /** Prefix for URLs to other pages: '' for pages at the site root. */
  base: string
  /** Unique per page, so two inlined diagrams never share an SVG id. */
  idPrefix: string
  outline: OutlineItem[]
  /** Every id on the page, for the link check. */
  ids: Set<string>
  /** Every internal link the page makes (`05-dns.html#the-idea`), for the link check. */
  links: string[]
  /** The diagram frames the page draws, relative to the lessons folder (`05-dns/lookup-1.svg`). */
  diagrams: string[]
}

export function pageEnv(file: string, bodyLine = 0, idPrefix = 'p'): PageEnv {
  return { file, bodyLine, base: '', idPrefix, outline: [], ids: new Set(), links: [], diagrams: [] }
}
