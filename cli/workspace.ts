// The learner's workspace: a copy of the stubs that is theirs to edit and commit.
//
// Created once from stubs/ and never overwritten. Whatever replaces a learner's
// files (reset, the deep track and back, `katas start`) first saves them to a
// timestamped backup, so no keystroke of theirs is ever lost; `reset --undo`
// walks back through the backups, newest first.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata, Track } from '../harness/course.ts'
import { filesUnder } from '../harness/files.ts'
import { PACKAGE_ROOT, STUBS_DIR, WORKSPACE_DIR } from '../harness/paths.ts'
import { UserError } from './errors.ts'

/**
 * The workspace folder: `KATAS_WORKSPACE` or `workspace/` in the course. Another
 * folder must sit in the course folder too, beside `solutions/`: the stubs import
 * the course library as `../lib/…` (and `../../lib/…`), the path on disk.
 */
export function workspaceDir(): string {
  if (!process.env.KATAS_WORKSPACE) return WORKSPACE_DIR
  const ws = path.resolve(process.env.KATAS_WORKSPACE)
  if (path.dirname(ws) !== PACKAGE_ROOT) {
    throw new UserError(
      `KATAS_WORKSPACE=${process.env.KATAS_WORKSPACE}: a workspace must be a folder directly inside the course (${PACKAGE_ROOT}), beside solutions/`,
      `its modules import the course library as ../lib/…; try KATAS_WORKSPACE=${path.join(PACKAGE_ROOT, path.basename(ws))}`,
    )
  }
  return ws
}

/** Where the katas command keeps progress and backups, inside the workspace so both travel with it. */
export function metaDir(ws = workspaceDir()): string {
  return path.join(ws, '.katas')
}

/**
 * Creates the workspace from the stubs when it does not exist, and adds stub
 * files a newer course brought that the workspace lacks. Never overwrites.
 * Returns the files it copied.
 */
export function ensureWorkspace(ws = workspaceDir(), stubs = STUBS_DIR): string[] {
  const copied: string[] = []
  for (const rel of filesUnder(stubs)) {
    const target = path.join(ws, rel)
    if (existsSync(target)) continue
    mkdirSync(path.dirname(target), { recursive: true })
    copyFileSync(path.join(stubs, rel), target)
    copied.push(rel)
  }
  mkdirSync(metaDir(ws), { recursive: true })
  return copied
}

export function requireWorkspace(ws = workspaceDir()): void {
  if (!existsSync(ws)) throw new UserError(`no workspace at ${ws}`, 'run `katas` (or `npm start`) once to create it from the stubs')
}

/** A kata's modules that are missing from the workspace. */
export function missingModules(kata: Kata, ws: string): string[] {
  return kata.modules.filter((m) => !existsSync(path.join(ws, m)))
}

/**
 * Given functions the learner edited in this kata's files (`module: name`). Loads the
 * TypeScript parser, so callers ask only when a run suggests it (given checks failing).
 */
export async function editedGivenIn(kata: Kata, ws: string, track: Track): Promise<string[]> {
  const { editedGiven } = await import('../harness/tracks.ts')
  const out: string[] = []
  for (const m of kata.modules) {
    const file = path.join(ws, m)
    if (!existsSync(file)) continue
    try {
      out.push(...editedGiven(kata, m, readFileSync(file, 'utf8'), track).map((name) => `${m}: ${name}`))
    } catch {
      // A file that no longer parses: the checks' own load error says so.
    }
  }
  return out
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-')

/** Why a backup was made: the command that replaced the files. */
export type BackupReason = 'reset' | 'deep' | 'core' | 'start'

export interface Backup {
  dir: string
  reason: BackupReason
  /** The track the kata was on when its files were saved. */
  track: Track
  at: string
}

const META = 'backup.json'

function backupRoot(kata: Kata, ws: string): string {
  return path.join(metaDir(ws), 'backups', kata.name)
}

/** Copies the kata's modules from `from` to `to` (missing sources are skipped). */
function copyModules(kata: Kata, from: string, to: string): void {
  for (const m of kata.modules) {
    const src = path.join(from, m)
    if (!existsSync(src)) continue
    mkdirSync(path.dirname(path.join(to, m)), { recursive: true })
    copyFileSync(src, path.join(to, m))
  }
}

/** Saves the kata's files as the newest backup. */
export function backUp(kata: Kata, ws: string, reason: BackupReason, track: Track): Backup {
  const at = new Date().toISOString()
  let dir = path.join(backupRoot(kata, ws), `${stamp()}-${reason}`)
  for (let n = 2; existsSync(dir); n++) dir = path.join(backupRoot(kata, ws), `${stamp()}-${reason}-${n}`)
  copyModules(kata, ws, dir)
  const b: Backup = { dir, reason, track, at }
  writeFileSync(path.join(dir, META), `${JSON.stringify({ reason, track, at }, null, 2)}\n`)
  return b
}

/** The backups of a kata that `reset --undo` can restore, oldest first. */
export function backups(kata: Kata, ws = workspaceDir()): Backup[] {
  const root = backupRoot(kata, ws)
  if (!existsSync(root)) return []
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{4}-/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(root, name)
      let meta: Partial<Backup> = {}
      try {
        meta = JSON.parse(readFileSync(path.join(dir, META), 'utf8')) as Partial<Backup>
      } catch {
        // A backup of an older version of the tool: made by reset, on the core path.
      }
      return { dir, reason: meta.reason ?? 'reset', track: meta.track === 'deep' ? 'deep' : 'core', at: meta.at ?? name } satisfies Backup
    })
}

/** Writes new texts for some of the kata's modules (relative path → text). */
export function writeModules(ws: string, texts: ReadonlyMap<string, string>): void {
  for (const [m, text] of texts) {
    const file = path.join(ws, m)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, text)
  }
}

export interface Undone {
  /** The backup now in the workspace. */
  restored: Backup
  /** Where the files it replaced went. */
  replacedTo: string
  /** Backups still left to walk back through. */
  left: number
}

/**
 * Restores the newest backup and takes it off the stack, so the next undo goes
 * one further back. The files it replaces are saved apart (`replaced/`), out of
 * the stack: nothing is lost, and undo never goes round in a circle.
 */
export function undoReset(kata: Kata, ws = workspaceDir()): Undone {
  requireWorkspace(ws)
  const all = backups(kata, ws)
  const newest = all.at(-1)
  if (!newest) throw new UserError(`kata ${kata.id} has no backup to restore`, `backups are made by \`katas reset ${kata.id}\`, \`katas deep ${kata.id}\`, \`katas core ${kata.id}\` and \`katas start\``)
  const replacedTo = path.join(backupRoot(kata, ws), 'replaced', stamp())
  copyModules(kata, ws, replacedTo)
  copyModules(kata, newest.dir, ws)
  // Taken off the stack, kept until the next undo replaces it: its text is in the workspace now.
  const used = path.join(backupRoot(kata, ws), 'restored', path.basename(newest.dir))
  mkdirSync(path.dirname(used), { recursive: true })
  rmSync(used, { recursive: true, force: true })
  renameSync(newest.dir, used)
  return { restored: { ...newest, dir: used }, replacedTo, left: all.length - 1 }
}
