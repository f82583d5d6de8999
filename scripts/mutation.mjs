#!/usr/bin/env node
/**
 * `npm run mutation [-- KATA|MODULE…] [--track core|deep] [--check] [--write-baseline] [--force] [--survivors]`
 *
 * How many plausible small bugs the checks catch. StrykerJS plants one bug at a
 * time (a flipped condition, an off-by-one, a dropped guard) in a kata's modules
 * of solutions/ and runs the kata's checks against each, twice:
 *
 *   deep track  every mutant of the kata's modules, against all of its checks;
 *   core path   the mutants inside the functions a core learner writes, against
 *               the core tasks' checks only (all that a core learner runs).
 *
 * One kata at a time, incremental (a re-run tests what changed and what got through before), an HTML
 * report per kata and path under reports/mutation/NN-slug/, and a table per
 * module. `--check` fails when a module scores under 90 % or under its line in
 * checks/mutation-baseline.json; `--write-baseline` records the scores there.
 * `--force` ignores the incremental results; `--survivors` lists what got through.
 * `--track core` (or `deep`) runs one path only; the other's last results are kept.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { ensureGroup } from './tool-group.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(ROOT)
const REPORTS = 'reports/mutation'
const BASELINE = 'checks/mutation-baseline.json'

/**
 * Checks of later katas that also run against a kata's modules, where that is how
 * the course catches a bug: kata → the later check files' kata names.
 * @type {Record<string, string[]>}
 */
const LATER_CHECKS = {}

/** @param {string} msg @returns {never} */
function usage(msg) {
  process.stderr.write(`mutation: ${msg}\nusage: npm run mutation [-- KATA|MODULE…] [--track core|deep] [--check] [--write-baseline] [--force] [--survivors]\n`)
  process.exit(2)
}

/** @type {ReturnType<typeof parseArgs<{ options: { check: { type: 'boolean' }, 'write-baseline': { type: 'boolean' }, force: { type: 'boolean' }, survivors: { type: 'boolean' }, concurrency: { type: 'string' }, track: { type: 'string' } }, allowPositionals: true }>>} */
let args
try {
  args = parseArgs({
    options: { check: { type: 'boolean' }, 'write-baseline': { type: 'boolean' }, force: { type: 'boolean' }, survivors: { type: 'boolean' }, concurrency: { type: 'string' }, track: { type: 'string' } },
    allowPositionals: true,
  })
} catch (e) {
  usage(/** @type {Error} */ (e).message)
}
const concurrency = args.values.concurrency === undefined ? undefined : Number(args.values.concurrency)
if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) usage(`--concurrency: expected a whole number ≥ 1, got ${args.values.concurrency}`)
const track = args.values.track
if (track !== undefined && track !== 'core' && track !== 'deep') usage(`--track: expected core or deep, got ${track}`)

// The harness is TypeScript: build it once, as `npm run proof` does.
const build = spawnSync(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { encoding: 'utf8' })
if (build.status !== 0) {
  process.stdout.write(`${build.stdout}${build.stderr}`)
  process.exit(1)
}
/** @type {import('../harness/course.ts')} */
const course = await import(path.join(ROOT, 'dist/harness/course.js'))
/** @type {import('../harness/mutation.ts')} */
const mutation = await import(path.join(ROOT, 'dist/harness/mutation.js'))
const katas = course.loadCourse()

