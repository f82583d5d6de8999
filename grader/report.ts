// The grade as people read it: a points table per checkout, the instructor's
// CSV (one row per learner, one column per kata), a Markdown table for a
// GitHub Actions job summary, and summary.json for programs. Each shows per
// kata the learner's track and the points of the core path and the deep track.
import type { Kata } from '../harness/course.ts'
import type { CheckoutGrade, KataGrade } from './grade.ts'

export const VERDICT_WORD: Record<KataGrade['verdict'], string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  timeout: 'timed out',
  crashed: 'crashed',
  forbidden: 'imports solutions',
  tampered: 'tampered',
  given: 'given',
  refused: 'refused',
}

const counted = (g: KataGrade) => g.tasks.filter((t) => t.counts)
const tasksPassed = (g: KataGrade): string => (g.verdict === 'given' ? '-' : `${counted(g).filter((t) => t.points > 0).length}/${counted(g).length}`)
const checksPassed = (g: KataGrade): string => (g.checks.length ? `${g.checks.filter((c) => c.status === 'pass').length}/${g.checks.length}` : '-')
const partMax = (g: KataGrade, track: 'core' | 'deep') => counted(g).filter((t) => t.task.track === track).reduce((n, t) => n + t.task.points, 0)
const core = (g: KataGrade): string => (g.verdict === 'given' ? '-' : `${g.corePoints}/${partMax(g, 'core')}`)
const deep = (g: KataGrade): string => (g.track === 'deep' ? `${g.deepPoints}/${partMax(g, 'deep')}` : '-')

/** One line of the kata's trouble, for tables: the first line of its message, else its first note. */
const why = (g: KataGrade): string =>
  (g.verdict === 'passed' || g.verdict === 'failed' ? (g.notes[0] ?? '') : (g.message ?? '')).split('\n')[0]!.slice(0, 160)

/** What the checkout's table says under its rows: how it was graded, and what to look at. */
function footnotes(c: CheckoutGrade): string[] {
  const out: string[] = []
  if (!c.sandboxed) out.push(`unsandboxed: ${c.unsandboxed ?? 'no sandbox'} — learner code ran with the grader's rights`)
  for (const n of c.notes) out.push(`note: ${n}`)
  for (const g of c.katas) for (const n of g.notes.slice(g.verdict === 'passed' || g.verdict === 'failed' ? 1 : 0)) out.push(`note: ${g.kata.id}: ${n}`)
  for (const t of c.tampering) out.push(`tampering: ${t.file} ${t.change} (graded with the course's own copy)`)
  for (const s of c.skipped) out.push(`not graded: workspace/${s}`)
  return out
}

export function table(c: CheckoutGrade): string {
  const rows = c.katas.map((g) => [g.kata.name, g.track, VERDICT_WORD[g.verdict], checksPassed(g), tasksPassed(g), core(g), deep(g), `${g.points}/${g.maxPoints}`, why(g)])
  const head = ['kata', 'track', 'verdict', 'checks', 'tasks', 'core', 'deep', 'points', '']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  return [`${c.name}: ${c.points}/${c.maxPoints} points`, line(head), ...rows.map(line), ...footnotes(c)].join('\n')
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function markdown(checkouts: CheckoutGrade[]): string {
  const out: string[] = []
  for (const c of checkouts) {
    out.push(`### ${mdCell(c.name)}: ${c.points}/${c.maxPoints} points`, '')
    if (!c.sandboxed) out.push(`**Unsandboxed:** ${mdCell(c.unsandboxed ?? 'no sandbox')} — learner code ran with the grader's rights.`, '')
    out.push('| kata | track | verdict | checks | tasks | core | deep | points | note |', '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |')
    for (const g of c.katas) out.push(`| ${g.kata.name} | ${g.track} | ${VERDICT_WORD[g.verdict]} | ${checksPassed(g)} | ${tasksPassed(g)} | ${core(g)} | ${deep(g)} | ${g.points}/${g.maxPoints} | ${mdCell(why(g))} |`)
    if (c.tampering.length) out.push('', `**Changed protected files** (graded with the course's own copy): ${c.tampering.map((t) => `\`${t.file}\` ${t.change}`).join(', ')}`)
    out.push('')
  }
  return out.join('\n')
}

const csvCell = (s: string | number): string => (/[",\n\r]/.test(String(s)) ? `"${String(s).replace(/"/g, '""')}"` : String(s))

/** One row per checkout: track and points per kata (core + deep), the total, and the katas that need a look. */
export function csv(checkouts: CheckoutGrade[], katas: Kata[]): string {
  const head = ['learner', ...katas.flatMap((k) => [k.name, `${k.id} track`, `${k.id} core`, `${k.id} deep`]), 'total', 'max', 'problems', 'tampering', 'sandboxed']
  const rows = checkouts.map((c) => [
    c.name,
    ...katas.flatMap((k) => {
      const g = c.katas.find((x) => x.kata.name === k.name)
      return g ? [g.points, g.verdict === 'given' ? 'given' : g.track, g.corePoints, g.deepPoints] : [0, '', 0, 0]
    }),
    c.points,
    c.maxPoints,
    c.katas.filter((g) => !['passed', 'failed', 'given'].includes(g.verdict)).map((g) => `${g.kata.id} ${VERDICT_WORD[g.verdict]}`).join('; '),
    c.tampering.map((t) => `${t.file} ${t.change}`).join('; '),
    c.sandboxed ? 'yes' : 'no',
  ])
  return `${[head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`
}

/** `summary.json`: every checkout's points per kata and task, verdicts, notes, tampering and how it was graded. */
export function summaryJson(grades: CheckoutGrade[]): unknown {
  return grades.map((c) => ({
    learner: c.name,
    dir: c.dir,
    points: c.points,
    max_points: c.maxPoints,
    sandboxed: c.sandboxed,
    ...(c.sandboxed ? {} : { unsandboxed: c.unsandboxed ?? 'no sandbox' }),
    tampering: c.tampering,
    skipped: c.skipped,
    notes: c.notes,
    ...(c.fatal ? { error: c.fatal } : {}),
    katas: c.katas.map((g) => ({
      kata: g.kata.name,
      track: g.track,
      verdict: g.verdict,
      points: g.points,
      max_points: g.maxPoints,
      core_points: g.corePoints,
      deep_points: g.deepPoints,
      message: g.message ?? null,
      notes: g.notes,
      tasks: g.tasks.map((t) => ({ task_id: t.task.number, slug: t.task.slug, track: t.task.track, counts: t.counts, passed: t.passed, total: t.total, points: t.points, max_points: t.task.points, ...(t.reason ? { reason: t.reason } : {}) })),
      tampering: g.tampering,
    })),
  }))
}
