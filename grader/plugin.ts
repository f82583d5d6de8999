// How the pristine checks see a learner's workspace while it is graded.
//
// Checks import the model as `@impl/<path>.ts`; here that prefix points at the
// graded copy of the learner's workspace (grader/layout.ts). A module of that
// copy may import the given `lib/` and npm packages, never the reference model:
// a resolution that lands in a `solutions/` tree is refused, so the kata fails
// to load and the static scan (grader/imports.ts) scores it zero.
import path from 'node:path'
import type { Plugin } from 'vite'

const PREFIX = '@impl/'

export interface GradePluginOptions {
  /** The graded copy of the workspace. */
  root: string
  /** Trees a workspace module must never reach: the reference solutions. */
  forbidden: string[]
}

export function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

export function gradePlugin({ root, forbidden }: GradePluginOptions): Plugin {
  return {
    name: 'katas:grade',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source.startsWith(PREFIX)) return path.join(root, source.slice(PREFIX.length))
      const from = importer?.split('?')[0]
      if (!from || !inside(root, from)) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      const file = resolved?.id.split('?')[0]
      if (file && forbidden.some((dir) => dir === file || inside(dir, file))) {
        throw new Error(`${path.relative(root, from)} imports the reference solutions (${source}); graded work must be the learner's own`)
      }
      return resolved
    },
    // An import by a computed absolute path is not always resolved through the hook
    // above; nothing graded ever needs to load the reference, so loading it fails.
    load(id) {
      const file = id.split('?')[0]!
      const tree = forbidden.find((dir) => inside(dir, file))
      if (tree) throw new Error(`graded code imports the reference solutions (${path.relative(path.dirname(tree), file)}); graded work must be the learner's own`)
      return null
    },
  }
}
