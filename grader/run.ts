// Runs katas' checks in a grading child process (grader/worker.ts), in its own
// sandbox when one can start (grader/sandbox.ts), with a watchdog: a kata that
// runs past its time limit has its process killed, and a process that dies
// (the learner's code ended it, or ran it out of memory) is a crash of the kata
// that was running. Outcomes are settled only once the process is gone.
//
// Several katas of one checkout share a process (one vitest start instead of
// one per kata) only while nothing goes wrong: when the process is killed or
// dies, or the checks' code changes the workspace the katas share, the katas it
// could have reached are left unsettled, for the grader to run again, each in a
// process of its own.
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import type { PreparedWorkspace } from './prepare.ts'
import { unsandboxedCopy } from './prepare.ts'
import type { GraderMessage, KataJob, KataRun, WorkerJob, WorkerMessage } from './protocol.ts'
import { sandboxArgv, sandboxEnv, type SandboxLimits } from './sandbox.ts'

const here = fileURLToPath(import.meta.url)
const WORKER = path.join(path.dirname(here), `worker${path.extname(here)}`)
const DIST = path.dirname(path.dirname(here))

/** How a kata ended when its checks did not run to the end. */
export interface KataStop {
  verdict: 'timeout' | 'crashed'
  message: string
}

export interface RunOptions {
  /** Seconds one kata's check file may run, imports included. */
  timeout: number
  /** Characters of console output kept per check. */
  outputCap: number
  /** Run in an OS sandbox (grader/sandbox.ts). */
  sandboxed: boolean
  /** Bytes of a child's own stdout/stderr kept for an error message. */
  logCap?: number
  /** Heap limit of every grading process, in MiB. */
  heapMiB?: number
  /** Seconds a child may take to start vitest before it is counted as broken. */
  startupTimeout?: number
}

export interface KataOutcome {
  run?: KataRun
  stop?: KataStop
  /** The child failed before the kata ran: an environment problem, not the learner's. */
  fatal?: string
}

/** What one process settled, and the katas it leaves to be run again, alone. */
export interface BatchOutcome {
  outcomes: Map<string, KataOutcome>
  unsettled: string[]
}

