// What a warm worker may load before it knows which check it will run.
//
// Loading the test library, fast-check and the course's own helpers takes most
// of a cold run; a worker that has them loaded before the save arrives answers
// in a tenth of the time. It may load only what no save can change: modules of
// the course (lib/, harness/, checks/support/) whose imports never reach the
// learner's tree, and the packages they and the checks import. The check files
// themselves and everything that imports `@impl/…` load fresh in every run.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

// Static imports and re-exports: `import x from '…'`, `export { y } from '…'`, `import '…'`.
// `import type` and `export type` are erased by the compiler and load nothing.
const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm

export interface Preload {
  /** Local modules to import ahead, dependencies first. */
  modules: string[]
  /** Packages to import ahead. */
  packages: string[]
}

/** The runtime imports of a source text. */
export function importsOf(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(IMPORT)) {
    if (!m[2]) out.push(m[3]!)
  }
  return out
}

const inside = (dir: string, file: string): boolean => {
  const rel = path.relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/** A package's name from a bare specifier: `fast-check`, `@scope/pkg/sub` → `@scope/pkg`. */
const packageName = (spec: string): string => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')

/**
 * The modules and packages that every run of `checkFiles` against `implRoot` may
 * share: reached from the check files, outside the learner's tree, and never
 * importing it.
 */
export function preloadFor(checkFiles: readonly string[], implRoot: string): Preload {
  const safe = new Map<string, boolean>()
  const packages = new Set<string>()
  const order: string[] = []
  const visit = (file: string, trail: Set<string>): boolean => {
    const known = safe.get(file)
    if (known !== undefined) return known
    if (trail.has(file)) return true // a cycle: decided by the rest of its members
    if (inside(implRoot, file) || !existsSync(file)) return false
    trail.add(file)
    let ok = true
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('@impl/')) ok = false
      else if (spec.startsWith('.')) ok = visit(path.resolve(path.dirname(file), spec), trail) && ok
      else if (!spec.startsWith('node:')) packages.add(packageName(spec))
    }
    trail.delete(file)
    safe.set(file, ok)
    if (ok) order.push(file)
    return ok
  }
  for (const f of checkFiles) {
    visit(f, new Set())
    // The check file itself is imported by the run: it registers the checks.
    const i = order.indexOf(f)
    if (i >= 0) order.splice(i, 1)
  }
  return { modules: order, packages: [...packages].sort() }
}

/** The check files of a folder, `NN-slug.check.ts`, in course order. */
export function checkFilesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.check.ts')).sort().map((f) => path.join(dir, f)) : []
}

/** The newest modification time among files: a warm worker older than it is stale. */
export function newestChange(files: readonly string[]): number {
  let newest = 0
  for (const f of files) {
    try {
      newest = Math.max(newest, statSync(f).mtimeMs)
    } catch {
      newest = Number.POSITIVE_INFINITY
    }
  }
  return newest
}