// What to run: whole katas, or single modules of them.
/** @type {Map<import('../harness/course.ts').Kata, Set<string>>} */
const selection = new Map()
for (const arg of args.positionals.length ? args.positionals : katas.map((k) => k.id)) {
  const module = arg.replace(/^solutions\//, '')
  const owner = katas.find((k) => k.modules.includes(module))
  const kata = owner ?? course.findKata(arg, katas)
  if (!kata) usage(`${arg}: no kata (00–09, or NN-slug) and no module of one (e.g. labels/selector.ts)`)
  const modules = selection.get(kata) ?? new Set()
  for (const m of owner ? [module] : kata.modules) modules.add(m)
  selection.set(kata, modules)
}

// StrykerJS lives apart from the course's install (scripts/stryker/), installed on first use.
const STRYKER = 'scripts/stryker'
const failed = ensureGroup(STRYKER, 'StrykerJS', 'mutation')
if (failed) {
  process.stderr.write(`mutation: ${failed}\n`)
  process.exit(2)
}
/** @type {{ Stryker: new (options: Record<string, unknown>) => { runMutationTest(): Promise<unknown[]> } }} (the course does not install its types) */
const { Stryker } = await import(pathToFileURL(path.join(ROOT, STRYKER, 'node_modules', '@stryker-mutator', 'core', 'dist', 'src', 'index.js')).href)
const base = (await import(path.join(ROOT, 'stryker.config.mjs'))).default

/** @param {string} file @returns {import('../harness/mutation.ts').Report | undefined} */
const readReport = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined)

/**
 * One Stryker run. Stryker writes its incremental file with only the files it
 * mutated this time; the results of the kata's other modules are kept from before.
 * @param {{ kata: import('../harness/course.ts').Kata, path: 'core' | 'deep', mutate: string[], files: string[], tasks?: string[] }} run
 */
