// `katas grade [DIR…]`: grades learner checkouts for a workshop or CI.
//
// Exit codes: 0 every kata of every checkout passed, 1 some did not,
// 2 a usage or grading-environment error. Output files are written whatever
// the learners' code did.
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { findKata, loadCourse, type Kata } from '../harness/course.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { writeFileAtomic } from '../harness/files.ts'
import { UserError } from '../cli/errors.ts'
import { toExercism } from './exercism.ts'
// The grader itself (and TypeScript's parser it needs) loads once the arguments hold.
import type { CheckoutGrade, GradeOptions } from './grade.ts'
import { toJUnit } from './junit.ts'
import { csv, markdown, summaryJson, table } from './report.ts'
import { probeSandbox, SANDBOX_MODES, type SandboxMode } from './sandbox.ts'

const USAGE_HINT = 'run `katas grade --help` for the options'

export const GRADE_HELP = `Usage: katas grade [DIR…] [OPTIONS]

Grades learner checkouts of the course: every kata's checks, as shipped with
this course, against DIR/workspace/. DIR defaults to this course's own folder.

  --json DIR          Exercism test-runner v3 results, one file per kata
                      (DIR/NN-slug.json; DIR/<learner>/NN-slug.json for many
                      checkouts), and DIR/summary.json with the points
  --junit FILE        JUnit XML, one test suite per kata
  --csv FILE          one row per checkout, one column of points per kata
  --markdown FILE     append a Markdown points table (e.g. $GITHUB_STEP_SUMMARY)
  --kata KATA         grade only this kata (repeatable)
  --timeout SECONDS   time limit per kata, imports included (default 10)
  --max-output CHARS  console output kept per check (default 500)
  --jobs N            grading processes at once (a checkout each)
                      (default: the number of cores)
  --sandbox MODE      auto: every grading process in an OS sandbox (bubblewrap) when one
                      can start, else unsandboxed and said so (the default);
                      required: exit 2 when none can start; off: never

Exit codes: 0 all passed, 1 some failed, 2 usage or grading-environment error.`

export interface GradeArgs {
  dirs: string[]
  json?: string
  junit?: string
  csv?: string
  markdown?: string
  katas: Kata[]
  timeout: number
  maxOutput: number
  jobs: number
  sandbox: SandboxMode
  help: boolean
}

function positive(name: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UserError(`--${name}: expected a ${integer ? 'whole ' : ''}number above 0, got "${value}"`, USAGE_HINT)
  }
  return n
}

export function parseGradeArgs(argv: string[]): GradeArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'string' },
        junit: { type: 'string' },
        csv: { type: 'string' },
        markdown: { type: 'string' },
        kata: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'max-output': { type: 'string' },
        jobs: { type: 'string' },
        sandbox: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (err) {
    throw new UserError((err as Error).message.split('\n')[0]!.replace(/\. To specify .*/, ''), USAGE_HINT)
  }
  const { values: v, positionals } = parsed
  const course = loadCourse()
  const katas = (v.kata ?? []).map((q) => {
    const k = findKata(q, course)
    if (!k) throw new UserError(`--kata: unknown kata "${q}"`, 'name a kata by number (03) or slug (endpoints)')
    return k
  })
  const dirs = positionals.length ? positionals : [PACKAGE_ROOT]
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UserError(`no checkout folder at ${d}`, 'give the folder of a learner checkout (the one holding workspace/)')
  }
  const sandbox = (v.sandbox ?? 'auto') as SandboxMode
  if (!SANDBOX_MODES.includes(sandbox)) throw new UserError(`--sandbox: expected ${SANDBOX_MODES.join(', ')}, got "${v.sandbox}"`, USAGE_HINT)
  const out: GradeArgs = {
    dirs,
    katas: katas.length ? [...new Set(katas)].sort((a, b) => a.id.localeCompare(b.id)) : course,
    timeout: positive('timeout', v.timeout, 10, false),
    maxOutput: positive('max-output', v['max-output'], 500, true),
    jobs: positive('jobs', v.jobs, os.availableParallelism(), true),
    sandbox,
    help: v.help ?? false,
  }
  for (const k of ['json', 'junit', 'csv', 'markdown'] as const) if (v[k] !== undefined) out[k] = v[k]
  return out
}

/** Names each checkout uniquely, for folders and rows: its base name, then `-2`, `-3`… */
function uniqueNames(grades: CheckoutGrade[]): void {
  const seen = new Map<string, number>()
  for (const g of grades) {
    const n = (seen.get(g.name) ?? 0) + 1
    seen.set(g.name, n)
    if (n > 1) g.name = `${g.name}-${n}`
  }
}

/** Output files are written whole, in one step each, once every grading process has ended. */
function write(file: string, text: string, append = false): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  if (append) appendFileSync(file, text)
  else writeFileAtomic(file, text)
}

export async function grade(argv: string[], out: (text: string) => void): Promise<number> {
  const args = parseGradeArgs(argv)
  if (args.help) {
    out(GRADE_HELP)
    return 0
  }
  const probe = args.sandbox === 'off' ? { sandboxed: false, reason: 'the sandbox was turned off (--sandbox off)' } : probeSandbox()
  if (!probe.sandboxed && args.sandbox === 'required') throw new UserError(`--sandbox required: ${probe.reason}`, 'install bubblewrap and allow user namespaces (docs/grading.md), or grade with --sandbox auto')
  const opts: GradeOptions = { katas: args.katas, timeout: args.timeout, outputCap: args.maxOutput, jobs: args.jobs, sandboxed: probe.sandboxed }
  if (probe.reason) opts.unsandboxed = probe.reason
  const { gradeCheckouts } = await import('./grade.ts')
  const grades = await gradeCheckouts(args.dirs, opts, (g) => out(`${table(g)}\n`))
  uniqueNames(grades)
  const many = grades.length > 1
  if (args.json) {
    for (const c of grades) {
      const dir = many ? path.join(args.json, c.name) : args.json
      for (const g of c.katas) write(path.join(dir, `${g.kata.name}.json`), `${JSON.stringify(toExercism(g), null, 2)}\n`)
    }
    write(path.join(args.json, 'summary.json'), `${JSON.stringify(summaryJson(grades), null, 2)}\n`)
  }
  if (args.junit) write(args.junit, toJUnit(grades))
  if (args.csv) write(args.csv, csv(grades, args.katas))
  if (args.markdown) write(args.markdown, markdown(grades), true)
  if (many) {
    const total = grades.reduce((n, g) => n + g.points, 0)
    const max = grades.reduce((n, g) => n + g.maxPoints, 0)
    out(`${grades.length} checkouts graded: ${total}/${max} points in all`)
  }
  const fatal = grades.find((g) => g.fatal)
  if (fatal) {
    process.stderr.write(`katas: grading ${fatal.dir} failed: ${fatal.fatal}\nhint: run \`katas doctor\` and \`npm run build\` in the course folder\n`)
    return 2
  }
  return grades.every((c) => c.katas.every((g) => g.verdict === 'passed' || g.verdict === 'given')) ? 0 : 1
}
