#!/usr/bin/env node
/**
 * The course's self-test: `npm test`.
 *
 * Proves, on a fresh clone, that the course is sound:
 *   1. everything type-checks in strict mode, and every check also type-checks
 *      against the pristine stubs (the stubs export the API the checks use);
 *      the `katas` command is built, and its tests drive the real binary;
 *   2. every check passes against the reference `solutions/`;
 *   3. every single check fails against the pristine `stubs/` (not just every file);
 *   4. every misconception is caught by the checks it names;
 *   5. every task of every kata has checks, and every check sits in a task
 *      (with the course-integrity tests in harness/*.test.ts: hints, TODOs, trees);
 *   6. the tooling's own tests pass in the same run: every lesson's front matter,
 *      manifests, TypeScript, links and try-it outputs (harness/lessons/), the
 *      simulator's golden transcripts, the grader's hostile checkouts, the site
 *      generator; and the site builds. The browser suite runs apart
 *      (`npm run test:browser`), since it needs Chromium.
 *
 * It grades the pristine stubs, never the learner's workspace, so it keeps
 * passing while a learner works. Exit code 0 when all holds, 1 otherwise.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TASK_TITLE = /^task (\d+) \(([a-z0-9-]+)\): /
/** @type {string[]} */
const failures = []
let passed = 0

/** @param {boolean} ok @param {string} what */
function verdict(ok, what) {
  if (ok) passed++
  else failures.push(what)
  return ok
}

/** @param {string} title */
function step(title) {
  process.stdout.write(`\n== ${title}\n`)
}

// 1. Types ------------------------------------------------------------------
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
for (const { project, what } of [
  { project: 'tsconfig.json', what: 'the whole project type-checks in strict mode' },
  { project: 'tsconfig.stubs.json', what: 'every check type-checks against the pristine stubs' },
  { project: 'tsconfig.build.json', what: 'the katas command builds to dist/ (its tests run the build)' },
  { project: 'site/assets/tsconfig.json', what: "the site's browser scripts type-check with DOM types" },
  { project: 'site/e2e/tsconfig.json', what: "the site's browser tests type-check" },
]) {
  step(`tsc -p ${project}`)
  const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: ROOT, encoding: 'utf8' })
  const out = `${r.stdout}${r.stderr}`.trim()
  if (out) process.stdout.write(`${out}\n`)
  if (verdict(r.status === 0, what)) process.stdout.write(`ok: ${what}\n`)
}

// 2–5. Checks against every tree, in one vitest run ---------------------------
step('checks against solutions, stubs and every misconception')
process.env.KATAS_SELFTEST = '1'
const { startVitest } = await import('vitest/node')

/** @type {ReadonlyArray<import('vitest/node').TestModule>} */
let modules = []
/** @type {ReadonlyArray<unknown>} */
let unhandled = []
const capture = {
  /** @param {ReadonlyArray<import('vitest/node').TestModule>} m @param {ReadonlyArray<unknown>} e */
  onTestRunEnd(m, e) {
    modules = m
    unhandled = e
  },
}
const vitest = await startVitest('test', [], { root: ROOT, watch: false, reporters: [capture], passWithNoTests: false })
await vitest.close()
verdict(unhandled.length === 0, `no unhandled errors during the run (${unhandled.length})`)

/** project → Map<"file > full name", {state, message}> */
const byProject = new Map()
for (const m of modules) {
  const project = m.project.name
  if (!byProject.has(project)) byProject.set(project, new Map())
  const tests = byProject.get(project)
  const file = path.relative(ROOT, m.moduleId)
  const moduleErrors = m.errors()
  if (moduleErrors.length) tests.set(`${file} > (module)`, { state: 'failed', message: moduleErrors[0]?.message ?? '', file, fullName: '(module)', name: '(module)' })
  for (const t of m.children.allTests()) {
    const r = t.result()
    tests.set(`${file} > ${t.fullName}`, {
      state: r.state,
      message: r.errors?.[0]?.message ?? '',
      file,
      fullName: t.fullName,
      name: t.name,
    })
  }
}

/** @param {unknown} s */
const firstLine = (s) => String(s).split('\n').find((l) => l.trim()) ?? ''

// 2. Solutions pass.
const solutions = byProject.get('solutions') ?? new Map()
const solutionFails = [...solutions.entries()].filter(([, r]) => r.state !== 'passed')
for (const [id, r] of solutionFails) process.stdout.write(`FAIL (solutions) ${id}\n    ${firstLine(r.message)}\n`)
verdict(solutions.size > 0 && solutionFails.length === 0, `all ${solutions.size} checks pass against solutions/ (${solutionFails.length} do not)`)
process.stdout.write(`solutions: ${solutions.size - solutionFails.length}/${solutions.size} checks pass\n`)

