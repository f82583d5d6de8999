// Progress: a small, versioned JSON file in the workspace the learner can commit.
//
// Written atomically (temp file + rename), so a crash never leaves half a file.
// A file that cannot be read is moved aside, and the caller rebuilds progress
// by running the checks: progress is derived data, the workspace is the truth.
import { existsSync, readFileSync, renameSync } from 'node:fs'
import { writeFileAtomic } from '../harness/files.ts'
import path from 'node:path'
import type { Kata } from '../harness/course.ts'
import { metaDir } from './workspace.ts'

export const STATE_VERSION = 1

export type KataStatus = 'not-started' | 'failing' | 'passed'

export interface KataProgress {
  status: KataStatus
  /** How many hint tiers the learner has opened (0–3). */
  hintsShown: number
  tasksPassed: number
  tasksTotal: number
  /** ISO time of the first green run. */
  passedAt?: string
}

export interface State {
  version: typeof STATE_VERSION
  katas: Record<string, KataProgress>
}

export function stateFile(ws?: string): string {
  return path.join(metaDir(ws), 'state.json')
}

export const emptyProgress = (kata: Kata): KataProgress => ({ status: 'not-started', hintsShown: 0, tasksPassed: 0, tasksTotal: kata.tasks.length })

function valid(o: unknown): o is State {
  if (typeof o !== 'object' || o === null) return false
  const s = o as State
  if (s.version !== STATE_VERSION || typeof s.katas !== 'object' || s.katas === null) return false
  return Object.values(s.katas).every(
    (k) =>
      typeof k === 'object' && k !== null &&
      ['not-started', 'failing', 'passed'].includes(k.status) &&
      Number.isInteger(k.hintsShown) && Number.isInteger(k.tasksPassed) && Number.isInteger(k.tasksTotal),
  )
}

export interface LoadedState {
  state: State
  /** Set when the file was unreadable: where it was moved to. */
  corruptMovedTo?: string
}

export function loadState(katas: readonly Kata[], ws?: string): LoadedState {
  const file = stateFile(ws)
  const fresh: State = { version: STATE_VERSION, katas: {} }
  let state = fresh
  let corruptMovedTo: string | undefined
  if (existsSync(file)) {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      parsed = undefined
    }
    if (valid(parsed)) state = parsed
    else {
      corruptMovedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
      renameSync(file, corruptMovedTo)
    }
  }
  for (const k of katas) state.katas[k.id] = { ...emptyProgress(k), ...state.katas[k.id], tasksTotal: k.tasks.length }
  return corruptMovedTo ? { state, corruptMovedTo } : { state }
}

export function saveState(state: State, ws?: string): void {
  writeFileAtomic(stateFile(ws), `${JSON.stringify(state, null, 2)}\n`)
}

/** Where to continue: the first kata that is not green (undefined when all are). */
export function currentKata(katas: readonly Kata[], state: State): Kata | undefined {
  return katas.find((k) => state.katas[k.id]?.status !== 'passed')
}
