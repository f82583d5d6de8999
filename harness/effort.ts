// How much a learner writes, per kata and per task, on each path.
//
// Measured as code lines (not comments, not blank lines) of the reference
// solution minus the stub the learner starts from, module by module: what the
// learner must type to turn the stub into the solution. A private helper that
// the core stub leaves out (only a core function used it) counts for the task
// whose function used it first.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata, Task } from './course.ts'
import { DEEP_STUBS_DIR, SOLUTIONS_DIR } from './paths.ts'
import { coreStub } from './stubs.ts'
import { codeLines, unitMap, unitsOf, unitText } from './units.ts'

/** The limits a kata must keep (the course's promise of one sitting per kata). */
export const LIMITS = {
  /** Core path, per kata. */
  kataLines: 120,
  kataFunctions: 6,
  /** The first kata: a newcomer finishes it in about 20 minutes. */
  firstKataLines: 60,
  /** Core path, per task. */
  taskLines: 40,
  /** The whole core path. */
  courseLines: 1200,
} as const

export interface TaskEffort {
  task: Task
  lines: number
  functions: { module: string; name: string; lines: number }[]
}

export interface KataEffort {
  kata: Kata
  core: { lines: number; functions: number; tasks: TaskEffort[] }
  deep: { lines: number; functions: number }
}

export interface Trees {
  solutions: string
  deep: string
}

const read = (dir: string, m: string): string => readFileSync(path.join(dir, m), 'utf8')

/** Lines of the solution's unit minus the stub's: what writing that one function takes. */
function unitLines(solution: string, stub: string, module: string, name: string): number {
  const s = unitMap(module, solution).get(name)
  const t = unitMap(module, stub).get(name)
  if (!s || !t) return 0
  return Math.max(0, codeLines(unitText(solution, s)) - codeLines(unitText(stub, t)))
}

export function kataEffort(kata: Kata, trees: Trees = { solutions: SOLUTIONS_DIR, deep: DEEP_STUBS_DIR }): KataEffort {
  const tasks: TaskEffort[] = kata.tasks.filter((t) => t.track === 'core').map((task) => ({ task, lines: 0, functions: [] }))
  let coreLines = 0
  let deepLines = 0
  let deepFunctions = 0
  for (const module of kata.modules) {
    const solution = read(trees.solutions, module)
    const deep = read(trees.deep, module)
    const core = coreStub(kata, module, solution, deep)
    coreLines += codeLines(solution) - codeLines(core)
    deepLines += codeLines(solution) - codeLines(deep)
    deepFunctions += kata.tasks.flatMap((t) => t.write).filter((f) => f.module === module).length
    for (const te of tasks) {
      for (const f of te.task.write.filter((w) => w.module === module)) {
        const lines = unitLines(solution, core, module, f.name)
        te.functions.push({ module, name: f.name, lines })
        te.lines += lines
      }
    }
    // Helpers the core stub dropped belong to the first task whose function calls them.
    const kept = new Set(unitsOf(module, core).map((u) => u.name))
    for (const helper of unitsOf(module, solution).filter((u) => !kept.has(u.name))) {
      const short = helper.name.replace(/^[^.]+\./, '')
      const lines = codeLines(unitText(solution, helper))
      const user = tasks.find((te) =>
        te.task.write.some((f) => {
          const u = f.module === module ? unitMap(module, solution).get(f.name) : undefined
          return u !== undefined && new RegExp(`\\b${short.replace(/[$]/g, '\\$')}\\b`).test(unitText(solution, u))
        }),
      )
      if (user) {
        user.functions.push({ module, name: `${helper.name} (helper)`, lines })
        user.lines += lines
      }
    }
  }
  const coreFunctions = tasks.reduce((n, te) => n + te.task.write.length, 0)
  return { kata, core: { lines: coreLines, functions: coreFunctions, tasks }, deep: { lines: deepLines, functions: deepFunctions } }
}

/** Every limit a kata breaks, as sentences. */
export function overLimits(e: KataEffort, first: boolean): string[] {
  const out: string[] = []
  const maxLines = first ? LIMITS.firstKataLines : LIMITS.kataLines
  if (e.core.lines > maxLines) out.push(`${e.kata.name}: the core path asks for ${e.core.lines} lines (limit ${maxLines})`)
  if (e.core.functions > LIMITS.kataFunctions) out.push(`${e.kata.name}: the core path asks for ${e.core.functions} functions (limit ${LIMITS.kataFunctions})`)
  for (const t of e.core.tasks) {
    if (t.lines > LIMITS.taskLines) out.push(`${e.kata.name}: task ${t.task.number} (${t.task.slug}) asks for ${t.lines} lines (limit ${LIMITS.taskLines})`)
  }
  return out
}
