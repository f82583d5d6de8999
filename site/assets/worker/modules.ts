// The learner's modules and the given ones, loaded as the checks import them.
//
// A tree module (a path under the implementation root, `labels/selector.ts`) is
// TypeScript text: sucrase strips its types and turns its imports into `require`
// calls, keeping every line where it was, so an error's line is the learner's
// line. Each module is compiled once per text and evaluated afresh on every run.
// Imports resolve as vitest resolves them for a tree: `@impl/x` and relative paths
// inside the tree to tree modules; `../../lib/…` and npm packages to the modules
// the checks bundle shares; anything else is an import that does not exist.
//
// A module the site built (an unchanged stub, given code) comes compiled in the
// checks bundle: a stub as sucrase's code, run under its own name like the
// learner's; given code as a minified function. Sucrase (assets/sucrase.js) comes
// from the page, which fetches it once the first verdict is shown or a run needs it
// (the worker may fetch nothing itself: site/csp.ts).
import type { transform as Transform } from 'sucrase'
import { type LoadFailure, type SourcePlace, sourceName, TRANSFORM_OPTIONS } from '../../workspace/protocol.ts'

/** The prefix of a tree module's name in stack traces: `workspace/labels/selector.ts:12:7`. */
export const SOURCE_ROOT = sourceName('')

export type Factory = (exports: object, require: (spec: string) => unknown, module: { exports: object }) => void

/** What the checks bundle holds of the model as the site built it. */
export interface Prebuilt {
  /** Stubs: sucrase's code, line for line. */
  compiled: Record<string, string>
  /** Given code, minified. */
  factories: Record<string, Factory>
}

let sucrase: { transform: typeof Transform } | undefined

/** Takes sucrase's script, as the page sent it. */
export function setCompiler(code: string): void {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a script of the site, sent by the page
  sucrase = new Function(`${code}\nreturn sucrase`)() as { transform: typeof Transform }
}

function compiler(): typeof Transform {
  if (!sucrase) throw new Error('the TypeScript compiler was not sent to the check worker before a run that needs it')
  return sucrase.transform
}

/** A load failure as an Error, so it travels up through the check file's own import. */
export class ModuleLoadError extends Error {
  constructor(readonly failure: LoadFailure) {
    super(failure.message)
    this.name = 'ModuleLoadError'
  }
}

/** `a/b/../c.ts` → `a/c.ts`; paths are `/`-separated and absolute from a virtual root. */
function normalize(p: string): string {
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '..') out.pop()
    else if (part !== '.' && part !== '') out.push(part)
  }
  return `/${out.join('/')}`
}

const dirname = (p: string) => p.slice(0, p.lastIndexOf('/') + 1)

/** The line of the import that names `spec` in `source`, for the message. */
function importLine(source: string, spec: string): number | undefined {
  const lines = source.split('\n')
  const i = lines.findIndex((l) => l.includes(`'${spec}'`) || l.includes(`"${spec}"`))
  return i < 0 ? undefined : i + 1
}

/**
 * V8 finds some errors sucrase lets through ("Identifier 'x' has already been
 * declared") and gives no line for them; the last declaration of the name it
 * quotes is the likeliest place.
 */
function guessLine(source: string, message: string): number | undefined {
  const name = /'([\w$]+)'/.exec(message)?.[1]
  if (!name) return undefined
  const decl = new RegExp(`\\b(let|const|var|function|class)\\s+${name.replace(/\$/g, '\\$')}\\b`)
  const lines = source.split('\n')
  for (let i = lines.length - 1; i >= 0; i--) if (decl.test(lines[i]!)) return i + 1
  return undefined
}

const compiled = new Map<string, { source: string; factory: Factory }>()

/** Compiles a tree module, or reports its syntax error at its line; `code` is sucrase's, when the site compiled it. */
export function compile(file: string, source: string, code?: string): Factory {
  const hit = compiled.get(file)
  if (hit && hit.source === source) return hit.factory
  const where = `${SOURCE_ROOT}${file}`
  if (code === undefined) code = transformed(file, source)
  let factory: Factory
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the worker's one way to run the learner's code
    factory = new Function('exports', 'require', 'module', `${code}\n//# sourceURL=${where}`) as Factory
  } catch (err) {
    const line = guessLine(source, (err as Error).message)
    throw new ModuleLoadError({ kind: 'syntax', message: `${where}${line ? `:${line}` : ''}: ${(err as Error).name}: ${(err as Error).message}`, ...(line ? { at: { file, line } } : {}) })
  }
  compiled.set(file, { source, factory })
  return factory
}

/** Sucrase's code for a tree module's text. */
function transformed(file: string, source: string): string {
  const where = `${SOURCE_ROOT}${file}`
  try {
    return compiler()(source, { ...TRANSFORM_OPTIONS, transforms: [...TRANSFORM_OPTIONS.transforms], filePath: where }).code
  } catch (err) {
    const e = err as Error & { loc?: { line: number; column: number } }
    const message = e.message.replace(/\s*\(\d+:\d+\)$/, '')
    const at: SourcePlace | undefined = e.loc ? { file, line: e.loc.line, column: e.loc.column + 1 } : undefined
    throw new ModuleLoadError({ kind: 'syntax', message: `${where}${at ? `:${at.line}:${at.column}` : ''}: SyntaxError: ${message}`, ...(at ? { at } : {}) })
  }
}

