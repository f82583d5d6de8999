// The grade as people read it: a points table per checkout, the instructor's
// CSV (one row per learner, one column per kata), and a Markdown table for a
// GitHub Actions job summary.
import type { Kata } from '../harness/course.ts'
import type { CheckoutGrade, KataGrade } from './grade.ts'

const VERDICT_WORD: Record<KataGrade['verdict'], string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  timeout: 'timed out',
  crashed: 'crashed',
  forbidden: 'imports solutions',
}

const tasksPassed = (g: KataGrade): string => `${g.tasks.filter((t) => t.points > 0).length}/${g.tasks.length}`
const checksPassed = (g: KataGrade): string => (g.checks.length ? `${g.checks.filter((c) => c.status === 'pass').length}/${g.checks.length}` : '-')

/** One line of the kata's trouble, for tables: the first line of its message. */
const why = (g: KataGrade): string => (g.verdict === 'passed' || g.verdict === 'failed' ? '' : (g.message ?? '').split('\n')[0]!.slice(0, 160))

export function table(c: CheckoutGrade): string {
  const rows = c.katas.map((g) => [g.kata.name, VERDICT_WORD[g.verdict], checksPassed(g), tasksPassed(g), `${g.points}/${g.maxPoints}`, why(g)])
  const head = ['kata', 'verdict', 'checks', 'tasks', 'points', '']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  const out = [`${c.name}: ${c.points}/${c.maxPoints} points`, line(head), ...rows.map(line)]
  for (const t of c.tampering) out.push(`tampering: ${t.file} ${t.change} (graded with the course's own copy)`)
  for (const s of c.skipped) out.push(`not graded: workspace/${s}`)
  return out.join('\n')
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function markdown(checkouts: CheckoutGrade[]): string {
  const out: string[] = []
  for (const c of checkouts) {
    out.push(`### ${mdCell(c.name)}: ${c.points}/${c.maxPoints} points`, '', '| kata | verdict | checks | tasks | points | note |', '| --- | --- | ---: | ---: | ---: | --- |')
    for (const g of c.katas) out.push(`| ${g.kata.name} | ${VERDICT_WORD[g.verdict]} | ${checksPassed(g)} | ${tasksPassed(g)} | ${g.points}/${g.maxPoints} | ${mdCell(why(g))} |`)
    if (c.tampering.length) out.push('', `**Changed protected files** (graded with the course's own copy): ${c.tampering.map((t) => `\`${t.file}\` ${t.change}`).join(', ')}`)
    out.push('')
  }
  return out.join('\n')
}

const csvCell = (s: string | number): string => (/[",\n\r]/.test(String(s)) ? `"${String(s).replace(/"/g, '""')}"` : String(s))

/** One row per checkout: points per kata, the total, and the katas that need a look. */
export function csv(checkouts: CheckoutGrade[], katas: Kata[]): string {
  const head = ['learner', ...katas.map((k) => k.name), 'total', 'max', 'problems', 'tampering']
  const rows = checkouts.map((c) => [
    c.name,
    ...katas.map((k) => c.katas.find((g) => g.kata.name === k.name)?.points ?? 0),
    c.points,
    c.maxPoints,
    c.katas.filter((g) => g.verdict !== 'passed' && g.verdict !== 'failed').map((g) => `${g.kata.id} ${VERDICT_WORD[g.verdict]}`).join('; '),
    c.tampering.map((t) => `${t.file} ${t.change}`).join('; '),
  ])
  return `${[head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`
}
