// Runs check files against one tree of model modules, fast. A worker thread is
// started and warmed (test library, fast-check, the course's helpers loaded)
// before it is needed and takes the next run; a fresh one then warms for the
// run after. When runs come faster than a worker warms up, the last worker runs
// again, loading the learner's modules afresh. A run that stops making progress
// (an endless loop in the learner's code) is ended and says which check ran.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { CHECKS_DIR, KATAS_DIR, PACKAGE_ROOT } from '../../harness/paths.ts'
import { checkFilesIn, newestChange, preloadFor, type Preload } from './graph.ts'
import { checkerScript, type CheckRun } from './protocol.ts'
import { RUNNER_SETTINGS } from './settings.ts'
import type { RunMessage, WorkerInit, WorkerMessage } from './worker.ts'

/** How long a run may go without starting a new check. */
const STALL_MS = Number(process.env.KATAS_CHECK_STALL_MS ?? RUNNER_SETTINGS.testTimeout * 3)
/** A worker that ran this often is retired: each run's modules stay in its memory. */
const MAX_RUNS = 25

interface Slot {
  worker: Worker
  ready: Promise<void>
  isReady: boolean
  /** The newest preloaded file's time when the worker started: a later change makes it stale. */
  loadedAt: number
  runs: number
}

export class Checker {
  /** Warming or ready, not used yet. */
  private fresh: Slot | undefined
  /** Ran before; used again only when no fresh worker is ready. */
  private used: Slot | undefined
  private generation = 0
  private closed = false
  private readonly preload: Preload
  /** Files whose change makes a warm worker stale: the preloaded modules and the catalogue. */
  private readonly shared: string[]

  constructor(
    readonly implRoot: string,
    checksDir = CHECKS_DIR,
  ) {
    this.preload = preloadFor(checkFilesIn(checksDir), path.resolve(implRoot))
    const catalogue = existsSync(KATAS_DIR) ? readdirSync(KATAS_DIR).map((d) => path.join(KATAS_DIR, d, 'kata.yaml')).filter((f) => existsSync(f)) : []
    this.shared = [...this.preload.modules, ...catalogue]
  }

  /** Starts warming a fresh worker, unless one is warming or ready. */
  warm(): void {
    if (this.fresh || this.closed) return
    const init: WorkerInit = {
      implRoot: path.resolve(this.implRoot),
      packageRoot: PACKAGE_ROOT,
      tsconfig: path.join(PACKAGE_ROOT, 'tsconfig.json'),
      hooks: pathToFileURL(checkerScript('hooks')).href,
      preload: this.preload,
    }
    const worker = new Worker(checkerScript('worker'), { workerData: init, stdout: true, stderr: true })
    // Learner code may print; the verdict is what the screen shows.
    worker.stdout.resume()
    worker.stderr.resume()
    const slot: Slot = { worker, isReady: false, loadedAt: newestChange(this.shared), runs: 0, ready: Promise.resolve() }
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (!('ready' in m)) return
        worker.off('message', onMessage)
        slot.isReady = true
        resolve()
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`the checker's worker stopped while starting (exit ${code})`)))
    })
    slot.ready.catch(() => {
      if (this.fresh === slot) this.fresh = undefined
    })
    worker.unref()
    this.fresh = slot
  }

  private retire(slot: Slot | undefined): void {
    if (slot) void slot.worker.terminate()
  }

  /** The worker for the next run: a fresh ready one, else the last one, else a fresh one once warm. */
  private take(): Slot {
    const stale = newestChange(this.shared)
    if (this.fresh && stale > this.fresh.loadedAt) this.retire(this.fresh), (this.fresh = undefined)
    if (this.used && stale > this.used.loadedAt) this.retire(this.used), (this.used = undefined)
    if (this.fresh?.isReady || !this.used) {
      this.warm()
      const slot = this.fresh!
      this.fresh = undefined
      this.retire(this.used)
      this.used = undefined
      return slot
    }
    const slot = this.used
    this.used = undefined
    return slot
  }

  async run(checkFile: string): Promise<CheckRun> {
    const slot = this.take()
    try {
      await slot.ready
    } catch (err) {
      return { checks: [], errors: [`the checker could not start: ${(err as Error).message}`], seconds: 0 }
    }
    const { run, healthy } = await runOn(slot.worker, checkFile, ++this.generation)
    slot.runs++
    if (healthy && slot.runs < MAX_RUNS) {
      slot.worker.unref()
      this.used = slot
    } else this.retire(slot)
    // Warm the next one once this answer is on its way.
    setImmediate(() => this.warm())
    return run
  }

  async close(): Promise<void> {
    this.closed = true
    const slots = [this.fresh, this.used]
    this.fresh = this.used = undefined
    await Promise.all(slots.map((s) => s?.worker.terminate()))
  }
}

/** One run on a worker; `healthy` is false when the worker had to be stopped or died. */
function runOn(worker: Worker, checkFile: string, generation: number): Promise<{ run: CheckRun; healthy: boolean }> {
  const t0 = performance.now()
  const seconds = () => (performance.now() - t0) / 1000
  return new Promise((resolve) => {
    let current = ''
    let stall: NodeJS.Timeout
    const finish = (run: CheckRun, healthy: boolean) => {
      clearTimeout(stall)
      worker.removeAllListeners('message')
      worker.removeAllListeners('exit')
      worker.removeAllListeners('error')
      worker.on('error', () => undefined)
      resolve({ run, healthy })
    }
    const arm = () => {
      clearTimeout(stall)
      stall = setTimeout(() => {
        const what = current
          ? `the check "${current}" did not finish in ${STALL_MS / 1000} s: is there an endless loop in your code?`
          : `your modules did not finish loading in ${STALL_MS / 1000} s: is there an endless loop at the top level of a module?`
        finish({ checks: [], errors: [what], seconds: seconds() }, false)
      }, STALL_MS)
    }
    worker.on('message', (m: WorkerMessage) => {
      if ('check' in m) {
        current = m.check
        arm()
      } else if ('done' in m) finish(m.done, true)
    })
    worker.on('error', (err) => finish({ checks: [], errors: [err.message], seconds: seconds() }, false))
    worker.on('exit', (code) =>
      finish({ checks: [], errors: [`the checks stopped before the end (exit ${code}): does your code call process.exit()?`], seconds: seconds() }, false),
    )
    arm()
    worker.ref()
    worker.postMessage({ run: checkFile, generation } satisfies RunMessage)
  })
}
