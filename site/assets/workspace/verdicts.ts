// A run's verdicts by task, as the terminal's watch screen shows them (cli/runner.ts
// groups, cli/render.ts draws): every core task with its count, the first failing
// check of the first red task with its message in Kubernetes terms, "… and N more".
// In the page a task's other failures unfold, a message's place in the learner's
// code is a link to that line, and each task has its hints.
import type { CheckVerdict, KataData, KataTaskData, LoadFailure, RunResult, SourcePlace } from '../../workspace/protocol.ts'
import { h } from './dom.ts'

export interface TaskVerdict {
  task: KataTaskData
  passed: number
  total: number
  failures: CheckVerdict[]
}

export interface KataVerdict {
  tasks: TaskVerdict[]
  /** Failing checks of the deep track: given code the learner changed. */
  deepFailures: number
  loadError?: LoadFailure
  /** The run was stopped: the watchdog's message. */
  stopped?: string
  green: boolean
  seconds: number
}

/** Groups a run's checks by the task whose describe title they sit under. */
export function verdictOf(data: KataData, outcome: { result: RunResult } | { stopped: string }, seconds: number): KataVerdict {
  const tasks: TaskVerdict[] = data.tasks.map((task) => ({ task, passed: 0, total: 0, failures: [] }))
  if ('stopped' in outcome) return { tasks: tasks.filter((t) => t.task.track === 'core'), deepFailures: 0, stopped: outcome.stopped, green: false, seconds }
  const byTitle = new Map(tasks.map((t) => [t.task.describe, t]))
  for (const check of outcome.result.checks) {
    const t = byTitle.get(check.suite[0] ?? '')
    if (!t) continue
    t.total++
    if (check.passed) t.passed++
    else t.failures.push(check)
  }
  const core = tasks.filter((t) => t.task.track === 'core')
  const deepFailures = tasks.filter((t) => t.task.track === 'deep').reduce((n, t) => n + t.failures.length, 0)
  const loadError = outcome.result.loadError
  const green = !loadError && core.every((t) => t.total > 0 && t.failures.length === 0)
  return loadError ? { tasks: core, deepFailures, loadError, green, seconds } : { tasks: core, deepFailures, green, seconds }
}

export const taskGreen = (t: TaskVerdict) => t.total > 0 && t.failures.length === 0

const MESSAGE_LINES = 10

/** As the watch screen clips a message: vitest's "expected …" on a line of its own, ten lines at most. */
export function clip(message: string): { text: string; more: number } {
  // eslint-disable-next-line no-control-regex
  const plain = message.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().replace(/: (expected .*)$/m, '\n$1')
  const lines = plain.split('\n')
  return lines.length > MESSAGE_LINES ? { text: lines.slice(0, MESSAGE_LINES).join('\n'), more: lines.length - MESSAGE_LINES } : { text: plain, more: 0 }
}

export interface VerdictActions {
  /** Opens a learner's file at a line. */
  jump(place: SourcePlace): void
  /** The hints shown so far for a task, and a way to show the next. */
  hints(task: KataTaskData): number
  nextHint(task: KataTaskData): void
}

function placeLink(place: SourcePlace, actions: VerdictActions): HTMLElement {
  const label = `workspace/${place.file}:${place.line}`
  return h('button', { type: 'button', class: 'ws-link ws-place', onclick: () => actions.jump(place) }, label)
}

function message(check: { message?: string; at?: SourcePlace }, actions: VerdictActions, atLabel = 'thrown at '): HTMLElement {
  const { text, more } = clip(check.message ?? 'check failed')
  return h(
    'div',
    { class: 'ws-message' },
    h('pre', {}, text),
    more ? h('p', { class: 'ws-dim' }, `… (${more} more lines)`) : '',
    check.at ? h('p', { class: 'ws-at' }, atLabel, placeLink(check.at, actions)) : '',
  )
}

