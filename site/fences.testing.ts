// The code blocks of every lesson in a folder, for the highlighter's tests: read with the
// lessons' own block reader (harness/lessons/blocks.ts), as the lesson checker reads them.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { extractBlocks } from '../harness/lessons/blocks.ts'

export interface Fence {
  file: string
  /** The block's code, without its last newline. */
  code: string
  /** The fence's language as written (`yaml`, `ts`, `console`). */
  lang: string
}

/** Every code block of the lessons (`*.md`) in `dir`, in file order. */
export function fencesIn(dir: string): Fence[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .flatMap((f) => extractBlocks(readFileSync(path.join(dir, f), 'utf8')).code.map((b) => ({ file: f, code: b.text.replace(/\n$/, ''), lang: b.lang })))
}
