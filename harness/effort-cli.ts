// `npm run effort [-- --tasks] [NN…]`: how much a learner writes per kata on the core path
// and on the deep track, against the course's limits. Exit 1 when a limit is broken.
import { loadCourse } from './course.ts'
import { kataEffort, LIMITS, overLimits } from './effort.ts'

const showTasks = process.argv.includes('--tasks')
const pad = (s: string | number, n: number): string => String(s).padStart(n)
const only = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map((a) => a.padStart(2, '0'))
const katas = loadCourse()
const rows = katas.filter((k) => only.length === 0 || only.includes(k.id)).map((k) => kataEffort(k))
const problems = rows.flatMap((e) => overLimits(e, e.kata.id === katas[0]!.id))
const total = rows.reduce((n, e) => n + e.core.lines, 0)
if (only.length === 0 && total > LIMITS.courseLines) problems.push(`the whole core path asks for ${total} lines (limit ${LIMITS.courseLines})`)

const out: string[] = []
out.push(`${'kata'.padEnd(24)}${pad('core lines', 11)}${pad('functions', 10)}${pad('tasks', 6)}${pad('deep lines', 12)}${pad('functions', 10)}${pad('tasks', 6)}`)
for (const e of rows) {
  out.push(
    `${e.kata.name.padEnd(24)}${pad(e.core.lines, 11)}${pad(e.core.functions, 10)}${pad(e.core.tasks.length, 6)}` +
      `${pad(e.deep.lines, 12)}${pad(e.deep.functions, 10)}${pad(e.kata.tasks.length, 6)}`,
  )
  if (showTasks) {
    for (const t of e.core.tasks) {
      out.push(`  task ${t.task.number} ${t.task.slug}: ${t.lines} lines`)
      for (const f of t.functions) out.push(`      ${pad(f.lines, 4)}  ${f.module}: ${f.name}`)
    }
  }
}
const sum = (f: (e: (typeof rows)[number]) => number): number => rows.reduce((n, e) => n + f(e), 0)
out.push(
  `${'all'.padEnd(24)}${pad(total, 11)}${pad(sum((e) => e.core.functions), 10)}${pad(sum((e) => e.core.tasks.length), 6)}` +
    `${pad(sum((e) => e.deep.lines), 12)}${pad(sum((e) => e.deep.functions), 10)}${pad(sum((e) => e.kata.tasks.length), 6)}`,
)
out.push('')
out.push(
  `limits (core path): ${LIMITS.kataLines} lines and ${LIMITS.kataFunctions} functions a kata, ${LIMITS.firstKataLines} lines for the first, ` +
    `${LIMITS.taskLines} a task, ${LIMITS.courseLines} in all. Lines are code lines of solutions/ minus the stub's.`,
)
for (const p of problems) out.push(`OVER: ${p}`)
out.push(problems.length ? `effort: ${problems.length} limits broken` : 'effort: every kata within its limits')
process.stdout.write(`${out.join('\n')}\n`)
process.exitCode = problems.length ? 1 : 0
