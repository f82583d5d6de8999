// What the learner sees: a kata's verdict by task, the course list, a hint.
import path from 'node:path'
import type { Hint, Kata, Task, Track } from '../harness/course.ts'
import type { KataProgress, Progress } from '../harness/progress.ts'
import { taskGreen, type KataResult, type TaskResult } from './runner.ts'
import { currentKata } from './state.ts'
import { bold, cyan, dim, green, progressBar, red, yellow } from './style.ts'

const MESSAGE_LINES = 10

/** One-shot (`katas check`) or watch mode: what "try again" means differs. */
export type Mode = 'once' | 'watch'

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n')
}

/** The first lines of a failure message, without colour codes. */
function clip(message: string): string {
  // Our explanation first; vitest's own "expected … to equal …" on a line of its own.
  // eslint-disable-next-line no-control-regex
  const plain = message.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().replace(/: (expected .*)$/m, '\n$1')
  const lines = wrap(plain, terminalWidth() - 6).split('\n')
  return lines.length > MESSAGE_LINES ? [...lines.slice(0, MESSAGE_LINES), dim(`… (${lines.length - MESSAGE_LINES} more lines)`)].join('\n') : lines.join('\n')
}

const rel = (p: string): string => path.relative(process.cwd(), p) || '.'

/** Kata files as the learner opens them: `workspace/controller/endpoints.ts`. */
export function moduleList(kata: Kata, ws: string, modules: readonly string[] = kata.modules): string {
  return modules.map((m) => path.join(rel(ws), m)).join(', ')
}

/** The kata's modules with something to write on this track, and the ones that are only given. */
export function modulesByRole(kata: Kata, track: Track): { yours: string[]; given: string[] } {
  const writes = new Set(kata.tasks.filter((t) => track === 'deep' || t.track === 'core').flatMap((t) => t.write.map((f) => f.module)))
  return { yours: kata.modules.filter((m) => writes.has(m)), given: kata.modules.filter((m) => !writes.has(m)) }
}

export interface View {
  mode: Mode
  track: Track
  ws: string
  /** Modules missing from the workspace: the checks cannot load. */
  missing?: string[]
  /** Given functions the learner edited (`module: name`), when a run made it worth asking. */
  editedGiven?: string[]
}

const again = (v: View, kata: Kata): string => (v.mode === 'watch' ? 'save: the checks run again by themselves' : `run \`katas check ${kata.id}\` again`)

/** The verdict of one run: the tasks of the learner's track with counts, details for the first failing one. */
export function renderResult(r: KataResult, v: View): string {
  const out: string[] = []
  const shown = r.tasks.filter((t) => v.track === 'deep' || t.task.track === 'core')
  const tasksGreen = shown.filter(taskGreen).length
  const trackNote = v.track === 'deep' ? dim(' · deep track') : ''
  const files = modulesByRole(r.kata, v.track)
  out.push(`${bold(`${r.kata.id} ${r.kata.title}`)}${trackNote}`, dim(`your files: ${moduleList(r.kata, v.ws, files.yours)}`))
  if (files.given.length) out.push(dim(`given, to read: ${moduleList(r.kata, v.ws, files.given)}`))
  if (v.missing?.length) {
    out.push('', red(`✗ ${v.missing.map((m) => path.join(rel(v.ws), m)).join(', ')} ${v.missing.length === 1 ? 'is' : 'are'} missing from your workspace.`))
    out.push(dim(`  Bring ${v.missing.length === 1 ? 'it' : 'them'} back with \`katas reset ${r.kata.id}\` (your other files of ${r.kata.id} are backed up first; \`katas reset --undo ${r.kata.id}\` restores them),`))
    out.push(dim('  or from your own copy (git: `git checkout -- <file>`).'))
    return out.join('\n')
  }
  if (r.loadError) {
    out.push('', red('✗ The checks could not load your module:'), indent(clip(r.loadError), '    '), '')
    out.push(dim(`  Fix the error above, then ${again(v, r.kata)}.`))
    return out.join('\n')
  }
  const green_ = !r.loadError && shown.every(taskGreen)
  out.push(green_ ? green(`✓ all ${shown.length} tasks green`) : `${tasksGreen} of ${shown.length} tasks green`, '')
  let detailed = false
  for (const t of shown) {
    const ok = taskGreen(t)
    const mark = ok ? green('✓') : red('✗')
    const count = `${t.passed}/${t.total}${t.task.track === 'deep' && v.track === 'deep' ? '  deep' : ''}`
    out.push(taskLine(mark, t.task.number, t.task.title, count, ok ? (x) => x : bold))
    if (!ok && !detailed) {
      detailed = true
      out.push(...failureDetail(t))
    }
  }
  // Checks of the given code may call the learner's functions, so they can fail on a fresh
  // workspace; only given functions that really changed are worth a word.
  if (v.editedGiven?.length) {
    out.push('', yellow(`! You edited given code: ${v.editedGiven.join(', ')}. The grader uses the original; \`katas doctor\` says how to restore it.`))
  }
  out.push('', dim(`checks ran in ${r.seconds.toFixed(2)} s`))
  return out.join('\n')
}

