// The learner's workspace: a copy of the stubs that is theirs to edit and commit.
//
// Created once from stubs/ and never overwritten. A reset saves the learner's
// files to a timestamped backup before it restores the stubs, so no keystroke
// of theirs is ever lost.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Kata } from '../harness/course.ts'
import { filesUnder } from '../harness/files.ts'
import { STUBS_DIR, WORKSPACE_DIR } from '../harness/paths.ts'
import { UserError } from './errors.ts'

/** The workspace folder: `KATAS_WORKSPACE` or `workspace/` in the course. */
export function workspaceDir(): string {
  return process.env.KATAS_WORKSPACE ? path.resolve(process.env.KATAS_WORKSPACE) : WORKSPACE_DIR
}

/** Where the CLI keeps state and backups, inside the workspace so both travel with it. */
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

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-')

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

/** Saves the kata's files, then restores its stubs. Returns the backup folder. */
export function resetKata(kata: Kata, ws = workspaceDir(), stubs = STUBS_DIR): string {
  requireWorkspace(ws)
  const backup = path.join(backupRoot(kata, ws), stamp())
  copyModules(kata, ws, backup)
  copyModules(kata, stubs, ws)
  return backup
}

/** The backups of a kata, oldest first. */
export function backups(kata: Kata, ws = workspaceDir()): string[] {
  const root = backupRoot(kata, ws)
  return existsSync(root) ? readdirSync(root).sort().map((d) => path.join(root, d)) : []
}

/**
 * Restores the newest backup. The files it replaces are saved as a backup of
 * their own first, so an undo can itself be undone.
 */
export function undoReset(kata: Kata, ws = workspaceDir()): string {
  requireWorkspace(ws)
  const newest = backups(kata, ws).at(-1)
  if (!newest) throw new UserError(`kata ${kata.name} has no backup to restore`, `backups are made by \`katas reset ${kata.id}\``)
  const replaced = path.join(backupRoot(kata, ws), stamp())
  copyModules(kata, ws, replaced)
  copyModules(kata, newest, ws)
  rmSync(newest, { recursive: true, force: true })
  return newest
}
