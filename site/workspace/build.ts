// Writes what the workspace pages load: the page's script and stylesheet, the
// check worker and the TypeScript compiler it loads when a save needs it (assets/),
// and per kata its checks bundles (the first without the deep tasks, the whole one
// for once the core is green: deep-only.ts), its data and its read-only texts (workspace/).
// Built by esbuild; kept in build/.cache/workspace/ and reused while none of the
// sources changed (the course, the checks, the model, the page's code, the lock file).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata } from '../../harness/course.ts'
import { CHECKS_DIR, DEEP_STUBS_DIR, KATAS_DIR, PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../../harness/paths.ts'
import { browserHarness, bundleChecks } from './checks-bundle.ts'
import { closureOf, mergeClosures } from './closure.ts'
import { deepOnly } from './deep-only.ts'
import { type KataData, START_PLACEHOLDER } from './protocol.ts'

const CACHE = path.join(PACKAGE_ROOT, 'build', '.cache', 'workspace')
const ASSETS_SRC = path.join(PACKAGE_ROOT, 'site', 'assets')

/** The page's own files, in assets/. */
export const WORKSPACE_ASSETS = ['workspace.js', 'workspace.css', 'check-worker.js', 'sucrase.js'] as const

/** The folder of the kata files in the site. */
export const WORKSPACE_DIR = 'workspace'

export const dataFile = (kata: Kata) => `${WORKSPACE_DIR}/${kata.name}.json`
export const bundleFile = (kata: Kata) => `${WORKSPACE_DIR}/${kata.name}.checks.js`
/** The whole checks bundle, deep tasks included, for a kata that has deep tasks: its first one leaves them out. */
export const deepBundleFile = (kata: Kata) => `${WORKSPACE_DIR}/${kata.name}.deep.checks.js`
export const textsFile = (kata: Kata) => `${WORKSPACE_DIR}/${kata.name}.texts.json`

/** Every file's path and time under the sources: a change to any makes the cache stale. */
function fingerprint(extra: unknown): string {
  const sources = [
    path.join(ASSETS_SRC, 'workspace'),
    path.join(ASSETS_SRC, 'worker'),
    path.join(PACKAGE_ROOT, 'site', 'workspace'),
    path.join(PACKAGE_ROOT, 'harness'),
    KATAS_DIR,
    CHECKS_DIR,
    SOLUTIONS_DIR,
    STUBS_DIR,
    DEEP_STUBS_DIR,
    path.join(PACKAGE_ROOT, 'lib'),
    path.join(PACKAGE_ROOT, 'package-lock.json'),
  ]
  const stamps: string[] = []
  for (const src of sources) {
    if (!existsSync(src)) continue
    if (statSync(src).isFile()) stamps.push(`${src}:${statSync(src).mtimeMs}`)
    else for (const f of (readdirSync(src, { recursive: true }) as string[]).sort()) stamps.push(`${f}:${statSync(path.join(src, f)).mtimeMs}`)
  }
  return JSON.stringify({ stamps, extra })
}

/** The page's script, its stylesheet and the check worker. */
async function bundleAssets(outDir: string): Promise<void> {
  const { build, transform } = await import('esbuild')
  const common = { bundle: true, minify: true, target: 'es2022', logLevel: 'silent', legalComments: 'none', define: { 'process.env.NODE_ENV': '"production"' } } as const
  await Promise.all([
    // What the page loads later (the zip code) is a chunk of its own: workspace-chunk-*.js.
    build({ ...common, entryPoints: { workspace: path.join(ASSETS_SRC, 'workspace', 'main.ts') }, outdir: outDir, splitting: true, chunkNames: 'workspace-chunk-[hash]', format: 'esm', plugins: [browserHarness()] }),
    // Class names stay: vitest's messages print them ("an instance of InvalidRequirementError").
    build({ ...common, keepNames: true, entryPoints: [path.join(ASSETS_SRC, 'worker', 'main.ts')], outfile: path.join(outDir, 'check-worker.js'), format: 'iife' }),
    // A script defining `sucrase`, which the page hands the check worker (site/assets/worker/modules.ts).
    build({ ...common, stdin: { contents: "export { transform } from 'sucrase'", resolveDir: PACKAGE_ROOT, loader: 'js' }, outfile: path.join(outDir, 'sucrase.js'), format: 'iife', globalName: 'sucrase' }),
  ])
  const css = readFileSync(path.join(ASSETS_SRC, 'workspace', 'workspace.css'), 'utf8')
  writeFileSync(path.join(outDir, 'workspace.css'), (await transform(css, { loader: 'css', minify: true, target: 'chrome110' })).code)
}

/** One kata's checks bundle, data and texts. */
async function buildKata(kata: Kata, course: readonly Kata[], lesson: string, outDir: string): Promise<void> {
  const checkFile = path.join(CHECKS_DIR, `${kata.name}.check.ts`)
  const closure = mergeClosures(await closureOf(checkFile, SOLUTIONS_DIR), await closureOf(checkFile, STUBS_DIR))
  // kata-data.ts reads the stubs with the TypeScript compiler: loaded only when a kata is built.
  const { kataData, mineOf } = await import('./kata-data.ts')
  const bundle = path.basename(bundleFile(kata))
  const cut = await deepOnly(kata, checkFile)
  const deepBundle = cut.spans.length ? path.basename(deepBundleFile(kata)) : undefined
  const { data, texts } = kataData(kata, course, closure, lesson, { bundle, ...(deepBundle ? { deepBundle } : {}), texts: path.basename(textsFile(kata)) })
  const mine = new Set(mineOf(kata))
  const model = {
    stubs: data.stubs,
    given: {
      ...Object.fromEntries(kata.modules.filter((m) => !mine.has(m)).map((m) => [m, texts.stubs[m]!])),
      ...Object.fromEntries(Object.entries(texts.given).map(([m, text]) => [m, text.replace(START_PLACEHOLDER, kata.id)])),
    },
  }
  const [first, whole] = await Promise.all([bundleChecks(kata, closure.outside, model, deepBundle ? cut : undefined), deepBundle ? bundleChecks(kata, closure.outside, model) : undefined])
  writeFileSync(path.join(outDir, bundle), first.code)
  if (deepBundle && whole) writeFileSync(path.join(outDir, deepBundle), whole.code)
  writeFileSync(path.join(outDir, path.basename(dataFile(kata))), JSON.stringify(data))
  writeFileSync(path.join(outDir, path.basename(textsFile(kata))), JSON.stringify(texts))
}

/** One kata's files in the cache: the whole checks bundle too, when its data names one. */
function kataFiles(kata: Kata): string[] {
  const files = [dataFile(kata), bundleFile(kata), textsFile(kata)]
  const data = path.join(CACHE, dataFile(kata))
  if (existsSync(data) && (JSON.parse(readFileSync(data, 'utf8')) as KataData).deepBundle) files.push(deepBundleFile(kata))
  return files
}

/**
 * Writes the workspace files of `katas` (each with its lesson page) under `siteDir`;
 * returns them. The cache holds what was built from the current sources, kata by
 * kata (a site of a few lessons and the whole course share it); without `cache`,
 * everything is built afresh.
 */
export async function buildWorkspace(katas: { kata: Kata; lesson: string }[], course: readonly Kata[], siteDir: string, cache = true): Promise<string[]> {
  const stamp = path.join(CACHE, '.fingerprint')
  const print = fingerprint(null)
  if (!cache || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== print) {
    rmSync(CACHE, { recursive: true, force: true })
    mkdirSync(path.join(CACHE, 'assets'), { recursive: true })
    mkdirSync(path.join(CACHE, WORKSPACE_DIR), { recursive: true })
  }
  const cached = (f: string) => path.join(CACHE, f)
  const jobs: Promise<void>[] = []
  if (!WORKSPACE_ASSETS.every((f) => existsSync(cached(`assets/${f}`)))) jobs.push(bundleAssets(path.join(CACHE, 'assets')))
  for (const { kata, lesson } of katas) {
    if (!kataFiles(kata).every((f) => existsSync(cached(f)))) jobs.push(buildKata(kata, course, lesson, path.join(CACHE, WORKSPACE_DIR)))
  }
  await Promise.all(jobs)
  writeFileSync(stamp, cache ? print : '')
  const chunks = readdirSync(cached('assets')).filter((f) => f.startsWith('workspace-chunk-'))
  const files = [...[...WORKSPACE_ASSETS, ...chunks].map((f) => `assets/${f}`), ...katas.flatMap(({ kata }) => kataFiles(kata))]
  for (const f of files) {
    mkdirSync(path.dirname(path.join(siteDir, f)), { recursive: true })
    copyFileSync(cached(f), path.join(siteDir, f))
  }
  return files
}
