// What the learner sees: a kata's verdict by task, the course list, a hint.
import path from 'node:path'
import type { Hint, Kata, Task } from '../harness/course.ts'
import type { KataResult } from './runner.ts'
import type { State } from './state.ts'
import { bold, cyan, dim, green, progressBar, red, yellow } from './style.ts'

const MESSAGE_LINES = 10

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n')
}

/** The first lines of a failure message, without vitest's colour codes. */
function clip(message: string): string {
  // eslint-disable-next-line no-control-regex
  // Our explanation first; vitest's own "expected … to equal …" on a line of its own.
  const plain = message.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().replace(/: (expected .*)$/m, '\n$1')
  const lines = wrap(plain, Math.min(process.stdout.columns || 100, 100) - 6).split('\n')
  return lines.length > MESSAGE_LINES ? [...lines.slice(0, MESSAGE_LINES), dim(`… (${lines.length - MESSAGE_LINES} more lines)`)].join('\n') : lines.join('\n')
}

/** Kata files as the learner opens them: `workspace/controller/endpoints.ts`. */
export function moduleList(kata: Kata, ws: string): string {
  const rel = path.relative(process.cwd(), ws) || '.'
  return kata.modules.map((m) => path.join(rel, m)).join(', ')
}

/** The verdict of one run: every task with its count, details for the first failing one. */
export function renderResult(r: KataResult, ws: string): string {
  const out: string[] = []
  const tasksGreen = r.tasks.filter((t) => t.total > 0 && t.failures.length === 0).length
  out.push(bold(`${r.kata.id} ${r.kata.title}`), dim(`your files: ${moduleList(r.kata, ws)}`))
  if (r.loadError) {
    out.push('', red('✗ The checks could not load your module:'), indent(clip(r.loadError), '    '), '')
    out.push(dim('  Fix the error above and save: the checks run again by themselves.'))
    return out.join('\n')
  }
  out.push(r.green ? green(`✓ all ${r.tasks.length} tasks green`) : `${tasksGreen} of ${r.tasks.length} tasks green`, '')
  let detailed = false
  for (const t of r.tasks) {
    const ok = t.total > 0 && t.failures.length === 0
    const mark = ok ? green('✓') : red('✗')
    const count = dim(`${t.passed}/${t.total}`)
    out.push(`${mark} task ${t.task.number}  ${ok ? t.task.title : bold(t.task.title)}  ${count}`)
    if (!ok && !detailed) {
      detailed = true
      const [first, ...rest] = t.failures
      if (first) {
        out.push(`    ${red('✗')} ${first.name}`)
        out.push(indent(clip(first.message), '      '))
        if (rest.length) out.push(dim(`    … and ${rest.length} more failing check${rest.length === 1 ? '' : 's'} in this task`))
      }
    }
  }
  out.push('', dim(`checks ran in ${r.seconds.toFixed(2)} s`))
  return out.join('\n')
}

/** `katas list`: every kata with its status; the first not green is where to continue. */
export function renderList(katas: readonly Kata[], state: State): string {
  const done = katas.filter((k) => state.katas[k.id]?.status === 'passed').length
  const current = katas.find((k) => state.katas[k.id]?.status !== 'passed')
  const width = Math.max(...katas.map((k) => k.title.length))
  const lines = [`${bold('Service Katas')}  ${progressBar(done, katas.length)}`, '']
  for (const k of katas) {
    const p = state.katas[k.id]
    const status =
      p?.status === 'passed'
        ? green('✓ green')
        : p?.status === 'failing'
          ? yellow(`${p.tasksPassed}/${p.tasksTotal} tasks`)
          : dim('not started')
    const here = k === current ? cyan('  ← continue here') : ''
    const mark = p?.status === 'passed' ? green('✓') : k === current ? cyan('▸') : dim('·')
    lines.push(`${mark} ${k.id}  ${k.title.padEnd(width)}  ${status}${here}`)
  }
  if (!current) lines.push('', green('Every kata is green.'))
  return lines.join('\n')
}

/** Wraps prose at word boundaries to the terminal's width (at most 100 columns). */
export function wrap(text: string, width = Math.min(process.stdout.columns || 100, 100)): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line
      const lead = /^\s*/.exec(line)![0]
      const words = line.slice(lead.length).split(' ')
      const lines: string[] = []
      let cur = lead
      for (const w of words) {
        if (cur.trim() && cur.length + 1 + w.length > width) {
          lines.push(cur)
          cur = lead + w
        } else cur = cur.trim() ? `${cur} ${w}` : cur + w
      }
      lines.push(cur)
      return lines.join('\n')
    })
    .join('\n')
}

export function renderHint(kata: Kata, task: Task, hint: Hint, level: number): string {
  const names = { nudge: 'a nudge', pointer: 'a pointer', 'near-solution': 'near the solution' } as const
  return `${bold(`Hint ${level} of ${task.hints.length} for ${kata.id} ${kata.title}, task ${task.number}: ${task.title}`)} ${dim(`(${names[hint.tier]})`)}\n\n${wrap(hint.text.trim())}`
}
