// Whether the built site is older than what it is built from. Kept apart from the
// generator so the CLI can ask without loading shiki, typedoc or esbuild.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { filesUnder } from '../harness/files.ts'
import type { SiteOptions } from './config.ts'

/** Written last by a build: its time is the build's. */
export const BUILD_STAMP = '.build-stamp'

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}

/** True when the site is missing or older than any file under `sources`. */
export function siteIsStale(options: Pick<SiteOptions, 'outDir'>, sources: string[]): boolean {
  const stamp = path.join(options.outDir, BUILD_STAMP)
  if (!existsSync(stamp)) return true
  const built = mtime(stamp)
  return sources.some((dir) => filesUnder(dir).some((f) => mtime(path.join(dir, f)) > built))
}
