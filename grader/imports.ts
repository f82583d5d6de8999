// Finds workspace modules that import the reference solutions.
//
// The import specifiers of every module are read with TypeScript's own
// pre-processor (static imports, `export … from`, `import()` and `require()`
// with a literal). A module that reaches the course's `solutions/` (by real
// path, from where the module sits in the checkout) taints every kata
// whose modules import it, directly or through other workspace modules: such a
// kata is scored zero. The grading plugin refuses the same imports at run time
// (grader/plugin.ts), which also catches ones this scan cannot see.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type TS from 'typescript'
import { typescript } from './typescript.ts'
import { filesUnder } from '../harness/files.ts'
import { forbiddenTree, inside } from './plugin.ts'

export interface ForbiddenImport {
  /** The importing module, relative to the workspace. */
  module: string
  specifier: string
}

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/

function specifiers(file: string): string[] {
  const info = typescript().preProcessFile(readFileSync(file, 'utf8'), true, true)
  return info.importedFiles.map((f) => f.fileName)
}

/**
 * Scans a workspace. `checkoutWorkspace` is where the files sit in the learner's
 * checkout, so `../../solutions/…` is judged where the learner wrote it;
 * `forbidden` lists the solution trees (absolute).
 */
export function scanImports(copy: string, checkoutWorkspace: string, forbidden: string[]) {
  const graph = new Map<string, string[]>()
  const direct: ForbiddenImport[] = []
  for (const rel of filesUnder(copy).filter((f) => CODE.test(f))) {
    const module = rel.split(path.sep).join('/')
    const deps: string[] = []
    for (const spec of specifiers(path.join(copy, rel))) {
      // Judged where the learner wrote it, by real path: a folder of theirs named `solutions` is theirs.
      const fromCheckout = path.resolve(path.dirname(path.join(checkoutWorkspace, rel)), spec)
      const fromCopy = path.resolve(path.dirname(path.join(copy, rel)), spec)
      const absolute = path.isAbsolute(spec) || spec.startsWith('.')
      if (absolute && (forbiddenTree(forbidden, fromCheckout) || forbiddenTree(forbidden, fromCopy))) {
        direct.push({ module, specifier: spec })
      } else if (spec.startsWith('.') && inside(copy, fromCopy)) {
        deps.push(path.relative(copy, fromCopy).split(path.sep).join('/'))
      }
    }
    graph.set(module, deps)
  }
  /** The forbidden imports reachable from these modules. */
  const reachedFrom = (modules: string[]): ForbiddenImport[] => {
    const seen = new Set<string>()
    const stack = [...modules]
    while (stack.length) {
      const m = stack.pop()!
      if (seen.has(m)) continue
      seen.add(m)
      stack.push(...(graph.get(m) ?? []))
    }
    return direct.filter((d) => seen.has(d.module))
  }
  return { direct, reachedFrom }
}