/** ESM interop for a namespace the checks bundle shares: sucrase reads `__esModule` to find `default`. */
function asModule(ns: object): object {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(ns)) Object.defineProperty(out, key, { enumerable: true, get: () => (ns as Record<string, unknown>)[key] })
  Object.defineProperty(out, '__esModule', { value: true })
  return out
}

/** The modules of one run: every module evaluated at most once, in import order. */
export class ModuleGraph {
  private readonly instances = new Map<string, { exports: object }>()
  private readonly shared = new Map<string, object>()

  /**
   * `tree`: modules as TypeScript text; `prebuilt`: the names of modules taken as
   * the site built them, from `built` (what this run's checks bundle holds).
   */
  constructor(
    private readonly tree: Readonly<Record<string, string>>,
    shared: Record<string, object>,
    private readonly prebuilt: ReadonlySet<string> = new Set(),
    private readonly built: Prebuilt = { compiled: {}, factories: {} },
  ) {
    for (const [name, ns] of Object.entries(shared)) this.shared.set(name, asModule(ns))
  }

  private has(file: string): boolean {
    return Object.hasOwn(this.tree, file) || this.prebuilt.has(file)
  }

  /** What `@impl/…` names, for the check file. */
  requireImpl(spec: string): unknown {
    const file = spec.slice('@impl/'.length)
    const found = this.treeFile(file)
    if (!found) throw new ModuleLoadError({ kind: 'import', message: `the checks import ${spec}, which is missing from the workspace` })
    return this.load(found)
  }

  private treeFile(p: string): string | undefined {
    const candidates = [p, p.replace(/\.js$/, '.ts'), `${p}.ts`, `${p}/index.ts`]
    return candidates.find((c) => this.has(c))
  }

  private sharedName(p: string): string | undefined {
    const candidates = [p, p.replace(/\.js$/, '.ts'), `${p}.ts`, `${p}/index.ts`]
    return candidates.find((c) => this.shared.has(c))
  }

  private resolve(spec: string, from: string): { tree: string } | { shared: string } | undefined {
    if (spec.startsWith('@impl/')) {
      const file = this.treeFile(spec.slice('@impl/'.length))
      return file ? { tree: file } : undefined
    }
    if (spec.startsWith('.') || spec.startsWith('/')) {
      // The tree sits one level below the project root, as solutions/ and workspace/ do.
      const abs = normalize(spec.startsWith('/') ? spec : `${dirname(`/impl/${from}`)}${spec}`)
      if (abs.startsWith('/impl/')) {
        const file = this.treeFile(abs.slice('/impl/'.length))
        return file ? { tree: file } : undefined
      }
      const name = this.sharedName(abs.slice(1))
      return name ? { shared: name } : undefined
    }
    const name = this.sharedName(spec)
    return name ? { shared: name } : undefined
  }

  private load(file: string): object {
    const known = this.instances.get(file)
    if (known) return known.exports
    const factory = this.factory(file)
    const module = { exports: {} as object }
    // Registered before it runs, so an import cycle sees the exports made so far, as in CommonJS.
    this.instances.set(file, module)
    factory(module.exports, (spec) => this.require(spec, file), module)
    return module.exports
  }

  private factory(file: string): Factory {
    if (Object.hasOwn(this.tree, file)) return compile(file, this.tree[file]!)
    const code = this.built.compiled[file]
    // Keyed apart from any text a learner could write: a NUL never survives the editor.
    if (code !== undefined) return compile(file, `\u0000${code}`, code)
    const factory = this.built.factories[file]
    if (!factory) throw new ModuleLoadError({ kind: 'import', message: `${SOURCE_ROOT}${file} is missing from the checks bundle` })
    return factory
  }

  private require(spec: string, from: string): unknown {
    const target = this.resolve(spec, from)
    if (!target) {
      const line = importLine(this.tree[from] ?? '', spec)
      const where = `${SOURCE_ROOT}${from}${line ? `:${line}` : ''}`
      throw new ModuleLoadError({
        kind: 'import',
        message: `${where}: imports "${spec}", which does not exist${spec.startsWith('.') ? ' (paths are relative to the importing file)' : ''}`,
        ...(line ? { at: { file: from, line } } : {}),
      })
    }
    return 'tree' in target ? this.load(target.tree) : this.shared.get(target.shared)
  }
}

/** The first frame of an error's stack inside a tree module: where the learner's code threw. */
export function placeOf(err: unknown, files: ReadonlySet<string>): SourcePlace | undefined {
  const stack = typeof (err as Error | undefined)?.stack === 'string' ? (err as Error).stack! : ''
  const frame = new RegExp(`${SOURCE_ROOT.replace('/', '\\/')}([^\\s():]+):(\\d+):(\\d+)`, 'g')
  for (const m of stack.matchAll(frame)) {
    const file = m[1]!
    // new Function puts two lines of its own before the body.
    if (files.has(file)) return { file, line: Number(m[2]) - 2, column: Number(m[3]) }
  }
  return undefined
}
