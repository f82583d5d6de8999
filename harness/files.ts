// The files of a folder tree, as paths relative to it.
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/** Every file below `dir` (relative paths, sorted); none when `dir` does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return (readdirSync(dir, { recursive: true }) as string[]).filter((rel) => statSync(path.join(dir, rel)).isFile()).sort()
}
