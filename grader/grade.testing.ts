// What the tests of `katas grade` share: the real command, run as an instructor
// would, on learner checkouts made from the solutions or the stubs, and how to read
// what it wrote.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadCourse } from '../harness/course.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { findTampering, readManifest, type Tampering } from './checksums.ts'
import { learnerCheckout } from './checkout.testing.ts'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'katas.mjs')
const { KATAS_SELFTEST: _selftest, KATAS_IMPL: _impl, ...inherited } = process.env
const env = { ...inherited, NO_COLOR: '1', FORCE_COLOR: '0' }

export const katas = loadCourse()
/** Points of a kata on the core path, the default track. */
export const corePoints = (k: (typeof katas)[number]) => k.tasks.filter((t) => t.track === 'core').reduce((m, t) => m + t.points, 0)
export const MAX = katas.reduce((n, k) => n + corePoints(k), 0)
// Fixtures copy the course as it is now; while its protected files differ from the
// manifest (until `npm run checksums`), every fixture shows that difference too.
export const BASELINE = findTampering(PACKAGE_ROOT, readManifest())
export const withBaseline = (extra: Tampering[]) =>
  [...BASELINE.filter((b) => !extra.some((e) => e.file === b.file)), ...extra].sort((a, b) => a.file.localeCompare(b.file))

export function katasGrade(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'grade', ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', input: '', maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A temporary folder for one test file's checkouts and reports. */
export const gradeTmp = () => mkdtempSync(path.join(os.tmpdir(), 'katas-grade-test-'))

/** Checkouts under `tmp`: the course's protected files and a workspace copied from `from`, then one edit. */
export const checkoutsIn = (tmp: string) => (name: string, from: string, edit?: (ws: string, dir: string) => void) => learnerCheckout(tmp, name, from, edit)

export interface Summary {
  learner: string
  points: number
  max_points: number
  tampering: { file: string; change: string }[]
  katas: { kata: string; verdict: string; points: number; max_points: number; message: string | null }[]
}
export const readSummary = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary[]

export function assertBuilt(): void {
  if (!existsSync(path.join(PACKAGE_ROOT, 'dist', 'grader', 'command.js'))) throw new Error('dist/ is not built: run `npm run build`')
}
