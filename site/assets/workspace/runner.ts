// The page's side of the check worker (site/assets/worker/): one run at a time,
// the newest request replacing any still waiting, and a watchdog. A check that
// does not finish within the time limit — an endless loop in the learner's code
// blocks the worker's thread — gets the worker terminated and a new one started,
// and the run ends with the message the grader gives a kata that hangs.
import type { FromWorker, RunResult, RunTree, ToWorker } from '../../workspace/protocol.ts'

/** Seconds one check may run, as vitest.config.ts's testTimeout (5000 ms). */
export const CHECK_LIMIT_S = 5

export type Outcome = { result: RunResult } | { stopped: string }

/** The grader's words for a kata that runs past its limit (grader/run.ts), for one check. */
export function endlessLoopMessage(seconds: number, check: string | undefined): string {
  const where = check ? `; the check running was "${check}"` : ' while loading its modules'
  return `did not finish within ${seconds} s${where} — an endless loop, or a very slow one?`
}

export class CheckRunner {
  private worker: Worker | undefined
  private ready: Promise<void> | undefined
  private nextId = 1
  private running: Promise<Outcome> | undefined
  private queued: { tree: RunTree; resolve: (o: Outcome | undefined) => void } | undefined

  /** Sucrase's script, once fetched; kept, so that a new worker gets it without the network. */
  private compiler: string | undefined
  private compilerFetch: Promise<string> | undefined
  private compilerIn: Worker | undefined

  constructor(
    private readonly workerUrl: string,
    private readonly compilerUrl: string,
    private bundle: { name: string; code: string },
    private readonly limitMs = CHECK_LIMIT_S * 1000,
  ) {}

  /** Starts the worker and hands it the checks bundle (also after a termination). */
  start(): Promise<void> {
    const worker = new Worker(this.workerUrl)
    this.worker = worker
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type !== 'ready') return
        worker.removeEventListener('message', onMessage)
        resolve()
      }
      worker.addEventListener('message', onMessage)
      worker.addEventListener('error', (e) => reject(new Error(`the check worker failed to start: ${e.message}`)), { once: true })
    })
    worker.postMessage({ type: 'bundle', name: this.bundle.name, code: this.bundle.code } satisfies ToWorker)
    this.sendCompiler()
    return this.ready
  }

  /**
   * Runs the following runs on another checks bundle (the whole one, once the core is
   * green): a worker takes it before its next run, and a new worker from the start.
   */
  useBundle(bundle: { name: string; code: string }): void {
    this.bundle = bundle
    this.worker?.postMessage({ type: 'bundle', name: bundle.name, code: bundle.code } satisfies ToWorker)
  }

  /**
   * Fetches the TypeScript compiler (once) and hands it to the worker: before the
   * first run with text to compile, or ahead of it, so that a save does not wait.
   */
  async warm(): Promise<void> {
    this.compilerFetch ??= fetch(this.compilerUrl)
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${this.compilerUrl}: ${r.status}`))))
      .then((code) => (this.compiler = code))
      .catch((err: unknown) => {
        this.compilerFetch = undefined
        throw err
      })
    await this.compilerFetch
    this.sendCompiler()
  }

  private sendCompiler(): void {
    if (!this.worker || this.compiler === undefined || this.compilerIn === this.worker) return
    this.worker.postMessage({ type: 'compiler', code: this.compiler } satisfies ToWorker)
    this.compilerIn = this.worker
  }

  /**
   * Runs the checks on `tree`. While a run is going, a new request waits; a newer
   * one replaces it (resolving the replaced one with undefined): only the latest save matters.
   */
  run(tree: RunTree): Promise<Outcome | undefined> {
    if (!this.running) return this.begin(tree)
    this.queued?.resolve(undefined)
    return new Promise((resolve) => {
      this.queued = { tree, resolve }
    })
  }

  private begin(tree: RunTree): Promise<Outcome> {
    const p = this.once(tree).finally(() => {
      this.running = undefined
      const next = this.queued
      this.queued = undefined
      if (next) void this.begin(next.tree).then(next.resolve)
    })
    this.running = p
    return p
  }

  private async once(run: RunTree): Promise<Outcome> {
    if (!this.worker) await this.start()
    await this.ready
    if (Object.keys(run.tree).length) {
      try {
        await this.warm()
      } catch (err) {
        return { result: { checks: [], loadError: { kind: 'load', message: `the TypeScript compiler could not load: ${(err as Error).message}` }, ms: 0 } }
      }
    }
    const worker = this.worker!
    const id = this.nextId++
    return new Promise<Outcome>((resolve) => {
      let check: string | undefined
      let timer = setTimeout(() => stop(), this.limitMs)
      const stop = () => {
        worker.removeEventListener('message', onMessage)
        worker.terminate()
        this.worker = undefined
        resolve({ stopped: endlessLoopMessage(this.limitMs / 1000, check) })
        // A fresh worker, ready for the next save.
        void this.start().catch(() => undefined)
      }
      const onMessage = (e: MessageEvent<FromWorker>) => {
        const m = e.data
        if (m.type === 'check' && m.id === id) {
          check = m.name
          clearTimeout(timer)
          timer = setTimeout(() => stop(), this.limitMs)
        } else if (m.type === 'result' && m.id === id) {
          clearTimeout(timer)
          worker.removeEventListener('message', onMessage)
          resolve({ result: m.result })
        }
      }
      worker.addEventListener('message', onMessage)
      worker.postMessage({ type: 'run', id, ...run } satisfies ToWorker)
    })
  }
}
