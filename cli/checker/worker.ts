// A checker worker thread: loads the test library and everything a save cannot
// change, says it is ready, then runs check files against the learner's tree
// and reports every check's verdict. A run normally gets a fresh worker, so no
// module state leaks from one run to the next (as vitest
// isolates each test file). When runs come faster than a fresh worker warms up,
// the last one runs again, with the learner's modules loaded afresh (./hooks.ts).
//
// The checks run under vitest's own runner library (@vitest/runner: describe,
// test, timeouts, hooks) and vitest's own `expect`, with the settings of
// vitest.config.ts, so a verdict here is the verdict of `vitest run`
// (cli/checker/parity.test.ts compares them on every kata).
import { register } from 'node:module'
import { sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parentPort, workerData } from 'node:worker_threads'
import type { File, Task, Test, VitestRunner, VitestRunnerConfig } from '@vitest/runner'
import { register as registerTsx } from 'tsx/esm/api'
import type { Preload } from './graph.ts'
import type { CheckRun, CheckState, CheckVerdict } from './protocol.ts'
import { RUNNER_SETTINGS } from './settings.ts'

export interface WorkerInit {
  implRoot: string
  packageRoot: string
  tsconfig: string
  hooks: string
  preload: Preload
}

export type WorkerMessage = { ready: true } | { check: string } | { done: CheckRun }
/** Run `file`; `generation` numbers the worker's runs, so each loads the learner's code afresh. */
export interface RunMessage {
  run: string
  generation: number
}

const init = workerData as WorkerInit
const port = parentPort!
const send = (m: WorkerMessage): void => port.postMessage(m)

// TypeScript through tsx; `@impl/…` through our hooks, which run first (last registered).
registerTsx({ tsconfig: init.tsconfig })
register(init.hooks, { data: { implRoot: init.implRoot, shared: init.preload.modules } })

const runnerLib = await import('@vitest/runner')
const vitest = await import('vitest')
if (vitest.test !== runnerLib.test) throw new Error('vitest and @vitest/runner are different copies: run `npm install`')
vitest.chai.config.truncateThreshold = RUNNER_SETTINGS.truncateThreshold

const unhandled: string[] = []
process.on('unhandledRejection', (reason) => void unhandled.push(`Unhandled rejection: ${(reason as Error)?.message ?? String(reason)}`))
process.on('uncaughtException', (err) => void unhandled.push(`Uncaught exception: ${err.message}`))

for (const p of init.preload.packages) {
  try {
    await import(p)
  } catch {
    // A package with types only (kubernetes-types): nothing to load.
  }
}
for (const m of init.preload.modules) {
  const mod = (await import(pathToFileURL(m).href)) as { loadCourse?: () => unknown }
  // The checks find their kata in the catalogue (harness/course.ts): read it once, here.
  if (m.endsWith(`${sep}harness${sep}course.ts`)) mod.loadCourse?.()
}

const config: VitestRunnerConfig = {
  root: init.packageRoot,
  setupFiles: [],
  name: undefined,
  passWithNoTests: true,
  testNamePattern: undefined,
  allowOnly: !process.env.CI,
  sequence: { shuffle: false, concurrent: false, seed: Date.now(), hooks: 'stack', setupFiles: 'parallel' },
  chaiConfig: { truncateThreshold: RUNNER_SETTINGS.truncateThreshold },
  maxConcurrency: 5,
  testTimeout: RUNNER_SETTINGS.testTimeout,
  hookTimeout: RUNNER_SETTINGS.hookTimeout,
  retry: 0,
  includeTaskLocation: false,
  tags: [],
  tagsFilter: undefined,
  strictTags: true,
}

/** The describe titles and the name of a task, outermost first. */
function names(task: Task): string[] {
  const out: string[] = []
  for (let t: Task | undefined = task; t && t !== t.file; t = t.suite) out.unshift(t.name)
  return out
}

const expectState = (test: Test) => ({
  assertionCalls: 0,
  isExpectingAssertions: false,
  isExpectingAssertionsError: null,
  expectedAssertionsNumber: null,
  expectedAssertionsNumberErrorGen: null,
  currentTestName: names(test).join(' > '),
})

let generation = 0
const runner: VitestRunner = {
  config,
  importFile: (file) => import(`${pathToFileURL(file).href}?katas-run=${generation}`),
  onBeforeRunTask(test) {
    send({ check: names(test).join(' > ') })
  },
  // As vitest's own runner: expect.assertions() and expect.hasAssertions() count per check.
  onBeforeTryTask(test) {
    vitest.expect.setState(expectState(test))
  },
  onAfterTryTask() {
    const s = vitest.expect.getState()
    if (s.expectedAssertionsNumber !== null && s.assertionCalls !== s.expectedAssertionsNumber) throw (s.expectedAssertionsNumberErrorGen as () => Error)()
    if (s.isExpectingAssertions === true && s.assertionCalls === 0) throw s.isExpectingAssertionsError
  },
}

/** Where in the learner's tree an error was thrown: the first stack frame there, as `labels/selector.ts:42:11`. */
function thrownAt(stack: string | undefined): string | undefined {
  if (!stack) return undefined
  const roots = [`${pathToFileURL(init.implRoot).href}/`, `${init.implRoot}${sep}`]
  for (const line of stack.split('\n')) {
    for (const root of roots) {
      const i = line.indexOf(root)
      if (i < 0) continue
      const rest = line.slice(i + root.length).replace(/\)$/, '').replace(/\?[^:]*/, '')
      return decodeURIComponent(rest).split(sep).join('/')
    }
  }
  return undefined
}

function verdicts(file: File): CheckVerdict[] {
  const out: CheckVerdict[] = []
  const walk = (t: Task): void => {
    if (t.type === 'test') {
      const err = t.result?.errors?.[0]
      const v: CheckVerdict = { names: names(t), state: (t.result?.state ?? t.mode) as CheckState }
      if (err) {
        v.message = err.message
        if (err.name !== 'AssertionError') v.thrown = true
        const at = thrownAt(err.stack)
        if (at) v.thrownAt = at
      }
      out.push(v)
    }
    if ('tasks' in t) for (const c of t.tasks) walk(c)
  }
  for (const t of file.tasks) walk(t)
  return out
}

port.on('message', async (m: RunMessage) => {
  generation = m.generation
  unhandled.length = 0
  const t0 = performance.now()
  const [file] = await runnerLib.startTests([m.run], runner)
  const errors = [...(file?.result?.errors ?? []).map((e) => e.message), ...unhandled]
  send({ done: { checks: file ? verdicts(file) : [], errors, seconds: (performance.now() - t0) / 1000 } })
})
send({ ready: true })
