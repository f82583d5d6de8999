// How the pristine checks see a learner's workspace while it is graded.
//
// Checks import the model as `@impl/<path>.ts`; here that prefix points at the
// graded copy of the learner's workspace (grader/prepare.ts). A module of that
// copy may import the given `lib/` and npm packages, never the reference model:
// a resolution that lands, by real path, in a `solutions/` tree of the course
// is refused, so the kata fails to load. (In a sandbox that tree is not there at
// all; the static scan, grader/imports.ts, scores such an import zero.)
import { realpathSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'vite'

const PREFIX = '@impl/'

export interface GradePluginOptions {
  /** The graded copy of the workspace. */
  root: string
  /** Trees a workspace module must never reach: the reference solutions. */
  forbidden: string[]
  /** Check files whose source is given here (with the grader's canaries), by path. */
  checks?: Record<string, string>
}

export function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/** A path with its links resolved as far as it exists. */
export function realPath(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    const parent = path.dirname(file)
    return parent === file ? file : path.join(realPath(parent), path.basename(file))
  }
}

/** The forbidden tree `file` lies in, by real path. */
export function forbiddenTree(forbidden: readonly string[], file: string): string | undefined {
  const real = realPath(file)
  return forbidden.find((dir) => dir === file || inside(dir, file) || dir === real || inside(dir, real))
}

export function gradePlugin({ root, forbidden, checks = {} }: GradePluginOptions): Plugin {
  return {
    name: 'katas:grade',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source.startsWith(PREFIX)) return path.join(root, source.slice(PREFIX.length))
      const from = importer?.split('?')[0]
      if (!from || !inside(root, from)) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      const file = resolved?.id.split('?')[0]
      if (file && forbiddenTree(forbidden, file)) {
        throw new Error(`${path.relative(root, from)} imports the reference solutions (${source}); graded work must be the learner's own`)
      }
      return resolved
    },
    // An import by a computed absolute path is not always resolved through the hook
    // above; nothing graded ever needs to load the reference, so loading it fails.
    load(id) {
      const file = id.split('?')[0]!
      const given = checks[file]
      if (given !== undefined) return given
      const tree = forbiddenTree(forbidden, file)
      if (tree) throw new Error(`graded code imports the reference solutions (${path.relative(path.dirname(tree), realPath(file))}); graded work must be the learner's own`)
      return null
    },
  }
}
