// The simulated cluster's state file: the seed and the log of every operation that
// changed the cluster or drew a random number, replayed on the next command (like a
// kubeconfig points at a cluster, this file *is* the cluster). Written atomically (a
// temp file renamed over it) under a lock, so a crash never leaves half a file and two
// commands at once never lose an update.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { writeFileAtomic } from '../harness/files.ts'
import path from 'node:path'
import { WORKSPACE_DIR } from '../harness/paths.ts'
import { SimulatorError } from './errors.ts'
import type { ClusterState, Op } from './session.ts'

export const STATE_VERSION = 1
const DEFAULT_SEED = 42

/** `workspace/.katas/cluster.json`, or `KATAS_CLUSTER_FILE`. */
export function defaultStateFile(): string {
  if (process.env.KATAS_CLUSTER_FILE) return path.resolve(process.env.KATAS_CLUSTER_FILE)
  const workspace = process.env.KATAS_WORKSPACE ? path.resolve(process.env.KATAS_WORKSPACE) : WORKSPACE_DIR
  return path.join(workspace, '.katas', 'cluster.json')
}

export function freshState(options: { seed?: number; clock?: 'fixed' | 'wall'; impl?: string } = {}, impl?: string): ClusterState {
  return {
    version: STATE_VERSION,
    id: randomUUID(),
    serial: 0,
    seed: options.seed ?? DEFAULT_SEED,
    ...(impl ? { impl } : {}),
    clock: options.clock ?? 'wall',
    createdAt: Date.now(),
    offset: 0,
    now: 0,
    ops: [],
  }
}

/** Reads the state (a fresh cluster when there is no file). */
export function readState(file: string, options: { seed?: number; clock?: 'fixed' | 'wall' }): ClusterState {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return freshState(options)
  }
  let state: ClusterState
  try {
    state = JSON.parse(text) as ClusterState
  } catch (err) {
    throw damaged(file, (err as Error).message)
  }
  if (state?.version !== STATE_VERSION || typeof state.seed !== 'number' || typeof state.id !== 'string' || !Array.isArray(state.ops)) {
    throw damaged(file, `not a version ${STATE_VERSION} cluster state`)
  }
  const bad = badField(state)
  if (bad) throw damaged(file, bad)
  return state
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v)
const str = (v: unknown) => typeof v === 'string'

/** The fields each operation of the log must have, by kind. */
const OP_FIELDS: Record<Op['op'], Record<string, (v: unknown) => boolean>> = {
  apply: { file: str, text: str },
  delete: { kind: str, namespace: str, name: str, grace: (v) => v === undefined || v === 0 },
  ready: { namespace: str, name: str, ready: (v) => typeof v === 'boolean' },
  node: { name: str, up: (v) => typeof v === 'boolean' },
  curl: { from: (v) => isObject(v) && Object.keys(v).length === 1 && ['pod', 'node', 'external'].some((k) => str(v[k])), url: str },
  lookup: { namespace: str, pod: str, name: str },
  'port-forward': { namespace: str, resource: str, ports: (v) => Array.isArray(v) && v.every(str) },
}

/** The first field of a state that is not what the simulator wrote, as `field: expected …`. */
function badField(state: ClusterState): string | undefined {
  for (const f of ['serial', 'createdAt', 'offset', 'now'] as const) if (!num(state[f])) return `${f}: expected a number`
  if (state.clock !== 'fixed' && state.clock !== 'wall') return 'clock: expected "fixed" or "wall"'
  if (state.workers !== undefined && !(Number.isInteger(state.workers) && state.workers >= 0)) return 'workers: expected a whole number'
  if (state.impl !== undefined && !str(state.impl)) return 'impl: expected a string'
  for (const [i, op] of (state.ops as unknown[]).entries()) {
    if (!isObject(op) || !num(op.at)) return `ops[${i}]: expected an operation with a time`
    const fields = OP_FIELDS[op.op as Op['op']]
    if (!fields) return `ops[${i}].op: expected one of ${Object.keys(OP_FIELDS).join(', ')}`
    for (const [name, ok] of Object.entries(fields)) if (!ok(op[name])) return `ops[${i}].${name}: not what \`katas\` writes`
  }
  return undefined
}

/** For `katas cluster reset`: the state, or — when it cannot be read — a fresh one, the damaged file kept beside it. */
export function readStateForReset(file: string, options: { seed?: number; clock?: 'fixed' | 'wall' }): ClusterState {
  try {
    return readState(file, options)
  } catch (err) {
    if (!(err instanceof SimulatorError)) throw err
    renameSync(file, `${file}.damaged-${Date.now()}`)
    return freshState(options)
  }
}

function damaged(file: string, why: string): SimulatorError {
  return new SimulatorError(`the cluster state ${path.relative(process.cwd(), file)} cannot be read (${why})`, 'start a fresh cluster with `katas cluster reset`', 2)
}

/** Replaces the file in one step: write a temp file beside it, then rename over it. */
export function writeState(file: string, state: ClusterState): void {
  state.serial++
  writeFileAtomic(file, JSON.stringify(state))
}

/** A lock older than this is left over from a crashed command. */
const STALE_MS = 60_000
const WAIT_MS = 30_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Runs `fn` holding `<file>.lock` (a directory: `mkdir` is atomic everywhere). */
export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`
  mkdirSync(path.dirname(file), { recursive: true })
  const start = Date.now()
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      mkdirSync(lock)
      writeFileSync(path.join(lock, 'pid'), String(process.pid))
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      if (stale(lock)) {
        rmSync(lock, { recursive: true, force: true })
        continue
      }
      if (Date.now() - start > WAIT_MS) {
        throw new SimulatorError(`another katas command has held the cluster for ${WAIT_MS / 1000} s (${lock})`, 'if none is running, delete that folder', 2)
      }
      await new Promise((r) => setTimeout(r, delay))
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function stale(lock: string): boolean {
  try {
    const pidFile = path.join(lock, 'pid')
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'))
      if (pid > 0 && !alive(pid)) return true
    }
    return Date.now() - statSync(lock).mtimeMs > STALE_MS
  } catch {
    return false
  }
}
