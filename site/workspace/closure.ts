// Which modules one kata's checks reach, found by letting esbuild walk the imports.
//
// A check file imports the model as `@impl/…`; the model's modules import each other
// relatively, and `lib/` and npm packages besides. The tree modules (paths under the
// implementation root) are what the browser supplies at run time — the learner's and
// the given ones; everything else they import is bundled once and shared by name.
import path from 'node:path'
import type { Plugin } from 'esbuild'
import { PACKAGE_ROOT } from '../../harness/paths.ts'

export interface Closure {
  /** Tree modules the checks reach, relative to the implementation root: `labels/selector.ts`. */
  tree: string[]
  /**
   * What tree modules import from outside the tree: library files by path from the
   * project root (`lib/field/errors.ts`) and npm packages as written (`ipaddr.js`).
   */
  outside: string[]
}

const rel = (file: string) => path.relative(PACKAGE_ROOT, file).split(path.sep).join('/')

/** The closure of `checkFile` over the tree rooted at `root` (solutions/ or stubs/). */
export async function closureOf(checkFile: string, root: string): Promise<Closure> {
  const { build } = await import('esbuild')
  const implRoot: Plugin = {
    name: 'impl-root',
    setup(b) {
      b.onResolve({ filter: /^@impl\// }, (a) => ({ path: path.join(root, a.path.slice('@impl/'.length)) }))
    },
  }
  const result = await build({
    entryPoints: [checkFile],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
    outdir: path.join(PACKAGE_ROOT, 'build', '.cache', 'closure'),
    plugins: [implRoot],
  })
  const rootRel = `${rel(root)}/`
  const tree = new Set<string>()
  const outside = new Set<string>()
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    if (!input.startsWith(rootRel)) continue
    tree.add(input.slice(rootRel.length))
    for (const imp of info.imports) {
      // An import esbuild drops as unused in TypeScript is listed unresolved, as written.
      if (imp.path.startsWith('.')) continue
      if (imp.external) {
        if (!imp.path.startsWith('node:')) outside.add(imp.path)
      } else if (!imp.path.startsWith(rootRel)) outside.add(imp.path)
    }
  }
  return { tree: [...tree].sort(), outside: [...outside].sort() }
}

/** The union of two closures. */
export function mergeClosures(a: Closure, b: Closure): Closure {
  return {
    tree: [...new Set([...a.tree, ...b.tree])].sort(),
    outside: [...new Set([...a.outside, ...b.outside])].sort(),
  }
}
