// Where the course's trees live, relative to the package root.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SOLUTIONS_DIR = path.join(PACKAGE_ROOT, 'solutions')
export const STUBS_DIR = path.join(PACKAGE_ROOT, 'stubs')
export const WORKSPACE_DIR = path.join(PACKAGE_ROOT, 'workspace')
export const KATAS_DIR = path.join(PACKAGE_ROOT, 'katas')
export const CHECKS_DIR = path.join(PACKAGE_ROOT, 'checks')
export const MISCONCEPTIONS_DIR = path.join(PACKAGE_ROOT, 'misconceptions')

/**
 * Resolves the implementation named by `KATAS_IMPL`: `solutions` (the default),
 * `stubs`, `workspace`, or a path to any folder laid out like `solutions/`.
 */
export function implDir(name: string | undefined): string {
  switch (name ?? 'solutions') {
    case '':
    case 'solutions':
      return SOLUTIONS_DIR
    case 'stubs':
      return STUBS_DIR
    case 'workspace':
      return WORKSPACE_DIR
    default:
      return path.resolve(name!)
  }
}
