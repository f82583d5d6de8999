// One kata's checks as a single script for the browser's check worker (esbuild).
//
// The bundle is CommonJS-shaped: the worker calls it as a function of
// (exports, require, module) once per run, so every run starts from fresh module
// state, as a vitest run does. What it holds:
//   - the check file and checks/support/, with `vitest` left to the worker's runtime
//     and `@impl/…` left to the worker's loader (the learner's and the given modules);
//   - `shared`: every module a tree module may import from outside the tree — all of
//     lib/ and the npm packages the model uses — by the name a tree module writes,
//     so the checks and the learner's code share one instance of each;
//   - `load()`, which evaluates the check file: called after `shared` exists, since the
//     check file's imports reach the learner's modules, which import `shared`;
//   - the model as the site gives it, compiled by sucrase as the worker would: the
//     stubs the learner writes in as code (`compiled`, run under their own names, line
//     for line), the code they only read as minified functions (`factories`). A run
//     takes a module from here while the learner's text of it is the site's, so the
//     first run needs neither the texts nor sucrase.
// harness/course.ts is read from kata.yaml at build time; Node's built-ins the
// harness imports are empty, and `node:crypto` (sha256 for kube-proxy's chain
// names) is @noble/hashes.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Plugin } from 'esbuild'
import { type Kata, taskTitle } from '../../harness/course.ts'
import { filesUnder } from '../../harness/files.ts'
import { CHECKS_DIR, PACKAGE_ROOT } from '../../harness/paths.ts'
import { type DeepOnly, withoutDeepTasks } from './deep-only.ts'
import { sourceName, TRANSFORM_OPTIONS } from './protocol.ts'

// sucrase loads on first use: the lesson pages' build imports this module (through the
// workspace page type) but compiles nothing, and loading sucrase is a tenth of its time.
let sucrase: typeof import('sucrase') | undefined
const transform: typeof import('sucrase').transform = (code, options) =>
  (sucrase ??= createRequire(path.join(PACKAGE_ROOT, 'package.json'))('sucrase') as typeof import('sucrase')).transform(code, options)

const HARNESS_DIR = path.join(PACKAGE_ROOT, 'harness')
const COURSE_FILE = path.join(HARNESS_DIR, 'course.ts')
const LIB_DIR = path.join(PACKAGE_ROOT, 'lib')
const SHIMS_DIR = path.join(PACKAGE_ROOT, 'site', 'workspace', 'shims')
const THROWN_FILE = path.join(CHECKS_DIR, 'support', 'thrown.ts')
const TASK_FILE = path.join(CHECKS_DIR, 'support', 'task.ts')

/** Every library module, by path from the project root: `lib/field/errors.ts` (its tests are not modules the model loads). */
export function libraryModules(): string[] {
  return filesUnder(LIB_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `lib/${f.split(path.sep).join('/')}`)
}

/**
 * The esbuild plugins that make the harness and Node's built-ins fit a browser:
 * shared by the checks bundle and the workspace page (which uses harness/progress.ts).
 */
export function browserHarness(course?: Kata[]): Plugin {
  return {
    name: 'katas:browser-harness',
    setup(b) {
      const empty = { path: path.join(SHIMS_DIR, 'empty.cjs') }
      if (course) {
        // The check file's `kata('02-label-selectors')` reads kata.yaml: give it the course as read now.
        b.onResolve({ filter: /course\.ts$/ }, (a) =>
          a.namespace !== 'katas-course' && path.resolve(a.resolveDir, a.path) === COURSE_FILE ? { path: 'course', namespace: 'katas-course' } : undefined,
        )
        b.onLoad({ filter: /.*/, namespace: 'katas-course' }, () => ({
          loader: 'js',
          resolveDir: HARNESS_DIR,
          contents: `export * from ${JSON.stringify(COURSE_FILE)}\nconst COURSE = ${JSON.stringify(course)}\nexport function loadCourse() { return COURSE }\n`,
        }))
      }
      b.onResolve({ filter: /^node:crypto$/ }, () => ({ path: path.join(SHIMS_DIR, 'crypto.ts') }))
      // What the harness needs from Node only to read files: never called in the browser.
      b.onResolve({ filter: /^(node:(fs|path|url|os|module|child_process)|yaml|typescript)$/ }, (a) => (a.importer.startsWith(HARNESS_DIR) ? empty : undefined))
      // checks/support/thrown.ts reads a check's source line only under Node (never found here) and prints inputs with inspect.
      b.onResolve({ filter: /^node:(fs|path|util)$/ }, (a) =>
        a.importer === THROWN_FILE ? (a.path === 'node:util' ? { path: path.join(SHIMS_DIR, 'util.ts') } : empty) : undefined,
      )
      // checks/support/task.ts names files relative to the course root for Node's stack traces only.
      b.onResolve({ filter: /paths\.ts$/ }, (a) => ((a.importer.startsWith(HARNESS_DIR) || a.importer === TASK_FILE) && path.resolve(a.resolveDir, a.path) === path.join(HARNESS_DIR, 'paths.ts') ? empty : undefined))
    },
  }
}

/** The course as the checks see it in the browser: the kata and its tasks (the hints are the page's). */
function courseFor(kata: Kata): Kata[] {
  return [{ ...kata, summary: '', dir: `katas/${kata.name}`, tasks: kata.tasks.map((t) => ({ ...t, hints: [] })) }]
}

