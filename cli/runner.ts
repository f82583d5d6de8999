// Runs a kata's checks against the learner's workspace, in this process.
//
// One vitest instance is created and kept: the first run pays vitest's start-up,
// every re-run after a save only re-imports what changed. Results come back
// grouped by task, with each failing check's message in Kubernetes terms.
import path from 'node:path'
import type { TestModule, Vitest } from 'vitest/node'
import { TASK_TITLE, type Kata, type Task } from '../harness/course.ts'
import { CHECKS_DIR, PACKAGE_ROOT } from '../harness/paths.ts'

export interface CheckFailure {
  name: string
  message: string
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

/** Turns vitest's module result into tasks. */
export function toKataResult(kata: Kata, mod: TestModule | undefined, seconds: number): KataResult {
  const tasks: TaskResult[] = kata.tasks.map((task) => ({ task, passed: 0, total: 0, failures: [] }))
  const loadErrors = mod?.errors() ?? []
  for (const test of mod?.children.allTests() ?? []) {
    const m = TASK_TITLE.exec(test.fullName)
    const t = m ? tasks[Number(m[1]) - 1] : undefined
    if (!t) continue
    t.total++
    const r = test.result()
    if (r.state === 'passed') t.passed++
    else t.failures.push({ name: test.name, message: r.errors?.[0]?.message ?? `check ${r.state}` })
  }
  const loadError = !mod
    ? 'the check file did not run'
    : loadErrors.length
      ? loadErrors.map((e) => e.message).join('\n')
      : undefined
  const green = !loadError && tasks.every((t) => t.total > 0 && t.failures.length === 0)
  return loadError ? { kata, tasks, loadError, green, seconds } : { kata, tasks, green, seconds }
}

export class CheckRunner {
  private vitest: Vitest | undefined

  constructor(private readonly implDir: string) {}

  private async instance(): Promise<Vitest> {
    if (this.vitest) return this.vitest
    // The config reads the tree to grade from the environment (harness/impl-plugin.ts).
    process.env.KATAS_IMPL = this.implDir
    // One tree only: never the self-test's many projects, even when started from it.
    delete process.env.KATAS_SELFTEST
    const { createVitest } = await import('vitest/node')
    this.vitest = await createVitest(
      'test',
      {
        root: PACKAGE_ROOT,
        config: path.join(PACKAGE_ROOT, 'vitest.config.ts'),
        watch: false,
        reporters: [{}],
        pool: 'threads',
        passWithNoTests: true,
      },
      { server: { watch: null }, logLevel: 'silent' },
    )
    return this.vitest
  }

  /** Forgets a changed file, so the next run imports it afresh. */
  invalidate(file: string): void {
    this.vitest?.invalidateFile(file)
  }

  async run(kata: Kata): Promise<KataResult> {
    const v = await this.instance()
    const t0 = performance.now()
    const file = checkFile(kata)
    const result = await v.runTestFiles([file])
    const mod = result.testModules.find((m) => m.moduleId === file)
    return toKataResult(kata, mod, (performance.now() - t0) / 1000)
  }

  async close(): Promise<void> {
    await this.vitest?.close()
    this.vitest = undefined
  }
}
