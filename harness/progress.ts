// The learner's progress file (`workspace/.katas/state.json`): its shape, and reading it
// without trusting it.
//
// The learner loop writes it; the grader and the site only read it. It says, per
// kata, which path the learner is on (core or deep), whether the kata was given
// by `katas start` rather than done, which tasks are green and how many hints of
// each task were shown. Checks are the truth about green; this file is a record.
import type { Kata, Track } from './course.ts'
import { HINT_TIERS, TRACKS } from './course.ts'

export const PROGRESS_VERSION = 2

/** `given`: filled with the reference by `katas start NN` for a later kata; not the learner's. */
export const KATA_STATUSES = ['not-started', 'failing', 'passed', 'given'] as const
export type KataStatus = (typeof KATA_STATUSES)[number]

export interface TaskProgress {
  passed: boolean
  /** Hint tiers shown so far, 0–3. */
  hints: number
}

export interface KataProgress {
  status: KataStatus
  track: Track
  /** By task slug. */
  tasks: Record<string, TaskProgress>
  /** ISO time of the first green run. */
  passedAt?: string
  /** For `given`: the kata `katas start` was run for, e.g. "05". */
  givenFor?: string
}

export interface Progress {
  version: typeof PROGRESS_VERSION
  katas: Record<string, KataProgress>
}

export const emptyKataProgress = (kata: Kata): KataProgress => ({
  status: 'not-started',
  track: 'core',
  tasks: Object.fromEntries(kata.tasks.map((t) => [t.slug, { passed: false, hints: 0 }])),
})

export const emptyProgress = (katas: readonly Kata[]): Progress => ({
  version: PROGRESS_VERSION,
  katas: Object.fromEntries(katas.map((k) => [k.id, emptyKataProgress(k)])),
})

