// Files of the course and the workspace: listing a tree, and replacing a file in one step.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Every file below `dir` (relative paths, sorted); none when `dir` does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return (readdirSync(dir, { recursive: true }) as string[]).filter((rel) => statSync(path.join(dir, rel)).isFile()).sort()
}

/**
 * Writes `text` to a temp file beside `file`, then renames it over `file`: a reader (or a
 * crash) sees the old content or the new, never half of it.
 */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}
