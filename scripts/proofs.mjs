/**
 * What the checks must prove about the course's trees, in one vitest run:
 *
 *   - every check passes against the reference `solutions/`;
 *   - both paths: every check of a core task fails against `stubs/` (the core
 *     path a workspace starts from), every check fails against `deep-stubs/`,
 *     and both trees run the same checks (no stub may throw at import);
 *   - every misconception fails each check it names;
 *   - every core task stands alone: its checks pass on a tree where only its
 *     functions are written (harness/standalone.ts);
 *   - every task has checks, and every check sits in a task.
 *
 * Used by the self-test (`npm test`, every kata and the tooling's own tests) and by
 * `npm run proof -- NN…` (the same proofs for a few katas, while shaping them).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TASK_TITLE = /^task (\d+) \(([a-z0-9-]+)\): /

/**
 * @typedef {{ state: string, message: string, file: string, fullName: string, name: string }} Result
 * @typedef {{ slug: string, track: string }} TaskMeta
 * @typedef {{ name: string, tasks: TaskMeta[] }} KataMeta
 * @typedef {{ ok: boolean, what: string }} Verdict
 */

/** @param {unknown} s */
const firstLine = (s) => String(s).split('\n').find((l) => l.trim()) ?? ''

/** @returns {KataMeta[]} every kata's name and tasks, read straight from kata.yaml */
function katasMeta() {
  const dir = path.join(ROOT, 'katas')
  return readdirSync(dir)
    .sort()
    .filter((name) => existsSync(path.join(dir, name, 'kata.yaml')))
    .map((name) => {
      const meta = parse(readFileSync(path.join(dir, name, 'kata.yaml'), 'utf8'))
      return { name, tasks: /** @type {TaskMeta[]} */ (meta.tasks ?? []) }
    })
}

/**
 * @typedef {{ slug: string, kata: string, caughtBy: string[] }} MisconceptionMeta
 * @returns {MisconceptionMeta[]} every misconception's kata and the checks that must catch it
 */
function misconceptionsMeta() {
  const dir = path.join(ROOT, 'misconceptions')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .sort()
    .filter((slug) => existsSync(path.join(dir, slug, 'misconception.yaml')))
    .map((slug) => {
      const meta = parse(readFileSync(path.join(dir, slug, 'misconception.yaml'), 'utf8'))
      return { slug, kata: String(meta.kata), caughtBy: /** @type {string[]} */ (meta.caughtBy ?? []) }
    })
}

/**
 * For each misconception, the tasks (slugs) whose checks it names, read from the
 * solutions' results; a name no check has maps to no task, so the misconception
 * runs every task and its verdict says the name is wrong.
 * @param {ReadonlyArray<import('vitest/node').TestModule>} modules
 * @param {MisconceptionMeta[]} misconceptions
 * @returns {Record<string, string[]>}
 */
function misconceptionTasks(modules, misconceptions) {
  /** @type {Map<string, Set<string>>} "checks/NN-slug.check.ts\0check name" → task slugs */
  const taskOf = new Map()
  for (const m of modules) {
    if (m.project.name !== 'solutions') continue
    const file = path.relative(ROOT, m.moduleId)
    for (const t of m.children.allTests()) {
      const slug = TASK_TITLE.exec(t.fullName)?.[2]
      if (!slug) continue
      const key = `${file}\0${t.name}`
      taskOf.set(key, (taskOf.get(key) ?? new Set()).add(slug))
    }
  }
  /** @type {Record<string, string[]>} */
  const out = {}
  for (const { slug, kata, caughtBy } of misconceptions) {
    const tasks = caughtBy.map((n) => taskOf.get(`checks/${kata}.check.ts\0${n}`))
    if (tasks.every(Boolean)) out[slug] = [...new Set(tasks.flatMap((t) => [...(t ?? [])]))]
  }
  return out
}

/**
 * Every check's verdict on the reference and on the core stubs, from the first run
 * (harness/suite-results.ts).
 * @param {ReadonlyArray<import('vitest/node').TestModule>} modules
 */