function hintBlock(task: KataTaskData, actions: VerdictActions): HTMLElement {
  const shown = actions.hints(task)
  const names = { nudge: 'a nudge', pointer: 'a pointer', 'near-solution': 'near the solution' } as const
  const list = task.hints.slice(0, shown).map((hint, i) => h('li', {}, h('strong', {}, `Hint ${i + 1} of ${task.hints.length} (${names[hint.tier]}): `), hint.text ?? 'loading…'))
  const button =
    shown < task.hints.length
      ? h('button', { type: 'button', class: 'ws-link', 'data-hint': String(task.number), onclick: () => actions.nextHint(task) }, shown === 0 ? `Hint for task ${task.number}` : `Hint ${shown + 1} of ${task.hints.length}`)
      : ''
  return h('div', { class: 'ws-hints' }, list.length ? h('ol', { class: 'ws-hint-list' }, ...list) : '', button)
}

/** The verdict panel's content. */
export function renderVerdict(v: KataVerdict, actions: VerdictActions): HTMLElement {
  const out = h('div', { class: `ws-run${v.green ? ' ws-green' : ''}` })
  if (v.stopped) {
    out.append(h('p', { class: 'ws-bad' }, '✗ The checks were stopped: ', v.stopped), h('p', { class: 'ws-dim' }, 'Fix the loop and save: the checks run again by themselves.'))
    return out
  }
  if (v.loadError) {
    const e = v.loadError
    out.append(
      h('p', { class: 'ws-bad' }, e.kind === 'syntax' ? '✗ Your module has a syntax error:' : e.kind === 'import' ? '✗ Your module imports something that does not exist:' : '✗ The checks could not load your module:'),
      message({ message: e.message, ...(e.at ? { at: e.at } : {}) }, actions, 'go to '),
      h('p', { class: 'ws-dim' }, 'Fix the error above and save: the checks run again by themselves.'),
    )
    return out
  }
  const greenTasks = v.tasks.filter(taskGreen).length
  out.append(h('p', { class: v.green ? 'ws-good ws-summary' : 'ws-summary' }, v.green ? `✓ all ${v.tasks.length} tasks green` : `${greenTasks} of ${v.tasks.length} tasks green`))
  const list = h('ol', { class: 'ws-tasks' })
  let detailed = false
  for (const t of v.tasks) {
    const ok = taskGreen(t)
    const item = h(
      'li',
      { class: `ws-task ${ok ? 'ws-task-green' : 'ws-task-red'}`, 'data-task': t.task.slug },
      h('p', { class: 'ws-task-line' }, h('span', { class: 'ws-mark', 'aria-hidden': 'true' }, ok ? '✓' : '✗'), h('span', { class: 'visually-hidden' }, ok ? 'green: ' : 'not green: '), `task ${t.task.number}  `, h(ok ? 'span' : 'strong', {}, t.task.title), h('span', { class: 'ws-count' }, ` ${t.passed}/${t.total}`)),
    )
    const [first, ...rest] = t.failures
    const failure = (c: CheckVerdict) => h('div', { class: 'ws-failure' }, h('p', { class: 'ws-check' }, '✗ ', c.name), message(c, actions))
    if (!ok && first && !detailed) {
      // The first red task, as the watch screen shows it: its first failing check, then the rest folded.
      detailed = true
      item.append(failure(first))
      if (rest.length) item.append(h('details', { class: 'ws-more' }, h('summary', {}, `… and ${rest.length} more failing check${rest.length === 1 ? '' : 's'} in this task`), ...rest.map(failure)))
    } else if (!ok && first) {
      item.append(h('details', { class: 'ws-more' }, h('summary', {}, `${t.failures.length} failing check${t.failures.length === 1 ? '' : 's'}`), ...t.failures.map(failure)))
    }
    item.append(hintBlock(t.task, actions))
    list.append(item)
  }
  out.append(list)
  // Once the core tasks are green, a failing deep-track check means the given code changed.
  if (v.deepFailures && greenTasks === v.tasks.length) {
    out.append(h('p', { class: 'ws-note' }, `${v.deepFailures} check${v.deepFailures === 1 ? '' : 's'} of the deep track fail${v.deepFailures === 1 ? 's' : ''}: they test the given code. Did an edit change it? Reset the kata to bring it back, or compare with the reference once you are green.`))
  }
  out.append(h('p', { class: 'ws-dim' }, `checks ran in ${v.seconds.toFixed(2)} s`))
  return out
}
