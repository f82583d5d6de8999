// The site's fixed settings, in one place: where it reads from and writes to,
// its name, and where "edit this page" points.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { KATAS_DIR, PACKAGE_ROOT, STUBS_DIR } from '../harness/paths.ts'

export const SITE_TITLE = 'Service Katas'
export const SITE_DESCRIPTION = 'Learn how Kubernetes Services work by building a faithful model of them.'

export const LESSONS_DIR = path.join(PACKAGE_ROOT, 'lessons')
export const SITE_OUT_DIR = path.join(PACKAGE_ROOT, 'build', 'site')
export const SCREENSHOTS_DIR = path.join(PACKAGE_ROOT, 'build', 'screenshots')
export const CACHE_DIR = path.join(PACKAGE_ROOT, 'build', '.cache')
export const ASSETS_SRC_DIR = path.join(PACKAGE_ROOT, 'site', 'assets')

export interface SiteOptions {
  lessonsDir: string
  katasDir: string
  /** The learner's API, rendered by typedoc; `undefined` skips the API pages. */
  stubsDir: string | undefined
  outDir: string
  /** `{path}` is replaced by the file's path from the project root; `undefined` hides the link. */
  editUrl: string | undefined
  /** Source files' paths in edit links are relative to this folder. */
  root: string
  /** Where highlighted code is kept between builds; undefined builds from scratch. */
  cacheDir?: string | undefined
}

/** `https://github.com/o/r/edit/main/{path}` from package.json's `repository`, when it names a GitHub repository. */
export function editUrlFromPackage(root = PACKAGE_ROOT): string | undefined {
  if (process.env.KATAS_EDIT_URL) return process.env.KATAS_EDIT_URL
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { repository?: string | { url?: string } }
    const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
    const m = url?.match(/github\.com[/:]([^/]+\/[^/.]+)/)
    return m ? `https://github.com/${m[1]}/edit/main/{path}` : undefined
  } catch {
    return undefined
  }
}

export function defaultOptions(): SiteOptions {
  return { lessonsDir: LESSONS_DIR, katasDir: KATAS_DIR, stubsDir: STUBS_DIR, outDir: SITE_OUT_DIR, editUrl: editUrlFromPackage(), root: PACKAGE_ROOT, cacheDir: CACHE_DIR }
}
