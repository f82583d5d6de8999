// What the learner's files become on each path: the stub of a track, a kata
// switched to the deep track or back to the core path, and the reference given
// by `katas start`. Every change is computed for all of a kata's modules first,
// then the files are backed up, then written, so a failure changes nothing.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata, Track } from '../harness/course.ts'
import { STUBS_DIR } from '../harness/paths.ts'
import { givenByStart, givenFunctions, switchTrack } from '../harness/tracks.ts'
import { UnitError } from '../harness/units.ts'
import { UserError } from './errors.ts'
import { backUp, writeModules, type Backup, type BackupReason } from './workspace.ts'

/** The stub a module starts from on `track`: the core stub, with the given functions stubbed too on the deep track. */
export function stubFor(kata: Kata, module: string, track: Track): string {
  const core = readFileSync(path.join(STUBS_DIR, module), 'utf8')
  return track === 'core' ? core : switchTrack(kata, module, core, 'deep')
}

export interface Change {
  backup: Backup
  /** Per module, the given functions whose code changed hands. */
  functions: Map<string, string[]>
}

function rewrite(kata: Kata, ws: string, reason: BackupReason, from: Track, text: (module: string) => string): Backup {
  const texts = new Map<string, string>()
  for (const m of kata.modules) {
    try {
      texts.set(m, text(m))
    } catch (err) {
      if (err instanceof UnitError) {
        throw new UserError(`cannot switch ${path.join(path.basename(ws), m)}: ${err.message.replace(/^workspace\//, '')}`, `restore that function (or the whole kata with \`katas reset ${kata.id}\`), then try again`)
      }
      throw err
    }
  }
  const backup = backUp(kata, ws, reason, from)
  writeModules(ws, texts)
  return backup
}

const learnerText = (ws: string, m: string): string => readFileSync(path.join(ws, m), 'utf8')

/** Restores the stub of `track`; the learner's files are backed up first. */
export function resetToStub(kata: Kata, ws: string, track: Track): Backup {
  return rewrite(kata, ws, 'reset', track, (m) => stubFor(kata, m, track))
}

/** Switches the kata's modules to `to`: the given functions become stubs (deep) or the reference again (core). */
export function switchKata(kata: Kata, ws: string, to: Track): Change {
  const from: Track = to === 'deep' ? 'core' : 'deep'
  const functions = new Map<string, string[]>()
  for (const m of kata.modules) {
    const given = givenFunctions(kata, m, 'core')
    if (given.length) functions.set(m, given)
  }
  const backup = rewrite(kata, ws, to, from, (m) => switchTrack(kata, m, learnerText(ws, m), to))
  return { backup, functions }
}

/** Fills the kata's modules with the reference, marked as given by `katas start <startedAt>`. */
export function giveKata(kata: Kata, ws: string, startedAt: string, track: Track): Backup {
  return rewrite(kata, ws, 'start', track, (m) => givenByStart(kata, m, startedAt))
}
