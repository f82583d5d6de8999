// Moving between the browser and the terminal course: an export is a zip of the
// `workspace/` folder as the terminal has it — the model modules byte for byte and
// `.katas/state.json` — so `katas check 02` runs on it after unzipping beside
// solutions/. An import reads such a zip back (from this page or from a terminal
// workspace), taking the model modules and the progress file and naming anything
// else it leaves out. The zip code is a chunk of its own, loaded after the first
// verdict (zipCode), not before.
import { parseProgress, type Progress } from '../../../harness/progress.ts'
import type { Kata } from '../../../harness/course.ts'
import type { CourseEntry } from '../../workspace/protocol.ts'
import type { FileRecord } from './store.ts'

export const EXPORT_NAME = 'service-katas-workspace.zip'
const ROOT = 'workspace/'
const STATE = '.katas/state.json'

/** fflate, fetched on first use. */
export const zipCode = () => import('fflate')

/** The zip of an export: every saved module under workspace/, and the progress file. */
export async function exportZip(files: readonly FileRecord[], progressFile: string): Promise<Uint8Array> {
  const { strToU8, zipSync } = await zipCode()
  const entries: Record<string, Uint8Array> = {}
  for (const f of files) entries[`${ROOT}${f.path}`] = strToU8(f.text)
  entries[`${ROOT}${STATE}`] = strToU8(progressFile)
  return zipSync(entries, { level: 6, mtime: new Date() })
}

export class ImportError extends Error {
  override name = 'ImportError'
}

export interface Imported {
  records: FileRecord[]
  progress?: Progress
  /** Entries that are neither a model module nor the progress file. */
  skipped: string[]
}

/** Reads an exported zip; throws ImportError with one line saying what is wrong. */
export async function readZip(name: string, bytes: Uint8Array, course: readonly CourseEntry[], katas: readonly Kata[]): Promise<Imported> {
  const { strFromU8, unzipSync } = await zipCode()
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(bytes)
  } catch {
    throw new ImportError(`${name} is not a zip file: export a workspace first (the Export button, or zip your terminal workspace/ folder)`)
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/'))
  // workspace/labels/selector.ts, or labels/selector.ts when the folder itself was zipped.
  const prefix = names.length > 0 && names.every((n) => n.startsWith(ROOT)) ? ROOT : ''
  const owner = new Map(course.flatMap((k) => k.modules.map((m) => [m, k.id] as const)))
  let progress: Progress | undefined
  const records: FileRecord[] = []
  const skipped: string[] = []
  for (const n of names) {
    const rel = n.slice(prefix.length)
    if (rel === STATE) {
      try {
        progress = parseProgress(strFromU8(entries[n]!), katas)
      } catch (err) {
        throw new ImportError(`${n}: ${(err as Error).message}`)
      }
      continue
    }
    const kata = owner.get(rel)
    if (!kata) {
      skipped.push(n)
      continue
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(entries[n]!)
    } catch {
      throw new ImportError(`${n}: not UTF-8 text`)
    }
    records.push({ path: rel, text, kata, origin: 'learner', savedAt: new Date().toISOString() })
  }
  if (records.length === 0 && !progress) throw new ImportError(`${name} holds no model module and no .katas/state.json: is it a workspace export?`)
  // A kata the progress file calls given holds the reference, not the learner's work.
  for (const r of records) {
    const p = progress?.katas[r.kata]
    if (p?.status === 'given') {
      r.origin = 'given'
      if (p.givenFor) r.givenFor = p.givenFor
    }
  }
  return progress ? { records, progress, skipped } : { records, skipped }
}
