// The site's fixed settings, in one place: where it reads from and writes to,
// its name, and where "edit this page" points.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { KATAS_DIR, PACKAGE_ROOT, STUBS_DIR } from '../harness/paths.ts'
import { SiteError } from './errors.ts'

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
  /** `{path}` is replaced by a file's path: links to files that are not pages (docs/workshop.md). */
  blobUrl?: string | undefined
  /** Source files' paths in edit links are relative to this folder. */
  root: string
  /** Where highlighted code is kept between builds; undefined builds from scratch. */
  cacheDir?: string | undefined
  /**
   * The URL path the site is served under (`/service-katas/` on a project's GitHub Pages,
   * `/` by `katas serve`). Every page links relatively, so only 404.html needs it: a host
   * serves that one page for a missing URL at any depth.
   */
  basePath?: string | undefined
  /** Each kata's workspace page (the kata done in the browser); on unless `false`. */
  workspace?: boolean
}

/** `service-katas` or `/service-katas` → `/service-katas/`; empty → `/`. */
export function normalizeBasePath(base: string): string {
  const trimmed = base.trim().replace(/^\/+|\/+$/g, '')
  if (/[\s"'<>?#]/.test(trimmed)) throw new Error(`expected a URL path such as /service-katas/, got ${JSON.stringify(base)}`)
  return trimmed ? `/${trimmed}/` : '/'
}

/** `owner/repo` on GitHub from package.json's `repository`, or else from the checkout's `origin` remote. */
export function githubRepo(root = PACKAGE_ROOT): string | undefined {
  const github = (url: string | undefined) => url?.match(/github\.com[/:]([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/)?.[1]
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { repository?: string | { url?: string } }
    const repo = github(typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url)
    if (repo) return repo
  } catch {
    // No package.json: try the remote.
  }
  try {
    const origin = readFileSync(path.join(root, '.git', 'config'), 'utf8').split(/^\[/m).find((s) => s.startsWith('remote "origin"]'))
    return github(origin?.match(/^\s*url\s*=\s*(\S+)/m)?.[1])
  } catch {
    return undefined
  }
}

/**
 * `https://github.com/o/r/edit/main/{path}` from {@link githubRepo} (a learner's or
 * instructor's fork links to itself); `KATAS_EDIT_URL` overrides it.
 */
export function editUrlFromPackage(root = PACKAGE_ROOT): string | undefined {
  if (process.env.KATAS_EDIT_URL) return process.env.KATAS_EDIT_URL
  const repo = githubRepo(root)
  return repo ? `https://github.com/${repo}/edit/main/{path}` : undefined
}

/** `https://github.com/o/r/blob/main/{path}`: where the site links a file that is not a page (docs/). */
export function blobUrlFromPackage(root = PACKAGE_ROOT): string | undefined {
  const repo = githubRepo(root)
  return repo ? `https://github.com/${repo}/blob/main/{path}` : undefined
}

export function defaultOptions(): SiteOptions {
  return {
    lessonsDir: LESSONS_DIR,
    katasDir: KATAS_DIR,
    stubsDir: STUBS_DIR,
    outDir: SITE_OUT_DIR,
    editUrl: editUrlFromPackage(),
    blobUrl: blobUrlFromPackage(),
    root: PACKAGE_ROOT,
    cacheDir: CACHE_DIR,
    basePath: basePathFromEnv(),
  }
}

/** `KATAS_SITE_BASE`, checked: a bad one is the same one-line error as a bad `--base`. */
function basePathFromEnv(): string {
  try {
    return normalizeBasePath(process.env.KATAS_SITE_BASE ?? '/')
  } catch (err) {
    throw new SiteError('KATAS_SITE_BASE', undefined, (err as Error).message)
  }
}