/** The model as the site gives it, by module: TypeScript text. */
export interface SiteModel {
  /** Modules the learner writes in: kept line for line. */
  stubs: Record<string, string>
  /** Modules the learner only reads. */
  given: Record<string, string>
}

const compileModule = (file: string, text: string) => transform(text, { ...TRANSFORM_OPTIONS, transforms: [...TRANSFORM_OPTIONS.transforms], filePath: sourceName(file) }).code

// A kata's two bundles hold the same model: it is compiled once.
const prebuiltModules = new WeakMap<SiteModel, string>()

/** `compiled` and `factories` (see the top of this file), as a module of the bundle. */
function prebuiltModule(model: SiteModel): string {
  const known = prebuiltModules.get(model)
  if (known !== undefined) return known
  const factories = Object.entries(model.given).map(([m, text]) => `${JSON.stringify(m)}: function (exports, require, module) {\n${compileModule(m, text)}\n}`)
  const compiled = Object.fromEntries(Object.entries(model.stubs).map(([m, text]) => [m, compileModule(m, text)]))
  const text = `export const compiled = ${JSON.stringify(compiled)}\nexport const factories = {\n${factories.join(',\n')}\n}\n`
  prebuiltModules.set(model, text)
  return text
}

/** The entry: the shared modules by name, the prebuilt model, and the check file behind `load()`. */
function entry(kata: Kata, shared: string[]): string {
  const lines: string[] = []
  const names: string[] = []
  shared.forEach((name, i) => {
    const from = name.startsWith('lib/') ? path.join(PACKAGE_ROOT, name) : name
    lines.push(`import * as m${i} from ${JSON.stringify(from)}`)
    names.push(`${JSON.stringify(name)}: m${i}`)
  })
  lines.push(`export const shared = { ${names.join(', ')} }`)
  lines.push(`export { compiled, factories } from 'katas:prebuilt'`)
  lines.push(`export function load() { return require(${JSON.stringify(path.join(CHECKS_DIR, `${kata.name}.check.ts`))}) }`)
  return lines.join('\n')
}

export interface ChecksBundle {
  code: string
  /** Names the bundle shares with tree modules. */
  shared: string[]
}

/**
 * Bundles kata `kata`'s checks; `outside` is what its tree modules import from
 * outside the tree, `model` the tree as the site gives it. With `cut` (deep-only.ts),
 * the first bundle: the deep tasks' blocks are blanked out of the check file, and the
 * support modules only they use are empty modules.
 */
export async function bundleChecks(kata: Kata, outside: string[], model: SiteModel, cut?: DeepOnly): Promise<ChecksBundle> {
  const checkFile = path.join(CHECKS_DIR, `${kata.name}.check.ts`)
  const omit = cut?.modules ?? new Set<string>()
  const { build } = await import('esbuild')
  const shared = [...new Set([...libraryModules(), ...outside])].sort()
  const external: Plugin = {
    name: 'katas:run-time',
    setup(b) {
      b.onResolve({ filter: /^(@impl\/|vitest$)/ }, (a) => ({ path: a.path, external: true }))
      // The factories' `require` is their parameter, the worker's loader: esbuild leaves it alone.
      b.onResolve({ filter: /^katas:prebuilt$/ }, () => ({ path: 'prebuilt', namespace: 'katas-prebuilt' }))
      b.onLoad({ filter: /.*/, namespace: 'katas-prebuilt' }, () => ({ loader: 'js', contents: prebuiltModule(model) }))
      b.onResolve({ filter: /^\.\/support\// }, (a) => {
        const file = path.resolve(a.resolveDir, a.path)
        return omit.has(file) ? { path: file, namespace: 'katas-omitted' } : undefined
      })
      b.onLoad({ filter: /.*/, namespace: 'katas-omitted' }, () => ({ loader: 'js', contents: 'module.exports = {}' }))
      // fast-check's default export is an object of every arbitrary, which esbuild cannot
      // trim; its named exports are the same functions. Read through the namespace, only
      // the arbitraries a check uses are bundled (a third of the size).
      b.onLoad({ filter: /\.ts$/ }, (a) => {
        if (!a.path.startsWith(CHECKS_DIR)) return undefined
        let text = readFileSync(a.path, 'utf8')
        if (cut && a.path === checkFile) text = withoutDeepTasks(text, cut.spans)
        return { loader: 'ts', contents: text.replace(/^import fc from 'fast-check'$/m, "import * as fc from 'fast-check'") }
      })
    },
  }
  const result = await build({
    stdin: { contents: entry(kata, shared), resolveDir: PACKAGE_ROOT, loader: 'ts', sourcefile: `${kata.name}.entry.ts` },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    // Class and function names appear in failure messages ("an instance of FieldError"): keep them.
    minify: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [external, browserHarness(courseFor(kata))],
  })
  const code = result.outputFiles[0]!.text
  return { code, shared }
}

/** The describe title of every task, as the check file's `task(slug, …)` writes it. */
export function describeTitles(kata: Kata): Map<string, string> {
  return new Map(kata.tasks.map((t) => [t.slug, taskTitle(t)]))
}

/** The source of a library module, for the read-only view. */
export function librarySource(name: string): string {
  return readFileSync(path.join(PACKAGE_ROOT, name), 'utf8')
}