// 3. Every single check fails on the stubs, and the stubs run the same checks.
const stubs = byProject.get('stubs') ?? new Map()
const checkIds = [...solutions.keys()].filter((id) => id.startsWith('checks/'))
const stubPasses = [...stubs.entries()].filter(([, r]) => r.state === 'passed')
const notRun = checkIds.filter((id) => !stubs.has(id))
for (const [id] of stubPasses) process.stdout.write(`PASSES ON STUB (a check that cannot fail) ${id}\n`)
for (const id of notRun.slice(0, 20)) process.stdout.write(`NOT COLLECTED ON STUB ${id}\n`)
verdict(stubPasses.length === 0, `every check fails against the pristine stubs (${stubPasses.length} pass)`)
verdict(notRun.length === 0, `the stubs run the same ${checkIds.length} checks (${notRun.length} not collected: a stub must not throw at import)`)
process.stdout.write(`stubs: ${stubs.size - stubPasses.length}/${stubs.size} checks fail, as they must\n`)

// 4. Misconceptions are caught by the checks they name.
const misDir = path.join(ROOT, 'misconceptions')
const misconceptions = existsSync(misDir) ? readdirSync(misDir).filter((d) => existsSync(path.join(misDir, d, 'misconception.yaml'))) : []
for (const slug of misconceptions.sort()) {
  const meta = parse(readFileSync(path.join(misDir, slug, 'misconception.yaml'), 'utf8'))
  const results = byProject.get(`misconception:${slug}`) ?? new Map()
  const all = [...results.values()]
  const failed = all.filter((r) => r.state !== 'passed')
  for (const name of meta.caughtBy ?? []) {
    const hits = all.filter((r) => r.name === name)
    const ok = hits.length > 0 && hits.every((r) => r.state === 'failed')
    verdict(ok, `misconception ${slug} is caught by "${name}"${hits.length ? '' : ' (no such check)'}`)
    if (ok) process.stdout.write(`caught: ${slug} by "${name}"\n    ${firstLine(hits[0].message)}\n`)
    else process.stdout.write(`NOT CAUGHT: ${slug} by "${name}"${hits.length ? ' (it passes)' : ' (no check has that name)'}\n`)
  }
  process.stdout.write(`  (${failed.length} of ${all.length} checks of ${meta.kata} fail on it)\n`)
}

// 5. Tasks and checks line up.
const katasDir = path.join(ROOT, 'katas')
for (const name of readdirSync(katasDir).sort()) {
  const file = path.join(katasDir, name, 'kata.yaml')
  if (!existsSync(file)) continue
  const meta = parse(readFileSync(file, 'utf8'))
  const checkFile = `checks/${name}.check.ts`
  const tests = [...solutions.values()].filter((r) => r.file === checkFile)
  verdict(tests.length > 0, `${name} has checks in ${checkFile}`)
  const outside = tests.filter((r) => !TASK_TITLE.test(r.fullName))
  for (const r of outside) process.stdout.write(`OUTSIDE ANY TASK ${checkFile} > ${r.fullName}\n`)
  verdict(outside.length === 0, `every check of ${name} sits in a task`)
  for (const [i, t] of (meta.tasks ?? []).entries()) {
    const prefix = `task ${i + 1} (${t.slug}): `
    const n = tests.filter((r) => r.fullName.startsWith(prefix)).length
    verdict(n > 0, `${name} task ${i + 1} (${t.slug}) has checks`)
  }
  process.stdout.write(`${name}: ${tests.length} checks in ${(meta.tasks ?? []).length} tasks\n`)
}

// 6. The site builds from the lessons, with the API pages ------------------------
step('the site: npm run build:site')
{
  const r = spawnSync(process.execPath, [path.join(ROOT, 'site', 'run.mjs')], { cwd: ROOT, encoding: 'utf8' })
  const out = `${r.stdout}${r.stderr}`.trim()
  if (out) process.stdout.write(`${out}\n`)
  if (verdict(r.status === 0, 'the site builds from the lessons (build/site/)')) process.stdout.write('ok: the site builds\n')
}
// The browser suite needs Chromium and runs on its own (`npm run test:browser`; .ci/run runs it).
process.stdout.write(
  existsSync('/usr/bin/chromium')
    ? 'browser suite: not part of npm test — run `npm run test:browser` (CI does)\n'
    : 'browser suite: skipped — /usr/bin/chromium is missing (apt-get install chromium, then `npm run test:browser`; CI installs it and runs it)\n',
)

// Summary -------------------------------------------------------------------
step('summary')
for (const f of failures) process.stdout.write(`FAILED: ${f}\n`)
const checksRun = [...byProject.values()].reduce((n, m) => n + m.size, 0)
process.stdout.write(`(${checksRun} check runs across ${byProject.size} trees)\n`)
process.stdout.write(`selftest: ${passed} passed, ${failures.length} failed\n`)
process.exitCode = failures.length ? 1 : 0
