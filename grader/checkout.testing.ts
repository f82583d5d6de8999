// Learner checkouts for the grader's tests, as an instructor would receive them: the
// course's protected files (the ones `katas grade` checks for tampering) and a
// workspace copied from a tree of this course, then one edit.
import { cpSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { PROTECTED } from './checksums.ts'

/** A checkout `name` under `root`; `edit` gets its workspace/ and its own folder. */
export function learnerCheckout(root: string, name: string, from: string, edit: (ws: string, dir: string) => void = () => {}): string {
  const dir = path.join(root, name)
  for (const f of PROTECTED) cpSync(path.join(PACKAGE_ROOT, f), path.join(dir, f), { recursive: true })
  cpSync(from, path.join(dir, 'workspace'), { recursive: true })
  edit(path.join(dir, 'workspace'), dir)
  return dir
}
