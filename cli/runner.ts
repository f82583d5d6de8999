// Runs a kata's checks against the learner's workspace and groups the verdicts by
// task, with each failing check's message in Kubernetes terms.
//
// The checks run on the workspace's checker (./checker/): a background process
// with a warm worker, shared by every watch and `katas check` on the workspace,
// so a verdict takes a fraction of a second instead of vitest's start-up.
import path from 'node:path'
import { TASK_TITLE, type Kata, type Task } from '../harness/course.ts'
import { CHECKS_DIR } from '../harness/paths.ts'
import { closeInline, runChecks } from './checker/client.ts'
import type { CheckRun } from './checker/protocol.ts'

export interface CheckFailure {
  name: string
  message: string
  /** Where the learner's code threw, when it threw rather than returned a wrong value. */
  thrownAt?: string
  thrown?: boolean
}

export interface TaskResult {
  task: Task
  passed: number
  total: number
  failures: CheckFailure[]
}

export interface KataResult {
  kata: Kata
  tasks: TaskResult[]
  /** The check file could not run at all: a syntax error, a throw at import. */
  loadError?: string
  green: boolean
  seconds: number
}

export function checkFile(kata: Kata): string {
  return path.join(CHECKS_DIR, `${kata.name}.check.ts`)
}

/** A task is green when it has checks and none failed. */
export const taskGreen = (t: TaskResult): boolean => t.total > 0 && t.failures.length === 0

/** Groups a run's verdicts into the kata's tasks. */
export function toKataResult(kata: Kata, run: CheckRun): KataResult {
  const tasks: TaskResult[] = kata.tasks.map((task) => ({ task, passed: 0, total: 0, failures: [] }))
  for (const c of run.checks) {
    const m = TASK_TITLE.exec(c.names.join(' > '))
    const t = m ? tasks[Number(m[1]) - 1] : undefined
    if (!t) continue
    t.total++
    if (c.state === 'pass') t.passed++
    else {
      const f: CheckFailure = { name: c.names.at(-1) ?? '', message: c.message ?? `check ${c.state}` }
      if (c.thrown) f.thrown = true
      if (c.thrownAt) f.thrownAt = c.thrownAt
      t.failures.push(f)
    }
  }
  const loadError = run.errors.length ? run.errors.join('\n') : run.checks.length === 0 ? 'the check file did not run' : undefined
  const green = !loadError && tasks.every(taskGreen)
  return loadError ? { kata, tasks, loadError, green, seconds: run.seconds } : { kata, tasks, green, seconds: run.seconds }
}

export class CheckRunner {
  constructor(readonly implDir: string) {}

  async run(kata: Kata): Promise<KataResult> {
    const t0 = performance.now()
    const run = await runChecks(this.implDir, checkFile(kata))
    return { ...toKataResult(kata, run), seconds: (performance.now() - t0) / 1000 }
  }

  async close(): Promise<void> {
    await closeInline()
  }
}
