// Is `katas` a command in this shell, and is it the course's launcher (bin/link.mjs)?
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** Where `katas` is found on the PATH, described; undefined when it is not. */
export function commandOnPath(env = process.env): string | undefined {
  const names = process.platform === 'win32' ? ['katas.cmd', 'katas.exe', 'katas'] : ['katas']
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const n of names) {
      const file = path.join(dir, n)
      if (!existsSync(file)) continue
      let ours = false
      try {
        ours = readFileSync(file, 'utf8').includes('katas-launcher')
      } catch {
        // A binary or unreadable file: not the course's.
      }
      return ours ? `${file} (the course's launcher)` : `${file} — not the course's launcher: another program named katas comes first on your PATH`
    }
  }
  return undefined
}
