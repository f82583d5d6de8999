// The checksum manifest of the files a learner must not change: the checks,
// the harness that loads them, the kata metadata and the vitest config.
//
// The grader never runs a learner's copy of these (it runs its own), so a
// change cannot raise a grade; it is reported as tampering all the same, the
// way Exercism's `scripts/checksum.mjs` guards its shared files.
// `npm run checksums` rewrites grader/checksums.json; a test fails when it is stale.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { filesUnder } from '../harness/files.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'

/** Folders and files under protection, relative to the course root. */
export const PROTECTED = ['checks', 'harness', 'katas', 'vitest.config.ts']

export const MANIFEST = path.join(PACKAGE_ROOT, 'grader', 'checksums.json')

export interface Manifest {
  algorithm: 'sha256'
  files: Record<string, string>
}

/** A file's hash with line endings made LF, so a Windows checkout (autocrlf) is not "changed". */
export function hashFile(file: string): string {
  const text = readFileSync(file).toString('latin1').replace(/\r\n/g, '\n')
  return createHash('sha256').update(text, 'latin1').digest('hex')
}

/** The protected files under `root` (posix relative paths, sorted). */
export function protectedFiles(root: string): string[] {
  const files: string[] = []
  for (const p of PROTECTED) {
    const abs = path.join(root, p)
    if (!existsSync(abs)) continue
    if (statSync(abs).isFile()) files.push(p)
    else for (const rel of filesUnder(abs)) files.push(`${p}/${rel.split(path.sep).join('/')}`)
  }
  return files.sort()
}

export function buildManifest(root = PACKAGE_ROOT): Manifest {
  return { algorithm: 'sha256', files: Object.fromEntries(protectedFiles(root).map((f) => [f, hashFile(path.join(root, f))])) }
}

export function readManifest(file = MANIFEST): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest
}

export interface Tampering {
  file: string
  change: 'changed' | 'deleted' | 'added'
}

/** How a learner checkout's protected files differ from the manifest. */
export function findTampering(checkout: string, manifest: Manifest): Tampering[] {
  const found: Tampering[] = []
  const present = new Set(protectedFiles(checkout))
  // A bare workspace, collected without the course around it, has nothing to compare.
  if (present.size === 0) return []
  for (const [file, sum] of Object.entries(manifest.files)) {
    if (!present.has(file)) found.push({ file, change: 'deleted' })
    else if (hashFile(path.join(checkout, file)) !== sum) found.push({ file, change: 'changed' })
  }
  for (const file of present) if (!(file in manifest.files)) found.push({ file, change: 'added' })
  return found.sort((a, b) => a.file.localeCompare(b.file))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = buildManifest()
  writeFileSync(MANIFEST, `${JSON.stringify(m, null, 2)}\n`)
  process.stdout.write(`grader/checksums.json: ${Object.keys(m.files).length} protected files\n`)
}