/**
 * A task's line: mark, number, title and count of green checks. A title wider than the
 * terminal wraps under itself, and the count stays on the line with the title's last
 * words, never on a line of its own.
 */
export function taskLine(mark: string, n: number, title: string, count: string, style: (s: string) => string = (x) => x, width = terminalWidth()): string {
  const lead = `  task ${n}  `
  const room = Math.max(width - lead.length, 20)
  const lines: string[][] = [[]]
  const used = (l: string[]) => l.join(' ').length
  for (const word of title.split(' ')) {
    const cur = lines.at(-1)!
    if (cur.length && used(cur) + 1 + word.length > room) lines.push([word])
    else cur.push(word)
  }
  // The count needs its two spaces on the last line; if they do not fit, the last word goes down with it.
  const last = lines.at(-1)!
  if (used(last) + 2 + count.length > room && last.length > 1) lines.push([last.pop()!])
  const text = lines.map((l) => style(l.join(' ')))
  text[text.length - 1] += `  ${dim(count)}`
  return text.map((l, i) => (i === 0 ? `${mark} task ${n}  ${l}` : `${' '.repeat(lead.length)}${l}`)).join('\n')
}

function failureDetail(t: TaskResult): string[] {
  const [first, ...rest] = t.failures
  if (!first) return [dim('    (this task has no checks yet)')]
  const lines = [`    ${red('✗')} ${first.name}`]
  if (first.thrown) lines.push(dim(`      your code threw${first.thrownAt ? ` at ${first.thrownAt}` : ''} on the input above:`))
  lines.push(indent(clip(first.message), '      '))
  if (rest.length) lines.push(dim(`    … and ${rest.length} more failing check${rest.length === 1 ? '' : 's'} in this task`))
  return lines
}

function statusText(k: Kata, p: KataProgress | undefined): string {
  if (!p) return dim('not started')
  const tasks = k.tasks.filter((t) => p.track === 'deep' || t.track === 'core')
  const passed = tasks.filter((t) => p.tasks[t.slug]?.passed).length
  switch (p.status) {
    case 'passed':
      return green('✓ green')
    case 'given':
      return cyan(`given${p.givenFor ? ` (katas start ${p.givenFor})` : ''}`)
    case 'failing':
      return yellow(`${passed}/${tasks.length} tasks`)
    default:
      return dim('not started')
  }
}

/** `katas list`: every kata with its status and track; the first not done is where to continue. */
export function renderList(katas: readonly Kata[], progress: Progress): string {
  const done = katas.filter((k) => progress.katas[k.id]?.status === 'passed').length
  const given = katas.filter((k) => progress.katas[k.id]?.status === 'given').length
  const current = currentKata(katas, progress)
  const width = Math.max(...katas.map((k) => k.title.length))
  const lines = [`${bold('Service Katas')}  ${progressBar(done, katas.length - given)}${given ? dim(`  (${given} given)`) : ''}`, '']
  for (const k of katas) {
    const p = progress.katas[k.id]
    const here = k === current ? cyan('  ← continue here') : ''
    const mark = p?.status === 'passed' ? green('✓') : p?.status === 'given' ? cyan('○') : k === current ? cyan('▸') : dim('·')
    const deep = p?.track === 'deep' ? `  ${bold('deep')}` : ''
    lines.push(`${mark} ${k.id}  ${k.title.padEnd(width)}  ${statusText(k, p)}${deep}${here}`)
  }
  if (!current) lines.push('', green('Every kata is done.'))
  if (katas.some((k) => progress.katas[k.id]?.track === 'deep' || progress.katas[k.id]?.status === 'given')) {
    lines.push('', dim('deep: the kata asks for its given functions too (katas deep NN) · given: filled with the reference by katas start'))
  }
  return lines.join('\n')
}

/**
 * The width to wrap at, at most 100 columns: the terminal's; when the output goes
 * to a pipe or a file, COLUMNS if set (as `COLUMNS=60 katas check 02 | less`), else 100.
 */
export function terminalWidth(): number {
  const columns = process.stdout.columns || Number.parseInt(process.env.COLUMNS ?? '', 10)
  // Narrower than 20 there is no room for a message beside its indent.
  return Number.isFinite(columns) && columns > 0 ? Math.min(Math.max(columns, 20), 100) : 100
}

/** Wraps prose at word boundaries to the terminal's width. */
export function wrap(text: string, width = terminalWidth()): string {
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
