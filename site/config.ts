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

/**
 * `https://github.com/o/r/edit/main/{path}` from package.json's `repository`, or else from
 * the checkout's `origin` remote (a learner's or instructor's fork), when it is on GitHub.
 */
export function editUrlFromPackage(root = PACKAGE_ROOT): string | undefined {
  if (process.env.KATAS_EDIT_URL) return process.env.KATAS_EDIT_URL
  const github = (url: string | undefined) => url?.match(/github\.com[/:]([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/)?.[1]
  let repo: string | undefined
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { repository?: string | { url?: string } }
    repo = github(typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url)
  } catch {
    repo = undefined
  }
  if (!repo) {
    try {
      const origin = readFileSync(path.join(root, '.git', 'config'), 'utf8').split(/^\[/m).find((s) => s.startsWith('remote "origin"]'))
      repo = github(origin?.match(/^\s*url\s*=\s*(\S+)/m)?.[1])
    } catch {
      repo = undefined
    }
  }
  return repo ? `https://github.com/${repo}/edit/main/{path}` : undefined
}

export function defaultOptions(): SiteOptions {
  return { lessonsDir: LESSONS_DIR, katasDir: KATAS_DIR, stubsDir: STUBS_DIR, outDir: SITE_OUT_DIR, editUrl: editUrlFromPackage(), root: PACKAGE_ROOT, cacheDir: CACHE_DIR }
}
