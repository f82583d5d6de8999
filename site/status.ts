// The learner's check status, as the pages fetch it from `status.json` when the site
// is served by `katas serve` or `npm start`. Read-only: the CLI owns the progress
// file (cli/state.ts), so an unreadable file here is simply "no status".
import { readFileSync } from 'node:fs'
import type { Kata } from '../harness/course.ts'
import { stateFile } from '../cli/state.ts'

export interface KataStatusJson {
  status: 'not-started' | 'failing' | 'passed'
  tasksPassed: number
  tasksTotal: number
}

export interface StatusJson {
  /** false in the static build: the page then shows no status. */
  served: boolean
  /** The first kata that is not green: where the learner continues. */
  current?: string
  katas?: Record<string, KataStatusJson>
}

export const STATIC_STATUS: StatusJson = { served: false }

const STATUSES = new Set(['not-started', 'failing', 'passed'])

export function readStatus(katas: readonly Kata[], ws: string): StatusJson {
  let saved: Record<string, Partial<KataStatusJson>> = {}
  try {
    const parsed = JSON.parse(readFileSync(stateFile(ws), 'utf8')) as { katas?: unknown }
    if (typeof parsed.katas === 'object' && parsed.katas !== null) saved = parsed.katas as typeof saved
  } catch {
    // No workspace yet, or a damaged file the CLI will rebuild: every kata is not started.
  }
  const out: Record<string, KataStatusJson> = {}
  for (const kata of katas) {
    const s = saved[kata.id]
    const status = s && typeof s.status === 'string' && STATUSES.has(s.status) ? s.status : 'not-started'
    const tasksPassed = s && Number.isInteger(s.tasksPassed) ? s.tasksPassed! : 0
    out[kata.id] = { status, tasksPassed, tasksTotal: kata.tasks.length }
  }
  const current = katas.find((k) => out[k.id]?.status !== 'passed')?.id
  return current ? { served: true, current, katas: out } : { served: true, katas: out }
}
