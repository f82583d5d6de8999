// `katas grade [DIR…]`: grades learner checkouts for a workshop or CI.
//
// Exit codes: 0 every kata of every checkout passed, 1 some did not,
// 2 a usage or grading-environment error. Output files are written whatever
// the learners' code did.
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { findKata, loadCourse, type Kata } from '../harness/course.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { UserError } from '../cli/errors.ts'
import { toExercism } from './exercism.ts'
import { gradeCheckout, kataGrade, type CheckoutGrade, type GradeOptions } from './grade.ts'
import { toJUnit } from './junit.ts'
import { csv, markdown, table } from './report.ts'

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
  --jobs N            checkouts graded at once (default: the number of cores)

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
  const out: GradeArgs = {
    dirs,
    katas: katas.length ? [...new Set(katas)].sort((a, b) => a.id.localeCompare(b.id)) : course,
    timeout: positive('timeout', v.timeout, 10, false),
    maxOutput: positive('max-output', v['max-output'], 500, true),
    jobs: positive('jobs', v.jobs, os.availableParallelism(), true),
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

function summaryJson(grades: CheckoutGrade[]): unknown {
  return grades.map((c) => ({
    learner: c.name,
    dir: c.dir,
    points: c.points,
    max_points: c.maxPoints,
    tampering: c.tampering,
    skipped: c.skipped,
    ...(c.fatal ? { error: c.fatal } : {}),
    katas: c.katas.map((g) => ({
      kata: g.kata.name,
      verdict: g.verdict,
      points: g.points,
      max_points: g.maxPoints,
      message: g.message ?? null,
      tasks: g.tasks.map((t) => ({ task_id: t.task.number, slug: t.task.slug, passed: t.passed, total: t.total, points: t.points, max_points: t.task.points })),
      tampering: g.tampering,
    })),
  }))
}

function write(file: string, text: string, append = false): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  if (append) appendFileSync(file, text)
  else writeFileSync(file, text)
}

/** Grades every checkout; a checkout the grader itself fails on is reported, never thrown. */
async function gradeAll(args: GradeArgs, onDone: (g: CheckoutGrade) => void): Promise<CheckoutGrade[]> {
  const cores = os.availableParallelism()
  const jobs = Math.min(args.jobs, args.dirs.length)
  const opts: GradeOptions = {
    katas: args.katas,
    timeout: args.timeout,
    outputCap: args.maxOutput,
    // Checkouts share the cores: a lone checkout runs its check files side by side.
    maxWorkers: Math.max(1, Math.floor(cores / jobs)),
  }
  const grades: CheckoutGrade[] = new Array(args.dirs.length)
  let next = 0
  const lane = async () => {
    for (let i = next++; i < args.dirs.length; i = next++) {
      const dir = args.dirs[i]!
      let g: CheckoutGrade
      try {
        g = await gradeCheckout(dir, opts)
      } catch (err) {
        const message = `the grader failed on this checkout: ${(err as Error)?.message ?? String(err)}`
        const katas = args.katas.map((k) => kataGrade(k, 'error', [], 0, message))
        g = { dir, name: path.basename(path.resolve(dir)), katas, points: 0, maxPoints: katas.reduce((n, k) => n + k.maxPoints, 0), tampering: [], skipped: [], seconds: 0, fatal: message }
      }
      grades[i] = g
      onDone(g)
    }
  }
  await Promise.all(Array.from({ length: jobs }, lane))
  return grades
}

export async function grade(argv: string[], out: (text: string) => void): Promise<number> {
  const args = parseGradeArgs(argv)
  if (args.help) {
    out(GRADE_HELP)
    return 0
  }
  const grades = await gradeAll(args, (g) => out(`${table(g)}\n`))
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
  return grades.every((c) => c.katas.every((g) => g.verdict === 'passed')) ? 0 : 1
}