function killTree(child: ChildProcess): void {
  try {
    // The child heads its own process group; in a sandbox, bwrap's end ends the whole PID namespace.
    if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL')
    else child.kill('SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

/** The course paths a kata's sandbox shows, read-only: what the checks and the worker load. */
function courseMounts(): string[] {
  const course = ['package.json', 'tsconfig.json', 'checks', 'harness', 'katas', 'lib', 'node_modules'].map((p) => path.join(PACKAGE_ROOT, p))
  // The built grader and what it imports, never the rest of dist/.
  return [...course, path.join(DIST, 'grader'), path.join(DIST, 'harness')]
}

/** Every process of the kata, vitest's forks too, gets the heap limit. */
const heapOption = (heap: number) => `--max-old-space-size=${heap}`

/** The command and the paths (as the child sees them) of one grading process. */
function launch(prepared: PreparedWorkspace, katas: KataJob[], opts: RunOptions, heap: number): { argv: string[]; root: string; stage: string; progress: string } {
  const node = [process.execPath, WORKER]
  if (!opts.sandboxed) {
    const root = unsandboxedCopy(prepared, katas.map((k) => k.kata.slice(0, 2)).join('-'))
    return { argv: node, root, stage: prepared.stage, progress: path.join(path.dirname(root), 'progress.jsonl') }
  }
  // Inside, /tmp is the sandbox's own tmpfs: the copy goes there, under the same name it has outside.
  const base = path.join('/tmp', path.basename(prepared.base))
  const root = path.join(base, 'workspace')
  const stage = path.join(base, 'stage')
  const argv = sandboxArgv(
    {
      readOnly: courseMounts(),
      hidden: [path.join(PACKAGE_ROOT, 'node_modules', '.cache'), path.join(PACKAGE_ROOT, 'node_modules', '.vite'), path.join(PACKAGE_ROOT, 'node_modules', '.vitest')],
      source: prepared.stage,
      target: stage,
      links: [
        [path.join(PACKAGE_ROOT, 'lib'), path.join(base, 'lib')],
        [path.join(PACKAGE_ROOT, 'node_modules'), path.join(base, 'node_modules')],
      ],
      cwd: PACKAGE_ROOT,
    },
    { tmpfsMiB: 512, memoryMiB: heap + 2048, cpuSeconds: Math.ceil(opts.timeout * 4 * katas.length + 120) } satisfies SandboxLimits,
    node,
  )
  return { argv, root, stage, progress: path.join('/tmp', 'progress.jsonl') }
}

/**
 * Runs `katas`' check files in one child process, one after another; settles once
 * that process has exited. With one kata, every outcome is settled: how it ended is
 * that kata's. With more, a process that did not run to its end settles only the
 * kata that overran its time, and a workspace changed under the katas settles none.
 */
export function runKatas(prepared: PreparedWorkspace, katas: KataJob[], forbidden: string[], opts: RunOptions): Promise<BatchOutcome> {
  const logCap = opts.logCap ?? 16_384
  const shared = katas.length > 1
  const { argv, root, stage, progress } = launch(prepared, katas, opts, opts.heapMiB ?? 2048)
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: opts.sandboxed ? sandboxEnv({ NODE_OPTIONS: heapOption(opts.heapMiB ?? 2048), NO_COLOR: '1', FORCE_COLOR: '0' }) : { ...process.env, NODE_OPTIONS: heapOption(opts.heapMiB ?? 2048) },
    })
    let log = ''
    const keep = (d: Buffer) => {
      if (log.length < logCap) log += d.toString().slice(0, logCap - log.length)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    const bornAt = Date.now()
    /** The kata whose checks run now, and since when. */
    let running: { kata: string; since: number } | undefined
    const runs = new Map<string, KataRun>()
    let stop: { kata: string; stop: KataStop } | undefined
    let fatal: string | undefined
    let done: { errors: string[]; changed: string[] } | undefined
    let killing = false
    const kill = (why: KataStop | { fatal: string }) => {
      if (killing) return
      killing = true
      if ('fatal' in why) fatal = why.fatal
      else if (running) stop = { kata: running.kata, stop: why }
      killTree(child)
    }
    const timedOut = (check?: string) => {
      const where = check ? `; the check running was "${check}"` : ' while loading its modules'
      kill({ verdict: 'timeout', message: `did not finish within ${opts.timeout} s${where} — an endless loop, or a very slow one?` })
    }
    // Every kata has ended: a process that does not then end (handles left open) is ended.
    const ending = () => setTimeout(() => child.exitCode === null && child.signalCode === null && killTree(child), 15_000).unref()
    let asked = false
    const watchdog = setInterval(() => {
      if (killing) return
      const now = Date.now()
      if (running && now - running.since > opts.timeout * 1000) {
        // Ask which check hangs (the checks run in a fork; this process still answers), then kill.
        if (!asked) {
          asked = true
          child.send({ type: 'where' } satisfies GraderMessage, () => {})
          setTimeout(() => timedOut(), 1000)
        }
      } else if (runs.size === 0 && !running && now - bornAt > (opts.startupTimeout ?? 120) * 1000) {
        kill({ fatal: `the grading process did not start within ${opts.startupTimeout ?? 120} s` })
      }
    }, 100)
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        if (!running && !runs.has(m.kata)) running = { kata: m.kata, since: Date.now() }
      } else if (m.type === 'end' && katas.some((k) => k.kata === m.run.kata) && !runs.has(m.run.kata)) {
        runs.set(m.run.kata, m.run)
        if (running?.kata === m.run.kata) running = undefined
        if (runs.size === katas.length) ending()
      } else if (m.type === 'running') timedOut(m.check)
      else if (m.type === 'done') {
        done = { errors: m.errors, changed: m.changed }
        ending()
      } else if (m.type === 'fatal') fatal ??= m.message
    })
    const settle = (outcome: BatchOutcome) => {
      clearInterval(watchdog)
      // What the process wrote outside a sandbox goes with it.
      if (!opts.sandboxed) rmSync(path.dirname(root), { recursive: true, force: true })
      resolve(outcome)
    }
    /** The outcome of the kata that was running when the process ended, as if it ran alone. */
    const lastOutcome = (code: number | null, signal: NodeJS.Signals | null): KataOutcome => {
      // Once the kata has started, the learner's code shares the sandbox: what went wrong is the kata's, not the grader's.
      if (fatal && running) return { stop: { verdict: 'crashed', message: `the grading process failed under the kata: ${fatal.split('\n')[0]!.slice(0, 300)}` } }
      if (fatal) return { fatal }
      const how = signal ? `was ended by ${signal}` : `exited with code ${code}`
      const tail = log.trim().split('\n').slice(-3).join(' ').slice(0, 300)
      if (running) {
        // The kata started and never ended: its checks' process died under it.
        const why = (done ? done.errors.join(' ') : tail).replace(/\s+/g, ' ').slice(0, 300)
        return { stop: { verdict: 'crashed', message: `the process running its checks ${done ? 'died' : how}: the code ended the process, or ran it out of memory${why ? ` (${why})` : ''}` } }
      }
      return { fatal: `the grading process ${how} before the kata ran${tail ? `: ${tail}` : ''}` }
    }
    child.on('error', (err) => {
      clearInterval(watchdog)
      if (!child.pid) settle(shared ? { outcomes: new Map(), unsettled: katas.map((k) => k.kata) } : { outcomes: new Map([[katas[0]!.kata, { fatal: err.message }]]), unsettled: [] })
    })
    child.on('exit', (code, signal) => {
      // A learner's process left in the group (unsandboxed) goes with it.
      if (!killing && child.pid && process.platform !== 'win32') {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {
          // None left.
        }
      }
      const outcomes = new Map<string, KataOutcome>()
      if (!shared) {
        const kata = katas[0]!.kata
        const run = runs.get(kata)
        outcomes.set(kata, stop ? { stop: stop.stop } : run ? { run } : lastOutcome(code, signal))
        return settle({ outcomes, unsettled: [] })
      }
      if (stop) outcomes.set(stop.kata, { stop: stop.stop })
      // Trusted only when the process ran to its end, with no error outside a check, and left
      // the workspace as it found it.
      const clean = !killing && done !== undefined && done.errors.length === 0 && done.changed.length === 0 && runs.size === katas.length
      if (clean) for (const [kata, run] of runs) outcomes.set(kata, { run })
      settle({ outcomes, unsettled: katas.map((k) => k.kata).filter((k) => !outcomes.has(k)) })
    })
    const job: WorkerJob = { katas, root, stage, forbidden, outputCap: opts.outputCap, progress }
    child.send(job)
  })
}
