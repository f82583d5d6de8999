// Runs katas' checks in grading child processes (grader/worker.ts), with a
// watchdog: a kata that runs past its time limit has its child killed, and a
// child that dies (a learner module ended it, or ran it out of memory) is
// replaced. Either way the katas not yet finished run again in a new child, one
// file at a time, so the kata to blame is the one that was running.
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { KataRun, WorkerJob, WorkerMessage } from './protocol.ts'

const here = fileURLToPath(import.meta.url)
const WORKER = path.join(path.dirname(here), `worker${path.extname(here)}`)

/** How a kata ended when its checks did not run to the end. */
export interface KataStop {
  kata: string
  verdict: 'timeout' | 'crashed'
  message: string
}

export interface RunOptions {
  /** Seconds one kata's check file may run, imports included. */
  timeout: number
  /** Check files one child runs at once. */
  maxWorkers: number
  /** Characters of console output kept per check. */
  outputCap: number
  /** Bytes of a child's own stdout/stderr kept for an error message. */
  logCap?: number
  /** Heap limit of every grading process, in MiB. */
  heapMiB?: number
  /** Seconds a child may take to start vitest before it is counted as broken. */
  startupTimeout?: number
}

interface ChildOutcome {
  finished: KataRun[]
  stopped: KataStop[]
  /** The child ended cleanly, having run everything it was given. */
  done: boolean
  /** The child failed before any kata ran: an environment problem, not the learner's. */
  fatal?: string
}

function killTree(child: ChildProcess): void {
  try {
    // The child heads its own process group: this ends vitest's forks with it.
    if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL')
    else child.kill('SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

/** The last check of `kata` a worker started, from the progress file. */
function lastCheck(progress: string, kata: string): string | undefined {
  if (!existsSync(progress)) return undefined
  const lines = readFileSync(progress, 'utf8').trim().split('\n').reverse()
  for (const line of lines) {
    try {
      const p = JSON.parse(line) as { file: string; name: string }
      if (path.basename(p.file) === `${kata}.check.ts`) return p.name
    } catch {
      // A line cut short by the kill.
    }
  }
  return undefined
}

function runChild(root: string, katas: string[], forbidden: string[], maxWorkers: number, opts: RunOptions): Promise<ChildOutcome> {
  const logCap = opts.logCap ?? 16_384
  const progress = path.join(path.dirname(root), `progress-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`)
  return new Promise((resolve) => {
    const child = fork(WORKER, [], {
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${opts.heapMiB ?? 2048}`.trim() },
    })
    let log = ''
    const keep = (d: Buffer) => {
      if (log.length < logCap) log += d.toString().slice(0, logCap - log.length)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    const finished: KataRun[] = []
    const stopped: KataStop[] = []
    const running = new Map<string, { since: number }>()
    let done = false
    let fatal: string | undefined
    const bornAt = Date.now()
    let settled = false
    const settle = () => {
      if (settled) return
      settled = true
      clearInterval(watchdog)
      resolve(fatal ? { finished, stopped, done, fatal } : { finished, stopped, done })
    }
    const watchdog = setInterval(() => {
      const now = Date.now()
      const late = [...running].filter(([, r]) => now - r.since > opts.timeout * 1000)
      if (late.length) {
        for (const [kata] of late) {
          running.delete(kata)
          const check = lastCheck(progress, kata)
          const where = check ? `; the check running was "${check}"` : ' while loading its modules'
          stopped.push({ kata, verdict: 'timeout', message: `did not finish within ${opts.timeout} s${where} — an endless loop, or a very slow one?` })
        }
        killTree(child)
      } else if (!finished.length && !running.size && now - bornAt > (opts.startupTimeout ?? 120) * 1000) {
        fatal = `the grading process did not start within ${opts.startupTimeout ?? 120} s`
        killTree(child)
      }
    }, 100)
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') running.set(m.kata, { since: Date.now() })
      else if (m.type === 'end') {
        running.delete(m.run.kata)
        finished.push(m.run)
      } else if (m.type === 'done') {
        done = true
        // A kata started but never ended, in a run that did end: its worker process died under it.
        const why = m.errors.join(' ').replace(/\s+/g, ' ').slice(0, 300)
        for (const kata of running.keys()) {
          stopped.push({ kata, verdict: 'crashed', message: `the process running its checks died under it: the code ended the process, or ran it out of memory${why ? ` (${why})` : ''}` })
        }
        running.clear()
      }
      else if (m.type === 'fatal') fatal = m.message
    })
    child.on('error', (err) => {
      fatal = err.message
      settle()
    })
    child.on('exit', (code, signal) => {
      // Katas still running when the child died outside the watchdog's hand: the child crashed.
      if (!done && !fatal) {
        const how = signal ? `was ended by ${signal}` : `exited with code ${code}`
        const tail = log.trim().split('\n').slice(-3).join(' ').slice(0, 300)
        for (const kata of running.keys()) {
          stopped.push({ kata, verdict: 'crashed', message: `the process running its checks ${how}: the code ended the process, or ran it out of memory${tail ? ` (${tail})` : ''}` })
        }
        if (!finished.length && !running.size && !stopped.length) fatal = `the grading process ${how} before any kata ran${tail ? `: ${tail}` : ''}`
      }
      settle()
    })
    const job: WorkerJob = { root, katas, forbidden, maxWorkers, outputCap: opts.outputCap, progress }
    child.send(job)
  })
}

export interface RunResult {
  runs: KataRun[]
  stops: KataStop[]
  /** A grading environment problem; the katas it left unrun are listed in `unrun`. */
  fatal?: string
  unrun: string[]
}

/** Runs the katas' checks against the graded workspace `root`, whatever its modules do. */
export async function runKatas(root: string, katas: string[], forbidden: string[], opts: RunOptions): Promise<RunResult> {
  const runs: KataRun[] = []
  const stops: KataStop[] = []
  let pending = [...katas]
  let maxWorkers = opts.maxWorkers
  while (pending.length) {
    const out = await runChild(root, pending, forbidden, maxWorkers, opts)
    runs.push(...out.finished)
    // Blame is certain when the kata ran alone. A kata that timed out beside others
    // may only have been starved of CPU: it runs again, alone, before it is blamed.
    const blamed = out.stopped.filter((s) => maxWorkers === 1 || (s.verdict === 'crashed' && out.stopped.length === 1))
    stops.push(...blamed)
    const decided = new Set([...out.finished.map((r) => r.kata), ...blamed.map((s) => s.kata)])
    const left = pending.filter((k) => !decided.has(k))
    if (out.fatal && !out.finished.length && !blamed.length) return { runs, stops, fatal: out.fatal, unrun: left }
    // A worker that died takes the files queued behind it along: those run again.
    if (out.done && left.length && !out.stopped.length) return { runs, stops, fatal: 'the grading process ended without running every kata', unrun: left }
    if (left.length === pending.length && maxWorkers === 1) return { runs, stops, fatal: out.fatal ?? 'grading made no progress', unrun: left }
    pending = left
    maxWorkers = 1
  }
  return { runs, stops, unrun: [] }
}
