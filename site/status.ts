// The learner's check status, as the pages fetch it from `status.json` when the site
// is served by `katas serve` or `npm start`. Read-only, and only through the progress
// file's own reader (harness/progress.ts): the CLI owns the file, so an unreadable one
// here is simply "no status".
import { readFileSync } from 'node:fs'
import { type Kata, type Track, tasksFor } from '../harness/course.ts'
import { type KataStatus, parseProgress, type Progress } from '../harness/progress.ts'
import { stateFile } from '../cli/state.ts'

export interface KataStatusJson {
  /** `given`: filled with the reference code by `katas start NN`, not the learner's work. */
  status: KataStatus
  /** The path the learner is on: `deep` after `katas deep NN`. */
  track: Track
  /** Green tasks of that path, and how many it has. */
  tasksPassed: number
  tasksTotal: number
  /** For a given kata: the kata `katas start` was run for. */
  givenFor?: string
}

export interface StatusJson {
  /** false in the static build: the page then shows no status. */
  served: boolean
  /** The first kata that is neither green nor given: where the learner continues. */
  current?: string
  katas?: Record<string, KataStatusJson>
}

export const STATIC_STATUS: StatusJson = { served: false }

function readProgress(katas: readonly Kata[], ws: string): Progress | undefined {
  try {
    return parseProgress(readFileSync(stateFile(ws), 'utf8'), katas)
  } catch {
    // No workspace yet, or a file the CLI will move aside and rebuild: no progress.
    return undefined
  }
}

export function readStatus(katas: readonly Kata[], ws: string): StatusJson {
  const progress = readProgress(katas, ws)
  const out: Record<string, KataStatusJson> = {}
  for (const kata of katas) {
    const p = progress?.katas[kata.id]
    const track = p?.track ?? 'core'
    const tasks = tasksFor(kata, track)
    const s: KataStatusJson = {
      status: p?.status ?? 'not-started',
      track,
      tasksPassed: tasks.filter((t) => p?.tasks[t.slug]?.passed).length,
      tasksTotal: tasks.length,
    }
    if (p?.givenFor) s.givenFor = p.givenFor
    out[kata.id] = s
  }
  const current = katas.find((k) => out[k.id]?.status !== 'passed' && out[k.id]?.status !== 'given')?.id
  return current ? { served: true, current, katas: out } : { served: true, katas: out }
}
