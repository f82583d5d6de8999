// The site generator's pipeline, in order (mdBook's driver, VitePress's markdown stage):
//   1. read the course order and the lessons (book.ts, frontmatter.ts)
//   2. render each lesson with markdown-it and the named plugins (markdown.ts)
//   3. write the pages of every page type (site/pages/): home, lessons, 404, print,
//      workspaces, and the files a page type's pages load (a workspace's checks)
//   4. check internal links and anchors
//   5. write the search index
//   6. bundle the browser assets
//   7. typedoc's API pages for stubs/
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { apiPath, buildApiDocs } from './api-docs.ts'
import { startAssets } from './assets-build.ts'
import { type Book, loadBook } from './book.ts'
import { ASSETS_SRC_DIR, type SiteOptions } from './config.ts'
import { pageEnv, type RenderContext } from './context.ts'
import { CodeHighlighter } from './highlight.ts'
import { unescapeTextQuotes } from './html.ts'
import { renderShell } from './layout.ts'
import { checkLinks, type BrokenLink } from './link-check.ts'
import { createMarkdownRenderer } from './markdown.ts'
import { PAGE_TYPES } from './pages/index.ts'
import type { RenderedChapter, SiteContext } from './pages/page-type.ts'
import { buildSearchIndex, type SearchSection, sectionsOf } from './search-index.ts'
import { STATIC_STATUS } from './status.ts'
import { filesUnder } from '../harness/files.ts'
import { BUILD_STAMP } from './stale.ts'

export interface BuildResult {
  pages: string[]
  lessons: number
  drafts: string[]
  broken: BrokenLink[]
  api: 'built' | 'fresh' | 'skipped'
  /** Seconds per stage, for `bench/site.mjs`. */
  timings: Record<string, number>
}

export type { RenderedChapter }

/** Clears the output folder but keeps `api/`, which is rebuilt only when the stubs change. */
function clean(outDir: string): void {
  mkdirSync(outDir, { recursive: true })
  for (const entry of readdirSync(outDir)) if (entry !== 'api') rmSync(path.join(outDir, entry), { recursive: true, force: true })
}

export async function buildSite(options: SiteOptions): Promise<BuildResult> {
  const timings: Record<string, number> = {}
  let t = performance.now()
  const lap = (stage: string) => {
    const now = performance.now()
    timings[stage] = (now - t) / 1000
    t = now
  }

  const highlighter = await CodeHighlighter.create([], options.cacheDir ? path.join(options.cacheDir, 'highlight.json') : undefined)
  // The browser scripts depend on no page: esbuild bundles them in its own process meanwhile (6).
  const assets = startAssets(ASSETS_SRC_DIR, options.cacheDir !== undefined)

  // 1. the course order and the lessons
  const book: Book = loadBook(options.katasDir, options.lessonsDir, options.root)
  const withApi = options.stubsDir !== undefined
  const stubFiles = new Set(withApi ? filesUnder(options.stubsDir!) : [])
  const apiHref = (modulePath: string) => (stubFiles.has(modulePath) ? apiPath(modulePath) : undefined)
  lap('read')

  // 2. render
  // Parse first, so the highlighter loads only the grammars the fences use.
  const context: RenderContext = { highlighter, lessonsDir: options.lessonsDir, apiHref }
  const md = createMarkdownRenderer(context)
  const parsed = book.chapters.map((chapter) => {
    const env = pageEnv(chapter.source, chapter.bodyLine, chapter.kata.id)
    return { chapter, env, tokens: md.parse(chapter.body, env) }
  })
  // The search index needs the tokens only.
  const sections: SearchSection[] = parsed.flatMap(({ chapter, tokens }) => {
    const intro = [chapter.front.summary ?? '', ...(chapter.front.objectives ?? [])].join(' ')
    return sectionsOf(tokens, chapter.href, chapter.front.title, intro, chapter.kata.id)
  })
  const searchIndex = buildSearchIndex(sections)
  await highlighter.prepare(
    parsed.flatMap(({ tokens }) => tokens.filter((t) => t.type === 'fence').map((t) => ({ code: t.content.replace(/\n$/, ''), lang: t.info.trim().split(/\s+/)[0] ?? '' }))),
  )
  lap('parse+search+grammars')
  const rendered: RenderedChapter[] = parsed.map(({ chapter, env, tokens }) => ({ chapter, html: md.renderer.render(tokens, md.options, env), env }))
  lap('render')

  // 3. pages
  clean(options.outDir)
  const pages: string[] = []
  const site: SiteContext = { book, rendered, options, apiHref, withApi }
  for (const type of PAGE_TYPES) {
    for (const page of type.pages(site)) {
      writeFileSync(path.join(options.outDir, page.file), unescapeTextQuotes(renderShell(book, page.shell, withApi)))
      pages.push(page.file)
    }
  }
  lap('pages')
  // 3b. what some kinds of page load besides the shared assets (a kata's workspace: its checks)
  for (const type of PAGE_TYPES) if (type.files) await type.files(site, options.outDir)
  lap('page files')

  // 4. links
  const broken = checkLinks(rendered)
  lap('links')

  // 5. search index (made in 2); status.json is replaced by the live status when served (server.ts),
  // a static host serves this one.
  writeFileSync(path.join(options.outDir, 'search-index.json'), searchIndex)
  writeFileSync(path.join(options.outDir, 'status.json'), JSON.stringify(STATIC_STATUS))
  // The diagram files, for the print page's images.
  for (const rel of new Set(rendered.flatMap(({ env }) => env.diagrams))) {
    mkdirSync(path.dirname(path.join(options.outDir, 'diagrams', rel)), { recursive: true })
    copyFileSync(path.join(options.lessonsDir, rel), path.join(options.outDir, 'diagrams', rel))
  }
  lap('search')

  // 6. assets
  await assets.finish(options.outDir, highlighter.css())
  highlighter.saveCache()
  highlighter.dispose()
  lap('assets')

  // 7. API pages
  let api: BuildResult['api'] = 'skipped'
  if (withApi) api = await buildApiDocs(options.stubsDir!, path.join(options.outDir, 'api'), book)
  else rmSync(path.join(options.outDir, 'api'), { recursive: true, force: true })
  lap('api')

  writeFileSync(path.join(options.outDir, BUILD_STAMP), new Date().toISOString())
  return { pages, lessons: book.chapters.length, drafts: book.drafts.map((k) => k.name), broken, api, timings }
}
