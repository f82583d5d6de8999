// The implementation root: which tree of model modules the checks run against.
//
// Checks import the model as `@impl/<path>.ts`. This Vite plugin points that
// prefix at one tree — the reference `solutions/`, the pristine `stubs/`, or a
// learner's `workspace/` — so the same checks grade any of them. A
// misconception is an overlay: a few wrong modules laid over `solutions/`.
// Every import of an overlaid module (from a check or from another model
// module) then gets the wrong one, exactly as if the learner had written it.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'vite'

export interface ImplRootOptions {
  /** Absolute path of the tree that answers `@impl/…` imports. */
  root: string
  /** Absolute path of a misconception folder laid over `root`, if any. */
  overlay?: string | undefined
  /**
   * The overlay's modules are whole modules written as if they lived in `root`
   * (the self-test's standalone trees): their relative imports resolve from
   * their place in `root`. Without it (misconceptions), an overlay module's
   * imports resolve where it lies, so it can import the solution it patches.
   */
  relocate?: boolean
}

const PREFIX = '@impl/'

export function implRoot({ root, overlay, relocate = false }: ImplRootOptions): Plugin {
  const inside = (dir: string, file: string) => {
    const rel = path.relative(dir, file)
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
  }
  const overlaid = (file: string): string | undefined => {
    if (!overlay || !inside(root, file)) return undefined
    const candidate = path.join(overlay, path.relative(root, file))
    return existsSync(candidate) ? candidate : undefined
  }
  return {
    name: 'katas:impl-root',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const clean = importer?.split('?')[0]
      if (source.startsWith(PREFIX)) {
        const file = path.join(root, source.slice(PREFIX.length))
        return overlaid(file) ?? file
      }
      if (!overlay || !clean || !source.startsWith('.')) return null
      if (inside(overlay, clean)) {
        // An overlay module may import the solution it patches: leave that alone.
        if (!relocate) return null
        const file = path.resolve(path.dirname(path.join(root, path.relative(overlay, clean))), source)
        return overlaid(file) ?? file
      }
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      if (!resolved) return null
      return overlaid(resolved.id.split('?')[0]!) ?? resolved
    },
  }
}
