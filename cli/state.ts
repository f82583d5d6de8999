// The progress store: `workspace/.katas/state.json` (schema: harness/progress.ts),
// one file that every katas process of the workspace shares.
//
// Every change is a read-merge-write under a lock: the file is read afresh, the
// change applied to what is on disk, and the result written atomically. So a
// watch, a `katas check` in another terminal and a stale screen never undo each
// other's news. A file that cannot be read, or holds values of the wrong type,
// is moved aside and progress is rebuilt from the checks: the workspace is the
// truth, progress is a record of it.
import { existsSync, readFileSync, renameSync } from 'node:fs'
import path from 'node:path'
import type { Kata, Track } from '../harness/course.ts'
import { tasksFor } from '../harness/course.ts'
import { writeFileAtomic } from '../harness/files.ts'
import { emptyProgress, parseProgress, ProgressError, type KataProgress, type Progress } from '../harness/progress.ts'
import { withLockSync } from './lock.ts'
import { metaDir } from './workspace.ts'

export type { KataProgress, Progress } from '../harness/progress.ts'

export function stateFile(ws?: string): string {
  return path.join(metaDir(ws), 'state.json')
}

export interface LoadedProgress {
  progress: Progress
  /** Set when the file was unreadable or invalid: where it was moved to, and why. */
  movedAside?: { to: string; reason: string }
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-')

/** Reads the file as it is; a bad file is moved aside (the caller rebuilds). Call under the lock to change it. */
function readLocked(katas: readonly Kata[], file: string): LoadedProgress {
  if (!existsSync(file)) return { progress: emptyProgress(katas) }
  let text: string
  try {
    text = readFileSync(file, 'utf8')
    return { progress: parseProgress(text, katas) }
  } catch (err) {
    const reason = err instanceof ProgressError ? err.message : (err as Error).message
    const to = `${file}.corrupt-${stamp()}`
    renameSync(file, to)
    return { progress: emptyProgress(katas), movedAside: { to, reason } }
  }
}

/** The learner's progress, read without waiting for other processes unless the file must be moved aside. */
export function loadProgress(katas: readonly Kata[], ws?: string): LoadedProgress {
  const file = stateFile(ws)
  if (!existsSync(file)) return { progress: emptyProgress(katas) }
  try {
    return { progress: parseProgress(readFileSync(file, 'utf8'), katas) }
  } catch {
    // Another process may be replacing it right now: decide under the lock.
    return withLockSync(file, () => readLocked(katas, file))
  }
}

/**
 * Applies `change` to the progress on disk, under the lock, and writes it.
 * Returns the progress written.
 */
export function updateProgress(katas: readonly Kata[], ws: string | undefined, change: (p: Progress) => void): Progress {
  const file = stateFile(ws)
  return withLockSync(file, () => {
    const { progress } = readLocked(katas, file)
    change(progress)
    writeFileAtomic(file, `${JSON.stringify(progress, null, 2)}\n`)
    return progress
  })
}

/** The tasks a kata's learner works through now, on their track. */
export function trackOf(progress: Progress, kata: Kata): Track {
  return progress.katas[kata.id]?.track ?? 'core'
}

export const trackTasks = (progress: Progress, kata: Kata) => tasksFor(kata, trackOf(progress, kata))

/** Done, for where to continue: green, or given by `katas start`. */
export const isDone = (p: KataProgress | undefined): boolean => p?.status === 'passed' || p?.status === 'given'

/** Where to continue: the first kata neither green nor given (undefined when none is left). */
export function currentKata(katas: readonly Kata[], progress: Progress): Kata | undefined {
  return katas.find((k) => !isDone(progress.katas[k.id]))
}