function suiteResults(modules) {
  /** @type {Record<string, { file: string, fullName: string, pass: boolean, message?: string }[]>} */
  const out = { solutions: [], stubs: [] }
  for (const m of modules) {
    const list = out[m.project.name]
    const file = path.relative(ROOT, m.moduleId)
    if (!list || !file.startsWith('checks/')) continue
    for (const t of m.children.allTests()) {
      const r = t.result()
      const message = r.errors?.[0]?.message
      list.push({ file, fullName: t.fullName, pass: r.state === 'passed', ...(message ? { message } : {}) })
    }
  }
  return out
}

/**
 * Runs the checks on every tree and returns the verdicts.
 * @param {{ ids?: string[], write: (s: string) => void }} opts
 *   `ids`: only these katas (two-digit ids), without the tooling's tests.
 */
export async function runProofs({ ids, write }) {
  /** @type {Verdict[]} */
  const verdicts = []
  /** @param {boolean} ok @param {string} what */
  const verdict = (ok, what) => {
    verdicts.push({ ok, what })
    return ok
  }
  const katas = katasMeta().filter((k) => !ids || ids.includes(k.name.slice(0, 2)))
  const checkFiles = katas.map((k) => `checks/${k.name}.check.ts`)

  process.env.KATAS_SELFTEST = '1'
  const { startVitest } = await import('vitest/node')
  const filters = ids ? checkFiles : []
  /**
   * One vitest run over the named projects.
   * @param {string[] | undefined} project
   * @returns {Promise<{ modules: ReadonlyArray<import('vitest/node').TestModule>, unhandled: ReadonlyArray<unknown> }>}
   */
  const run = async (project) => {
    /** @type {{ modules: ReadonlyArray<import('vitest/node').TestModule>, unhandled: ReadonlyArray<unknown> }} */
    const out = { modules: [], unhandled: [] }
    const capture = {
      /** @param {ReadonlyArray<import('vitest/node').TestModule>} m @param {ReadonlyArray<unknown>} e */
      onTestRunEnd(m, e) {
        out.modules = m
        out.unhandled = e
      },
    }
    const vitest = await startVitest('test', filters, {
      root: ROOT,
      watch: false,
      reporters: [capture],
      passWithNoTests: Boolean(ids),
      ...(project ? { project } : {}),
    })
    await vitest.close()
    return out
  }
  // First the trees, then the misconceptions: a misconception runs only the tasks that
  // hold the checks it names, found in the first run's results (a whole kata per
  // misconception is most of the self-test's time).
  const trees = await run(['solutions', 'tools', 'stubs', 'deep-stubs', ...(ids ? ids.map((id) => `standalone:${id}:*`) : ['standalone:*'])])
  const misconceptions = misconceptionsMeta()
  process.env.KATAS_MISCONCEPTION_TASKS = JSON.stringify(misconceptionTasks(trees.modules, misconceptions))
  // The tool tests that read the whole suite's verdicts (harness/suite-results.ts) get this run's.
  const suite = path.join(ROOT, 'build', '.cache', 'suite-results.json')
  mkdirSync(path.dirname(suite), { recursive: true })
  writeFileSync(suite, JSON.stringify(suiteResults(trees.modules)))
  process.env.KATAS_SUITE_RESULTS = suite
  const wrong = await run(['misconception:*', 'suite'])
  delete process.env.KATAS_MISCONCEPTION_TASKS
  delete process.env.KATAS_SUITE_RESULTS
  const modules = [...trees.modules, ...wrong.modules]
  const unhandled = [...trees.unhandled, ...wrong.unhandled]
  verdict(unhandled.length === 0, `no unhandled errors during the run (${unhandled.length})`)

  /** @type {Map<string, Map<string, Result>>} project → "file > full name" → result */
  const byProject = new Map()
  for (const m of modules) {
    // The tool tests run on the reference, in projects of their own: their verdicts are the reference's.
    const name = m.project.name === 'suite' || m.project.name === 'tools' ? 'solutions' : m.project.name
    const tests = byProject.get(name) ?? new Map()
    byProject.set(name, tests)
    const file = path.relative(ROOT, m.moduleId)
    const moduleErrors = m.errors()
    if (moduleErrors.length) tests.set(`${file} > (module)`, { state: 'failed', message: moduleErrors[0]?.message ?? '', file, fullName: '(module)', name: '(module)' })
    for (const t of m.children.allTests()) {
      const r = t.result()
      tests.set(`${file} > ${t.fullName}`, { state: r.state, message: r.errors?.[0]?.message ?? '', file, fullName: t.fullName, name: t.name })
    }
  }

  /** @type {Map<string, Map<string, string>>} check file → task slug → track */
  const tracksOf = new Map(katas.map((k) => [`checks/${k.name}.check.ts`, new Map(k.tasks.map((t) => [t.slug, t.track]))]))
  /** @param {Result} r */
  const trackOf = (r) => tracksOf.get(r.file)?.get(TASK_TITLE.exec(r.fullName)?.[2] ?? '')

  // Solutions pass.
  const solutions = byProject.get('solutions') ?? new Map()
  const solutionFails = [...solutions.entries()].filter(([, r]) => r.state !== 'passed')
  for (const [id, r] of solutionFails) write(`FAIL (solutions) ${id}\n    ${firstLine(r.message)}\n`)
  verdict(solutions.size > 0 && solutionFails.length === 0, `all ${solutions.size} checks pass against solutions/ (${solutionFails.length} do not)`)
  write(`solutions: ${solutions.size - solutionFails.length}/${solutions.size} checks pass\n`)

  // Both paths.
  const checkIds = [...solutions.keys()].filter((id) => id.startsWith('checks/'))
  /** @type {Record<string, number>} */
  const perPath = {}
  /** @type {[string, string, (r: Result) => boolean][]} */
  const paths = [
    ['stubs', 'the core path', (r) => trackOf(r) === 'core'],
    ['deep-stubs', 'the core path and the deep track', () => true],
  ]
  for (const [tree, what, mustFail] of paths) {
    const results = byProject.get(tree) ?? new Map()
    const must = [...results.entries()].filter(([, r]) => mustFail(r))
    const passes = must.filter(([, r]) => r.state === 'passed')
    const notRun = checkIds.filter((id) => !results.has(id))
    for (const [id] of passes) write(`PASSES ON ${tree}/ (a check that cannot fail) ${id}\n`)
    for (const id of notRun.slice(0, 20)) write(`NOT COLLECTED ON ${tree}/ ${id}\n`)
    verdict(must.length > 0 && passes.length === 0, `every check of ${what} fails against ${tree}/ (${passes.length} of ${must.length} pass)`)
    verdict(notRun.length === 0, `${tree}/ runs the same ${checkIds.length} checks (${notRun.length} not collected: a stub must not throw at import)`)
    write(`${tree}: ${must.length - passes.length}/${must.length} checks of ${what} fail, as they must\n`)
    perPath[tree] = must.length
  }

  // Misconceptions are caught by the checks they name.
  const names = katas.map((k) => k.name)
  for (const { slug, kata, caughtBy } of misconceptions) {
    if (!names.includes(kata)) continue
    const all = [...(byProject.get(`misconception:${slug}`) ?? new Map()).values()].filter((r) => r.state !== 'skipped')
    const failed = all.filter((r) => r.state !== 'passed')
    for (const name of caughtBy) {
      const hits = all.filter((r) => r.name === name)
      const ok = hits.length > 0 && hits.every((r) => r.state === 'failed')
      verdict(ok, `misconception ${slug} is caught by "${name}"${hits.length ? '' : ' (no such check)'}`)
      if (ok) write(`caught: ${slug} by "${name}"\n    ${firstLine(hits[0]?.message)}\n`)
      else write(`NOT CAUGHT: ${slug} by "${name}"${hits.length ? ' (it passes)' : ' (no check has that name)'}\n`)
    }
    write(`  (${failed.length} of the ${all.length} checks it ran of ${kata} fail on it)\n`)
  }

  // Every core task stands alone.
  let standalone = 0
  for (const k of katas) {
    const id = k.name.slice(0, 2)
    for (const t of k.tasks.filter((x) => x.track === 'core')) {
      const results = [...(byProject.get(`standalone:${id}:${t.slug}`) ?? new Map()).values()]
      const mine = results.filter((r) => r.file === `checks/${k.name}.check.ts` && TASK_TITLE.exec(r.fullName)?.[2] === t.slug)
      const red = mine.filter((r) => r.state !== 'passed')
      for (const r of red.slice(0, 5)) write(`NEEDS MORE THAN ITS OWN TASK (kata ${id} task ${t.slug}) ${r.name}\n    ${firstLine(r.message)}\n`)
      verdict(mine.length > 0 && red.length === 0, `kata ${id} task ${t.slug} stands alone: ${mine.length - red.length} of its ${mine.length} checks pass with only its functions written`)
      standalone++
    }
  }

  // Tasks and checks line up.
  for (const k of katas) {
    const checkFile = `checks/${k.name}.check.ts`
    const tests = [...solutions.values()].filter((r) => r.file === checkFile)
    verdict(tests.length > 0, `${k.name} has checks in ${checkFile}`)
    const outside = tests.filter((r) => !TASK_TITLE.test(r.fullName))
    for (const r of outside) write(`OUTSIDE ANY TASK ${checkFile} > ${r.fullName}\n`)
    verdict(outside.length === 0, `every check of ${k.name} sits in a task`)
    for (const [i, t] of k.tasks.entries()) {
      const n = tests.filter((r) => r.fullName.startsWith(`task ${i + 1} (${t.slug}): `)).length
      verdict(n > 0, `${k.name} task ${i + 1} (${t.slug}) has checks`)
    }
    const core = tests.filter((r) => trackOf(r) === 'core').length
    const coreTasks = k.tasks.filter((t) => t.track === 'core').length
    write(`${k.name}: ${core} core checks in ${coreTasks} tasks, ${tests.length - core} deep checks in ${k.tasks.length - coreTasks} tasks\n`)
  }

  // Where the run's time went: by kind of tree, and the slowest files (worker time: prepare, import, tests).
  /** @param {import('vitest/node').TestModule} m */
  const seconds = (m) => {
    const d = m.diagnostic()
    return (d.prepareDuration + d.setupDuration + d.collectDuration + d.duration) / 1000
  }
  /** @type {Map<string, { files: number, seconds: number }>} */
  const kinds = new Map()
  for (const m of modules) {
    const kind = m.project.name.split(':')[0] ?? m.project.name
    const k = kinds.get(kind) ?? { files: 0, seconds: 0 }
    kinds.set(kind, { files: k.files + 1, seconds: k.seconds + seconds(m) })
  }
  write(`time in test files: ${[...kinds].map(([kind, k]) => `${kind} ${k.seconds.toFixed(0)} s (${k.files} files)`).join(', ')}\n`)
  const slowest = [...modules].sort((a, b) => seconds(b) - seconds(a)).slice(0, 8)
  write(`slowest: ${slowest.map((m) => `${path.relative(ROOT, m.moduleId)} [${m.project.name}] ${seconds(m).toFixed(1)} s`).join(', ')}\n`)

  const runs = [...byProject.values()].reduce((n, m) => n + [...m.values()].filter((r) => r.state !== 'skipped').length, 0)
  write(`(${runs} check runs across ${byProject.size} trees)\n`)
  write(
    `paths: ${perPath.stubs ?? 0} core checks fail on stubs/, ${perPath['deep-stubs'] ?? 0} checks (core and deep) fail on deep-stubs/, ` +
      `${standalone} core tasks stand alone\n`,
  )
  return verdicts
}
