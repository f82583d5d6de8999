// The grading child process: runs one kata's check file (pristine, with the
// grader's canaries) against one graded workspace with vitest's Node API, and
// reports the kata to the grader as it starts and ends (grader/protocol.ts).
//
// One process per kata, in its own sandbox (grader/sandbox.ts): learner code
// that patches the runner, loops forever or ends its process costs its own
// kata only. Nothing here is trusted by the grader beyond that kata's result,
// which the canaries vouch for.
import { cpSync, existsSync, readFileSync } from 'node:fs'
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

export async function runJob(job: WorkerJob): Promise<string[]> {
  // In a sandbox the workspace copy is read-only: it becomes the learner's private, writable one here.
  if (job.stage) cpSync(job.stage, job.root, { recursive: true })
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
      include: [path.relative(PACKAGE_ROOT, job.checkFile)],
      setupFiles: [SETUP],
      pool: 'forks',
      maxWorkers: 1,
      testTimeout: 5000,
      includeTaskLocation: true,
      passWithNoTests: true,
      chaiConfig: { truncateThreshold: 0 },
      reporters: [
        {
          // Queued is when the fork takes the file, before it imports the learner's modules.
          onTestModuleQueued() {
            started = performance.now()
            return send({ type: 'start', kata: job.kata })
          },
          onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>) {
            runErrors.push(...errors.map((e) => e.message ?? String(e)))
          },
          onTestModuleEnd(mod: TestModule) {
            return send({ type: 'end', run: toKataRun(job.kata, mod, (performance.now() - started) / 1000) })
          },
        },
      ],
    },
    { plugins: [gradePlugin({ root: job.root, forbidden: job.forbidden, checks: { [job.checkFile]: job.checkSource } })], server: { watch: null }, logLevel: 'silent' },
  )
  try {
    await vitest.runTestFiles([job.checkFile])
  } finally {
    await vitest.close()
  }
  return runErrors
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
      .then((errors) => send({ type: 'done', errors }))
      .catch((err: unknown) => send({ type: 'fatal', message: (err as Error)?.message ?? String(err) }))
      .finally(() => process.disconnect?.())
  })
}
