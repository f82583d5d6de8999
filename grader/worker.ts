// The grading child process: runs the pristine check files of some katas
// against one graded workspace with vitest's Node API, and reports each kata
// to the grader as it starts and ends (grader/protocol.ts).
//
// It runs apart from the grader so a learner module that loops forever, or
// ends its process, costs one kata: the grader's watchdog kills this process
// and starts another for the katas that are left (grader/run.ts).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestModule } from 'vitest/node'
import { TASK_TITLE } from '../harness/course.ts'
import { CHECKS_DIR, PACKAGE_ROOT } from '../harness/paths.ts'
import { gradePlugin } from './plugin.ts'
import type { CheckRun, KataRun, WorkerJob, WorkerMessage } from './protocol.ts'

const here = fileURLToPath(import.meta.url)
const SANDBOX = path.join(path.dirname(here), `sandbox${path.extname(here)}`)

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()))
}

const kataOf = (file: string): string => path.basename(file).replace(/\.check\.ts$/, '')

export function toKataRun(mod: TestModule, seconds: number): KataRun {
  const checks: CheckRun[] = []
  for (const test of mod.children.allTests()) {
    const m = TASK_TITLE.exec(test.fullName)
    const r = test.result()
    const output = test.meta().output
    const check: CheckRun = {
      name: test.name,
      task: m ? Number(m[1]) : 0,
      status: r.state === 'passed' ? 'pass' : 'fail',
    }
    if (r.state !== 'passed') check.message = r.errors?.[0]?.message ?? `check ${r.state}`
    if (output) check.output = output
    if (test.location) check.line = test.location.line
    checks.push(check)
  }
  const errors = mod.errors()
  const run: KataRun = { kata: kataOf(mod.moduleId), checks, seconds }
  if (errors.length) run.loadError = errors.map((e) => e.message).join('\n')
  return run
}

export async function runJob(job: WorkerJob): Promise<string[]> {
  process.env.KATAS_GRADE_OUTPUT_CAP = String(job.outputCap)
  process.env.KATAS_GRADE_PROGRESS = job.progress
  delete process.env.KATAS_SELFTEST
  const started = new Map<string, number>()
  const runErrors: string[] = []
  const { createVitest } = await import('vitest/node')
  const vitest = await createVitest(
    'test',
    {
      root: PACKAGE_ROOT,
      config: false,
      watch: false,
      include: ['checks/*.check.ts'],
      setupFiles: [SANDBOX],
      pool: 'forks',
      // One fork runs several check files: a fresh fork per file costs ~0.4 s each.
      // A learner module that breaks its process still costs only its own kata (grader/run.ts).
      isolate: false,
      maxWorkers: job.maxWorkers,
      testTimeout: 5000,
      includeTaskLocation: true,
      passWithNoTests: true,
      chaiConfig: { truncateThreshold: 0 },
      reporters: [
        {
          // Queued is when a worker takes the file, before it imports the learner's modules.
          onTestModuleQueued(mod: TestModule) {
            started.set(mod.moduleId, performance.now())
            return send({ type: 'start', kata: kataOf(mod.moduleId) })
          },
          onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>) {
            runErrors.push(...errors.map((e) => e.message ?? String(e)))
          },
          onTestModuleEnd(mod: TestModule) {
            const seconds = (performance.now() - (started.get(mod.moduleId) ?? performance.now())) / 1000
            return send({ type: 'end', run: toKataRun(mod, seconds) })
          },
        },
      ],
    },
    { plugins: [gradePlugin({ root: job.root, forbidden: job.forbidden })], server: { watch: null }, logLevel: 'silent' },
  )
  try {
    await vitest.runTestFiles(job.katas.map((k) => path.join(CHECKS_DIR, `${k}.check.ts`)))
  } finally {
    await vitest.close()
  }
  return runErrors
}

if (process.argv[1] === here) {
  process.once('message', (job: WorkerJob) => {
    runJob(job)
      .then((errors) => send({ type: 'done', errors }))
      .catch((err: unknown) => send({ type: 'fatal', message: (err as Error)?.message ?? String(err) }))
      .finally(() => process.disconnect?.())
  })
}