async function stryker({ kata, path: track, mutate, files, tasks }) {
  const dir = `${REPORTS}/${kata.name}`
  const incrementalFile = `${dir}/${track}.incremental.json`
  const before = readReport(incrementalFile)
  // Stryker's incremental diff keeps a mutant's old result while its checks keep their names,
  // even when their tables grew, and a static mutant (module-level code) has no per-test
  // coverage at all: so what got through last time is always tested again (few, and cheap).
  if (before && mutate.length > 0) {
    for (const file of mutate) {
      const entry = before.files[file]
      if (entry) entry.mutants = entry.mutants.filter((m) => m.status !== 'Survived' && m.status !== 'NoCoverage')
    }
    writeFileSync(incrementalFile, JSON.stringify(before, null, 2))
  }
  const checks = [kata.name, ...(track === 'deep' ? (LATER_CHECKS[kata.id] ?? []) : [])].map((n) => `checks/${n}.check.ts`)
  process.stdout.write(`\n== ${kata.name}, ${track === 'core' ? 'core path' : 'deep track'}: ${files.join(', ')} against ${checks.join(', ')}${tasks ? ` (tasks ${tasks.join(', ')})` : ''}\n`)
  if (mutate.length === 0) return
  // checks/support/task.ts runs only these tasks' checks; the test-runner workers inherit it.
  if (tasks) process.env.KATAS_TASKS = tasks.join(',')
  else delete process.env.KATAS_TASKS
  // The check files are vitest's include (scripts/mutation.vitest.config.ts), not Stryker's
  // testFiles: with testFiles, Stryker runs a mutant in module-level code like any other,
  // switched on only after the modules have loaded, so it could never be caught.
  process.env.KATAS_MUTATION_CHECKS = checks.join(',')
  delete process.env.KATAS_IMPL
  delete process.env.KATAS_SELFTEST
  const t0 = performance.now()
  try {
    await new Stryker({
      ...base,
      ...(concurrency ? { concurrency } : {}),
      mutate,
      incrementalFile,
      force: Boolean(args.values.force),
      reporters: [...base.reporters, process.stdout.isTTY ? 'progress' : 'progress-append-only'],
      htmlReporter: { fileName: `${dir}/${track}.html` },
      jsonReporter: { fileName: `${dir}/${track}.json` },
    }).runMutationTest()
  } finally {
    delete process.env.KATAS_TASKS
    delete process.env.KATAS_MUTATION_CHECKS
  }
  process.stdout.write(`   ${((performance.now() - t0) / 60000).toFixed(1)} min\n`)
  const after = readReport(incrementalFile)
  if (before && after) {
    for (const [file, entry] of Object.entries(before.files)) {
      const module = file.replace(/^solutions\//, '')
      if (!(file in after.files) && kata.modules.includes(module) && !files.includes(module)) after.files[file] = entry
    }
    writeFileSync(incrementalFile, JSON.stringify(after, null, 2))
  }
}

/** @type {import('../harness/mutation.ts').ModuleScore[]} */
const scores = []
/** @type {string[]} */
const survivors = []
for (const [kata, modules] of selection) {
  const files = [...modules]
  mkdirSync(`${REPORTS}/${kata.name}`, { recursive: true })
  if (track !== 'core') await stryker({ kata, path: 'deep', mutate: files.map((m) => `solutions/${m}`), files })

  const ranges = new Map(files.map((m) => [m, mutation.coreRanges(kata, m, readFileSync(`solutions/${m}`, 'utf8'))]))
  const core = files.filter((m) => ranges.get(m)?.length)
  const coreTasks = course.tasksOf(kata, 'core').map((t) => t.slug)
  if (track !== 'deep') await stryker({
    kata,
    path: 'core',
    mutate: core.flatMap((m) => (ranges.get(m) ?? []).map((r) => `solutions/${m}:${r.startLine}-${r.endLine}`)),
    files: core,
    tasks: coreTasks,
  })

  const deepReport = readReport(`${REPORTS}/${kata.name}/deep.incremental.json`)
  const coreReport = readReport(`${REPORTS}/${kata.name}/core.incremental.json`)
  for (const m of files) {
    const r = ranges.get(m) ?? []
    const deepMutants = deepReport?.files[`solutions/${m}`]?.mutants ?? []
    const coreMutants = r.length ? mutation.mutantsIn(coreReport?.files[`solutions/${m}`]?.mutants ?? [], r) : undefined
    scores.push({ module: m, kata: kata.name, deep: mutation.count(deepMutants), core: coreMutants && mutation.count(coreMutants) })
    if (args.values.survivors) {
      for (const [track, list] of /** @type {const} */ ([['deep', deepMutants], ['core', coreMutants ?? []]])) {
        for (const x of list.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
          const where = r.find((u) => x.location.start.line >= u.startLine && x.location.start.line <= u.endLine)
          survivors.push(`${track} ${m}:${x.location.start.line}:${x.location.start.column} ${x.status} ${x.mutatorName} → ${JSON.stringify(x.replacement ?? '')}${where ? ` (in ${where.name})` : ''}`)
        }
      }
    }
  }
}

// Every module's latest scores, kept across runs of single katas.
const summaryFile = `${REPORTS}/summary.json`
/** @type {Record<string, import('../harness/mutation.ts').ModuleScore>} */
const summary = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : {}
for (const s of scores) summary[s.module] = s
writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`)

if (survivors.length) process.stdout.write(`\nMutants that got through:\n${survivors.join('\n')}\n`)
process.stdout.write(`\n${mutation.table(scores)}\n`)
process.stdout.write(`\nHTML reports: ${[...selection.keys()].map((k) => `${REPORTS}/${k.name}/{deep,core}.html`).join(', ')}\n`)

if (args.values['write-baseline']) {
  const old = existsSync(BASELINE) ? mutation.parseBaseline(BASELINE, readFileSync(BASELINE, 'utf8')) : { floor: mutation.FLOOR, modules: {} }
  const merged = mutation.mergeBaseline(old, mutation.toBaseline(scores))
  writeFileSync(BASELINE, `${JSON.stringify(merged, null, 2)}\n`)
  process.stdout.write(`wrote ${BASELINE}\n`)
}

if (args.values.check) {
  let baseline
  try {
    baseline = mutation.parseBaseline(BASELINE, readFileSync(BASELINE, 'utf8'))
  } catch (e) {
    process.stderr.write(`mutation: ${/** @type {Error} */ (e).message}\n`)
    process.exit(2)
  }
  const short = mutation.shortfalls(scores, baseline)
  for (const s of short) process.stdout.write(`FAILED: ${s}\n`)
  process.stdout.write(short.length ? `mutation: ${short.length} module score(s) fell short\n` : `mutation: every module at or above ${baseline.floor} % and its baseline\n`)
  process.exitCode = short.length ? 1 : 0
}
