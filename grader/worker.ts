// The grading child process: runs katas' check files (pristine, with the
// grader's canaries) against one graded workspace with vitest's Node API, one
// file after another, each in a fork of its own, and reports each kata to the
// grader as it starts and ends (grader/protocol.ts).
//
// One process per checkout, in its own sandbox (grader/sandbox.ts), saves a
// vitest start per kata. Learner code that patches the runner reaches only its
// own kata's fork, which the canaries vouch for. A kata that loops forever or
// ends its process, or code that changes the workspace under the katas after
// it, makes the grader run the katas again, each alone (grader/run.ts): then it
// costs its own kata only.
import { createHash } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestModule } from 'vitest/node'
import { TASK_TITLE } from '../harness/course.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { gradePlugin } from './plugin.ts'
import type { CheckRun, GraderMessage, KataRun, WorkerJob, WorkerMessage } from './protocol.ts'

const here = fileURLToPath(import.meta.url)
const SETUP = path.join(path.dirname(here), `setup${path.extname(here)}`)

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()))
}

export function toKataRun(kata: string, mod: TestModule, seconds: number): KataRun {
  const checks: CheckRun[] = []
  const refused = new Set<string>()
  for (const test of mod.children.allTests()) {
    const m = TASK_TITLE.exec(test.fullName)
    const r = test.result()
    const meta = test.meta()
    const check: CheckRun = {
      name: test.name,
      task: m ? Number(m[1]) : 0,
      status: r.state === 'passed' ? 'pass' : 'fail',
    }
    if (r.state !== 'passed') check.message = r.errors?.[0]?.message ?? `check ${r.state}`
    if (meta.output) check.output = meta.output
    for (const p of meta.refused ?? []) refused.add(p)
    if (test.location) check.line = test.location.line
    checks.push(check)
  }
  const errors = mod.errors()
  const run: KataRun = { kata, checks, seconds }
  if (errors.length) run.loadError = errors.map((e) => e.message).join('\n')
  if (refused.size) run.refused = [...refused].sort()
  return run
}

/** The check the checks' process started last, from its progress file. */
function lastCheck(progress: string): string | undefined {
  if (!existsSync(progress)) return undefined
  const lines = readFileSync(progress, 'utf8').trim().split('\n').reverse()
  for (const line of lines) {
    try {
      return (JSON.parse(line) as { name: string }).name
    } catch {
      // A line cut short.
    }
  }
  return undefined
}

/** Every entry of a tree, by path, with a digest of its content (a link, of its target). */
function snapshot(dir: string, files = new Map<string, string>(), rel = ''): Map<string, string> {
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const name = path.join(rel, entry.name)
    const full = path.join(dir, name)
    if (entry.isDirectory()) snapshot(dir, files, name)
    else if (entry.isSymbolicLink()) files.set(name, `link ${readlinkSync(full)}`)
    else files.set(name, createHash('sha1').update(readFileSync(full)).digest('hex'))
  }
  return files
}

/** The files added, removed or rewritten since `before`. */
function changedSince(dir: string, before: Map<string, string>): string[] {
  const now = snapshot(dir)
  const changed = [...now].filter(([f, digest]) => before.get(f) !== digest).map(([f]) => f)
  return [...changed, ...[...before.keys()].filter((f) => !now.has(f))].sort()
}

export async function runJob(job: WorkerJob): Promise<{ errors: string[]; changed: string[] }> {
  // In a sandbox the workspace copy is read-only: it becomes the learner's private, writable one here.
  if (job.stage) cpSync(job.stage, job.root, { recursive: true })
  // The katas share this copy: a kata's code that changes it would reach the katas after it.
  const pristine = snapshot(job.root)
  const kataOf = new Map(job.katas.map((k) => [k.checkFile, k.kata]))
  process.env.KATAS_GRADE_OUTPUT_CAP = String(job.outputCap)
  process.env.KATAS_GRADE_PROGRESS = job.progress
  delete process.env.KATAS_SELFTEST
  let started = performance.now()
  const runErrors: string[] = []
  const { createVitest } = await import('vitest/node')
  const vitest = await createVitest(
    'test',
    {
      root: PACKAGE_ROOT,
      config: false,
      watch: false,
      cache: false,
      include: job.katas.map((k) => path.relative(PACKAGE_ROOT, k.checkFile)),
      setupFiles: [SETUP],
      // One fork per check file, one at a time: the kata running is the one that started last.
      pool: 'forks',
      maxWorkers: 1,
      testTimeout: 5000,
      includeTaskLocation: true,
      passWithNoTests: true,
      chaiConfig: { truncateThreshold: 0 },
      reporters: [
        {
          // Queued is when the fork takes the file, before it imports the learner's modules.
          onTestModuleQueued(mod: TestModule) {
            started = performance.now()
            return send({ type: 'start', kata: kataOf.get(mod.moduleId) ?? mod.moduleId })
          },
          onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>) {
            runErrors.push(...errors.map((e) => e.message ?? String(e)))
          },
          onTestModuleEnd(mod: TestModule) {
            return send({ type: 'end', run: toKataRun(kataOf.get(mod.moduleId) ?? mod.moduleId, mod, (performance.now() - started) / 1000) })
          },
        },
      ],
    },
    { plugins: [gradePlugin({ root: job.root, forbidden: job.forbidden, checks: Object.fromEntries(job.katas.map((k) => [k.checkFile, k.checkSource])) })], server: { watch: null }, logLevel: 'silent' },
  )
  try {
    await vitest.runTestFiles(job.katas.map((k) => k.checkFile))
  } finally {
    await vitest.close()
  }
  let changed: string[]
  try {
    changed = changedSince(job.root, pristine)
  } catch (err) {
    // A tree the checks' code left unreadable has changed.
    changed = [`(${(err as Error).message})`]
  }
  return { errors: runErrors, changed }
}

if (process.argv[1] === here) {
  let progress: string | undefined
  process.on('message', (m: WorkerJob | GraderMessage) => {
    if ('type' in m) {
      if (m.type === 'where') void send({ type: 'running', ...(progress ? { check: lastCheck(progress) } : {}) })
      return
    }
    progress = m.progress
    runJob(m)
      .then(({ errors, changed }) => send({ type: 'done', errors, changed }))
      .catch((err: unknown) => send({ type: 'fatal', message: (err as Error)?.message ?? String(err) }))
      .finally(() => process.disconnect?.())
  })
}