export class ProgressError extends Error {
  override name = 'ProgressError'
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Reads a progress file's JSON, checking every value; throws `ProgressError`
 * naming the first bad field. Katas and tasks the course does not have are
 * dropped; missing ones start empty. A version-1 file (before tracks and
 * per-task hints) is read as the core path with its hint count on the first task.
 */
export function parseProgress(json: string, katas: readonly Kata[]): Progress {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch (err) {
    throw new ProgressError(`not JSON: ${(err as Error).message}`)
  }
  if (!isObject(doc) || !isObject(doc.katas)) throw new ProgressError('expected {"version": 2, "katas": {…}}')
  if (doc.version === 1) return fromVersion1(doc.katas, katas)
  if (doc.version !== PROGRESS_VERSION) throw new ProgressError(`version: expected ${PROGRESS_VERSION}, got ${JSON.stringify(doc.version)}`)
  const out = emptyProgress(katas)
  for (const kata of katas) {
    const raw = doc.katas[kata.id]
    if (raw === undefined) continue
    const at = `katas.${kata.id}`
    if (!isObject(raw)) throw new ProgressError(`${at}: expected an object`)
    if (!KATA_STATUSES.includes(raw.status as KataStatus)) throw new ProgressError(`${at}.status: expected one of ${KATA_STATUSES.join(', ')}, got ${JSON.stringify(raw.status)}`)
    if (!TRACKS.includes(raw.track as Track)) throw new ProgressError(`${at}.track: expected core or deep, got ${JSON.stringify(raw.track)}`)
    const p: KataProgress = { ...emptyKataProgress(kata), status: raw.status as KataStatus, track: raw.track as Track }
    if (raw.passedAt !== undefined) {
      if (typeof raw.passedAt !== 'string' || Number.isNaN(Date.parse(raw.passedAt))) throw new ProgressError(`${at}.passedAt: expected an ISO time`)
      p.passedAt = raw.passedAt
    }
    if (raw.givenFor !== undefined) {
      if (typeof raw.givenFor !== 'string' || !/^\d\d$/.test(raw.givenFor)) throw new ProgressError(`${at}.givenFor: expected a kata id such as "05"`)
      p.givenFor = raw.givenFor
    }
    if (raw.tasks !== undefined && !isObject(raw.tasks)) throw new ProgressError(`${at}.tasks: expected an object`)
    for (const t of kata.tasks) {
      const rt = (raw.tasks as Record<string, unknown> | undefined)?.[t.slug]
      if (rt === undefined) continue
      if (!isObject(rt) || typeof rt.passed !== 'boolean' || !Number.isInteger(rt.hints) || (rt.hints as number) < 0 || (rt.hints as number) > HINT_TIERS.length) {
        throw new ProgressError(`${at}.tasks.${t.slug}: expected {"passed": true|false, "hints": 0–${HINT_TIERS.length}}`)
      }
      p.tasks[t.slug] = { passed: rt.passed, hints: rt.hints as number }
    }
    out.katas[kata.id] = p
  }
  return out
}

/** A version-1 count: a whole number ≥ 0 when present. */
function count1(k: Record<string, unknown>, field: string, at: string): number | undefined {
  const v = k[field]
  if (v === undefined) return undefined
  if (!Number.isInteger(v) || (v as number) < 0) throw new ProgressError(`${at}.${field}: expected a whole number ≥ 0, got ${JSON.stringify(v)}`)
  return v as number
}

function fromVersion1(raw: Record<string, unknown>, katas: readonly Kata[]): Progress {
  const out = emptyProgress(katas)
  for (const kata of katas) {
    const k = raw[kata.id]
    if (k === undefined) continue
    const at = `katas.${kata.id}`
    if (!isObject(k)) throw new ProgressError(`${at}: expected an object`)
    const status = k.status
    if (status !== 'not-started' && status !== 'failing' && status !== 'passed') throw new ProgressError(`${at}.status: expected not-started, failing or passed, got ${JSON.stringify(status)}`)
    const hints = Math.min(count1(k, 'hintsShown', at) ?? 0, HINT_TIERS.length)
    count1(k, 'tasksPassed', at)
    count1(k, 'tasksTotal', at)
    if (k.passedAt !== undefined && (typeof k.passedAt !== 'string' || Number.isNaN(Date.parse(k.passedAt)))) throw new ProgressError(`${at}.passedAt: expected an ISO time`)
    const p = out.katas[kata.id]!
    p.status = status
    if (typeof k.passedAt === 'string') p.passedAt = k.passedAt
    const first = kata.tasks[0]
    if (first) p.tasks[first.slug]!.hints = hints
    if (status === 'passed') for (const t of kata.tasks.filter((x) => x.track === 'core')) p.tasks[t.slug]!.passed = true
  }
  return out
}

/**
 * Two records of the same workspace merged, so that no process undoes another's
 * news: a task green in either is green, hint levels only go up, a kata's status
 * and track come from `newer` (the record being written now).
 */
export function mergeProgress(older: Progress, newer: Progress): Progress {
  const out: Progress = { version: PROGRESS_VERSION, katas: {} }
  for (const id of new Set([...Object.keys(older.katas), ...Object.keys(newer.katas)])) {
    const a = older.katas[id]
    const b = newer.katas[id]
    if (!a || !b) {
      out.katas[id] = structuredClone((b ?? a)!)
      continue
    }
    const tasks: Record<string, TaskProgress> = {}
    for (const slug of new Set([...Object.keys(a.tasks), ...Object.keys(b.tasks)])) {
      const x = a.tasks[slug]
      const y = b.tasks[slug]
      tasks[slug] = { passed: Boolean(x?.passed || y?.passed), hints: Math.max(x?.hints ?? 0, y?.hints ?? 0) }
    }
    out.katas[id] = { ...structuredClone(b), tasks }
    const passedAt = b.passedAt ?? a.passedAt
    if (passedAt) out.katas[id]!.passedAt = passedAt
  }
  return out
}
