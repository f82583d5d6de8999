// Driving the real `katas` binary from tests, as a learner's shell would: one-shot
// commands, and watch mode on a pipe (keys are lines) with waits on its output.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../../harness/paths.ts'

export const BIN = path.join(PACKAGE_ROOT, 'bin', 'katas.mjs')
export const WAIT_MS = 90_000

/** The environment of a learner's shell on workspace `ws`: no colours, no lessons site, no self-test variables. */
export function learnerEnv(ws: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { KATAS_SELFTEST: _s, KATAS_IMPL: _i, ...inherited } = process.env
  return { ...inherited, KATAS_WORKSPACE: ws, NO_COLOR: '1', FORCE_COLOR: '0', KATAS_SITE: '0', KATAS_CHECKER_IDLE_MS: '120000', ...extra }
}

export function katasIn(env: NodeJS.ProcessEnv) {
  return (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', input: '' })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }
}

export interface Watch {
  /** Waits for one more occurrence of `text` than there is now. */
  next(text: string | RegExp): Promise<void>
  key(k: string): void
  exited: Promise<number | null>
  output(): string
  child: ChildProcessWithoutNullStreams
}

const count = (output: string, text: string | RegExp): number =>
  typeof text === 'string' ? output.split(text).length - 1 : (output.match(new RegExp(text.source, `${text.flags.replace('g', '')}g`)) ?? []).length

export function startWatch(env: NodeJS.ProcessEnv, children: Set<ChildProcessWithoutNullStreams>): Watch {
  const child = spawn(process.execPath, [BIN], { cwd: PACKAGE_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
  children.add(child)
  child.on('exit', () => children.delete(child))
  let output = ''
  const waiters: { text: string | RegExp; seen: number; resolve: () => void }[] = []
  const onData = (d: Buffer) => {
    output += d.toString()
    for (const w of [...waiters]) {
      if (count(output, w.text) > w.seen) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return {
    next(text) {
      const seen = count(output, text)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${String(text)}" in ${WAIT_MS} ms; output so far:\n${output.slice(-3000)}`)), WAIT_MS)
        waiters.push({ text, seen, resolve: () => (clearTimeout(timer), resolve()) })
      })
    },
    key(k) {
      child.stdin.write(`${k}\n`)
    },
    exited,
    output: () => output,
    child,
  }
}

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T
