// Serving the lessons to the learner: build the site when it is missing or older
// than its sources, then serve it with the workspace's live check status.
// Used by `katas serve` and by watch mode (`npm start`).
import { statSync } from 'node:fs'
import path from 'node:path'
import type { Kata } from '../harness/course.ts'
import { KATAS_DIR, PACKAGE_ROOT } from '../harness/paths.ts'
import { ASSETS_SRC_DIR, defaultOptions, type SiteOptions } from './config.ts'
import { siteIsStale } from './stale.ts'
import { type SiteServer, serveSite } from './server.ts'
import { readStatus } from './status.ts'

export const DEFAULT_PORT = 4300

/** What the site is built from: a change to any of these makes it stale. */
export function siteSources(options: SiteOptions): string[] {
  return [options.lessonsDir, KATAS_DIR, ASSETS_SRC_DIR, path.join(PACKAGE_ROOT, 'site', 'fixtures'), path.join(PACKAGE_ROOT, 'site', 'screens'), ...(options.stubsDir ? [options.stubsDir] : [])]
}

/** Serves on `port`; when it is taken and `fallback` is set, on any free port. */
export async function startSite(katas: readonly Kata[], ws: string, port: number, fallback: boolean, options = defaultOptions()): Promise<SiteServer> {
  const status = () => readStatus(katas, ws)
  try {
    return await serveSite(options.outDir, port, status)
  } catch (err) {
    if (fallback && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') return serveSite(options.outDir, 0, status)
    throw err
  }
}

/** The page to open first: the current kata's lesson when it exists, else the home page. */
export function lessonUrl(base: string, katas: readonly Kata[], ws: string, options = defaultOptions()): string {
  const current = readStatus(katas, ws).current
  const kata = katas.find((k) => k.id === current)
  return kata && !siteIsStale(options, []) && existsPage(options.outDir, `${kata.name}.html`) ? `${base}${kata.name}.html` : base
}

function existsPage(outDir: string, page: string): boolean {
  try {
    return statSync(path.join(outDir, page)).isFile()
  } catch {
    return false
  }
}
