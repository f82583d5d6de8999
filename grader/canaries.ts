// Canary checks: checks the grader adds to a kata's check file for one run,
// whose outcome it knows in advance. Some must fail (an assertion that is
// false), one must pass. Learner code runs in the same process as the checks,
// so it could patch the runner to turn failures into passes; if it does, a
// canary flips too, and the kata's verdict is `tampered`.
//
// Names, places and values are drawn at random for every run: a canary takes
// the name of a string in the task it sits in, goes after a random statement of
// that task's body (or in a block of the task's title at the end of the file),
// and compares random numbers. It is written on a line the
// check file already has, so every real check keeps its line number.
import { randomInt } from 'node:crypto'
import type TS from 'typescript'
import type { Kata, Task } from '../harness/course.ts'
import type { CheckRun } from './protocol.ts'
import { typescript } from './typescript.ts'

export interface Canary {
  name: string
  /** 1-based line of the check file the canary is written on. */
  line: number
  task: number
  mustPass: boolean
}

export interface Canaried {
  /** The check file's source with the canaries in it. */
  source: string
  canaries: Canary[]
}

const ident = (): string => `_${randomInt(36 ** 5, 36 ** 6).toString(36)}`

/** The `task('slug', () => { … })` calls of a check file, by slug. */
function taskBodies(sf: TS.SourceFile, slugs: Set<string>): Map<string, TS.Block> {
  const ts = typescript()
  const out = new Map<string, TS.Block>()
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 2) {
      const [first, second] = node.arguments
      if (first && ts.isStringLiteral(first) && slugs.has(first.text) && second && (ts.isArrowFunction(second) || ts.isFunctionExpression(second)) && ts.isBlock(second.body) && !out.has(first.text)) {
        out.set(first.text, second.body)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return out
}

/** Strings written in a task's body that read like a check's name. */
function namesIn(body: TS.Node): string[] {
  const ts = typescript()
  const out: string[] = []
  const visit = (node: TS.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.length >= 8 && node.text.length <= 100 && /\s/.test(node.text) && !/[\n\r]/.test(node.text)) out.push(node.text)
    ts.forEachChild(node, visit)
  }
  visit(body)
  return out
}

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!

/**
 * The check file with canaries for the tasks that count: two that must fail and
 * one that must pass, each in a task drawn at random.
 */
export function addCanaries(source: string, kata: Kata, tasks: readonly Task[], fileName = `${kata.name}.check.ts`): Canaried {
  const ts = typescript()
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1
  const bodies = taskBodies(sf, new Set(tasks.map((t) => t.slug)))
  const [test, expect, describe] = [ident(), ident(), ident()]
  const edits: { at: number; text: string }[] = []
  const canaries: Canary[] = []
  for (const mustPass of [false, true, false]) {
    const task = pick(tasks.length ? tasks : kata.tasks)
    const a = randomInt(1, 1_000_000)
    const b = mustPass ? a : a + randomInt(1, 1000)
    const body = bodies.get(task.slug)
    const names = body ? namesIn(body).filter((n) => !canaries.some((c) => c.name === n)) : []
    const name = names.length ? pick(names) : `${task.title.toLowerCase()} (${randomInt(2, 99)})`
    const check = `${test}(${JSON.stringify(name)}, () => { ${expect}(${a}).toBe(${b}) });`
    // The one that must pass sits in a block of its own with the task's title: a hook of the
    // task's block that fails on unfinished code fails the real checks, never this one.
    if (body && !mustPass) {
      const stmts = body.statements
      const i = randomInt(stmts.length + 1)
      const at = i === 0 ? body.getStart(sf) + 1 : stmts[i - 1]!.end
      edits.push({ at, text: ` ;${check}` })
      canaries.push({ name, line: lineOf(at), task: task.number, mustPass })
    } else {
      // A block of the task's title at the end (also for a task written without `task('slug', …)`).
      const title = `task ${task.number} (${task.slug}): ${task.title}`
      edits.push({ at: source.length, text: `;${describe}(${JSON.stringify(title)}, () => { ${check} });` })
      canaries.push({ name, line: lineOf(source.length), task: task.number, mustPass })
    }
  }
  let out = source
  for (const e of edits.sort((x, y) => y.at - x.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at)
  out = `import { test as ${test}, expect as ${expect}, describe as ${describe} } from 'vitest';${out}`
  return { source: out, canaries }
}

export interface CanaryVerdict {
  /** The kata's checks, canaries taken out. */
  checks: CheckRun[]
  /** Why the run cannot be trusted, when a canary did not end as it must. */
  tampered?: string
}

/** Takes the canaries out of a run's checks and says whether each ended as it must. */
export function judgeCanaries(checks: readonly CheckRun[], canaries: readonly Canary[]): CanaryVerdict {
  const rest = [...checks]
  const problems: string[] = []
  for (const c of canaries) {
    const i = rest.findIndex((r) => r.name === c.name && r.line === c.line && r.task === c.task)
    if (i < 0) {
      problems.push(`a check the grader added to task ${c.task} did not report`)
      continue
    }
    const [run] = rest.splice(i, 1)
    if (c.mustPass && run!.status !== 'pass') problems.push(`a check that must pass failed in task ${c.task}`)
    if (!c.mustPass && run!.status === 'pass') problems.push(`a check that must fail passed in task ${c.task}`)
  }
  const out: CanaryVerdict = { checks: rest }
  if (problems.length) out.tampered = `the checks' results were changed from inside the run (${[...new Set(problems)].join('; ')})`
  return out
}
