// The graded copy of a learner's workspace.
//
// The learner's files are copied to a temporary folder and graded there, never
// in place: grading cannot change their work, and what is graded is a snapshot.
// Beside the copy sit links to the pristine course's `lib/` and `node_modules/`,
// so a module's `../../lib/…` import reaches the given code as shipped, not the
// learner's copy of it, while the reference `solutions/` is simply not there.
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { inside } from './plugin.ts'

/** Files of these kinds are copied; anything else in a workspace is not model code. */
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|json)$/
/** A single source file larger than this is not copied (and so reads as missing). */
const MAX_FILE_BYTES = 2 * 1024 * 1024

export interface GradedCopy {
  /** The folder laid out like `solutions/`, as the checks' `@impl/` root. */
  root: string
  /** Files left out, with why: links out of the workspace, oversized files. */
  skipped: string[]
  remove(): void
}

export function copyWorkspace(workspace: string, course = PACKAGE_ROOT): GradedCopy {
  const base = mkdtempSync(path.join(os.tmpdir(), 'katas-grade-'))
  const root = path.join(base, 'workspace')
  const skipped: string[] = []
  const real = realpathSync(workspace)
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const from = path.join(dir, entry.name)
      const to = path.join(root, rel, entry.name)
      const relName = path.join(rel, entry.name)
      if (entry.name === 'node_modules' || entry.name === '.katas' || entry.name === '.git') continue
      let stat = lstatSync(from)
      if (stat.isSymbolicLink()) {
        // A link may point at the reference solutions: follow it only inside the workspace.
        const target = realpathSync(from)
        if (!inside(real, target)) {
          skipped.push(`${relName} (a link to ${target}, outside the workspace)`)
          continue
        }
        stat = lstatSync(target)
      }
      if (stat.isDirectory()) {
        walk(from, relName)
      } else if (stat.isFile() && SOURCE.test(entry.name)) {
        if (stat.size > MAX_FILE_BYTES) {
          skipped.push(`${relName} (${stat.size} bytes, over ${MAX_FILE_BYTES})`)
          continue
        }
        mkdirSync(path.dirname(to), { recursive: true })
        copyFileSync(from, to)
      }
    }
  }
  mkdirSync(root)
  walk(real, '')
  // 'junction' makes folder links work on Windows without extra rights; elsewhere it is ignored.
  symlinkSync(path.join(course, 'lib'), path.join(base, 'lib'), 'junction')
  symlinkSync(path.join(course, 'node_modules'), path.join(base, 'node_modules'), 'junction')
  return { root, skipped, remove: () => rmSync(base, { recursive: true, force: true }) }
}
