// Where the course's trees live, relative to the package root.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder of the nearest package.json: the same from harness/ and from its build in dist/harness/. */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

export const PACKAGE_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)))
export const SOLUTIONS_DIR = path.join(PACKAGE_ROOT, 'solutions')
export const STUBS_DIR = path.join(PACKAGE_ROOT, 'stubs')
export const DEEP_STUBS_DIR = path.join(PACKAGE_ROOT, 'deep-stubs')
export const WORKSPACE_DIR = path.join(PACKAGE_ROOT, 'workspace')
export const KATAS_DIR = path.join(PACKAGE_ROOT, 'katas')
export const CHECKS_DIR = path.join(PACKAGE_ROOT, 'checks')
export const MISCONCEPTIONS_DIR = path.join(PACKAGE_ROOT, 'misconceptions')

/**
 * Resolves the implementation named by `KATAS_IMPL`: `solutions` (the default),
 * `stubs` (the core path), `deep-stubs`, `workspace`, or a path to any folder
 * laid out like `solutions/`.
 */
export function implDir(name: string | undefined): string {
  switch (name ?? 'solutions') {
    case '':
    case 'solutions':
      return SOLUTIONS_DIR
    case 'stubs':
      return STUBS_DIR
    case 'deep-stubs':
      return DEEP_STUBS_DIR
    case 'workspace':
      return WORKSPACE_DIR
    default:
      return path.resolve(name!)
  }
}
