// What a page costs a reader on the wire: every same-site file it requested while
// something ran, each gzipped (-6) as a static host would send it. Shared by the
// browser suite's weight test and the browser benchmark (bench/browser.mjs).
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'

/**
 * The workspace page's first load, all requests until the first verdict, at most this many
 * bytes gzip. The first checks bundle holds the core tasks' checks only; the deep tasks'
 * come in a second bundle once the core is green (site/workspace/deep-only.ts).
 */
export const WORKSPACE_FIRST_LOAD_MAX = 400 * 1024

export interface Weight {
  /** Bytes, gzip -6, summed over `files`. */
  gz: number
  /** Site files requested, relative to the site root. */
  files: string[]
}

/** The gzip -6 size of one file. */
export const gzipped = (file: string): number => gzipSync(readFileSync(file), { level: 6 }).length

/**
 * The files of `root` that `page` (and its workers) requested while `load` ran,
 * served from the cache or not. A folder's URL counts as its index.html.
 */
export async function weight(page: Page, root: string, load: () => Promise<void>): Promise<Weight> {
  const urls = new Set<string>()
  const onRequest = (r: { url(): string }) => void urls.add(r.url())
  page.on('request', onRequest)
  try {
    await load()
  } finally {
    page.off('request', onRequest)
  }
  return filesWeight(root, urls)
}

/**
 * A workspace page opened at `url`: what it requested until its first verdict was
 * shown (`first`), and what it fetched after, until it says it has everything
 * (`after`: the read-only code, the compiler a save needs, the zip code).
 */
export async function workspaceLoad(page: Page, root: string, url: string): Promise<{ first: Weight; after: Weight }> {
  const first = new Set<string>()
  const after = new Set<string>()
  let shown = false
  // Called from the page the moment the verdict panel gets its first run, before the
  // page goes on: the requests the browser reports after it came after it.
  await page.exposeBinding('katasFirstVerdict', () => void (shown = true))
  await page.addInitScript(() => {
    const w = window as unknown as { katasFirstVerdict(): void }
    const seen = new MutationObserver(() => {
      if (document.querySelector('.ws-verdict[data-run="1"]')) {
        seen.disconnect()
        w.katasFirstVerdict()
      }
    })
    seen.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-run'] })
  })
  const onRequest = (r: { url(): string }) => void (shown ? after : first).add(r.url())
  page.on('request', onRequest)
  try {
    await page.goto(url)
    await page.waitForSelector('.ws-verdict[data-run="1"]', { timeout: 60_000 })
    await page.waitForSelector('article.workspace[data-loaded="all"]', { timeout: 60_000 })
  } finally {
    page.off('request', onRequest)
  }
  return { first: filesWeight(root, first), after: filesWeight(root, after) }
}

function filesWeight(root: string, urls: Iterable<string>): Weight {
  let gz = 0
  const files: string[] = []
  for (const u of urls) {
    if (!u.startsWith('http')) continue
    let rel = decodeURIComponent(new URL(u).pathname).slice(1)
    if (rel === '' || rel.endsWith('/')) rel += 'index.html'
    const file = path.join(root, rel)
    if (!existsSync(file) || !statSync(file).isFile()) continue
    gz += gzipped(file)
    files.push(rel)
  }
  return { gz, files: files.sort() }
}
