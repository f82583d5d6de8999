// Trees that prove a task stands alone.
//
// A learner works through a kata task by task, so each task's checks must turn
// green with that task's functions written and nothing else of the kata: the
// other core functions still stubbed, the given code and the earlier katas
// done. For every core task this writes an overlay of the kata's modules: the
// solution with the other core tasks' functions taken from deep-stubs/. Laid
// over solutions/ (harness/impl-plugin.ts), it is the learner's tree at the
// moment they finish that task; the task's checks must all pass on it.
//
// A task that asks for no function of its own (an integration task, which checks
// how the kata's functions compose) is proven with every earlier task written.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata, Task } from './course.ts'
import { writeFileAtomic } from './files.ts'
import { DEEP_STUBS_DIR, SOLUTIONS_DIR } from './paths.ts'
import { replaceUnits } from './units.ts'

export interface StandaloneTree {
  kata: Kata
  task: Task
  /** `alone`: only this task's functions written; `in-order`: this task's and every earlier one's. */
  mode: 'alone' | 'in-order'
  /** The overlay folder, laid out like solutions/. */
  dir: string
}

/** Writes the overlay for one core task and returns it. */
export function standaloneTree(kata: Kata, task: Task, root: string): StandaloneTree {
  const mode = task.write.length === 0 ? 'in-order' : 'alone'
  const core = kata.tasks.filter((t) => t.track === 'core')
  const stubbed = core.filter((t) => (mode === 'alone' ? t !== task : t.number > task.number)).flatMap((t) => t.write)
  const dir = path.join(root, kata.name, task.slug)
  for (const module of kata.modules) {
    const names = stubbed.filter((f) => f.module === module).map((f) => f.name)
    const solution = { file: `solutions/${module}`, text: readFileSync(path.join(SOLUTIONS_DIR, module), 'utf8') }
    const deep = { file: `deep-stubs/${module}`, text: readFileSync(path.join(DEEP_STUBS_DIR, module), 'utf8') }
    writeFileAtomic(path.join(dir, module), names.length ? replaceUnits(solution, deep, names) : solution.text)
  }
  return { kata, task, mode, dir }
}

/** The overlays of every core task of these katas. */
export function standaloneTrees(katas: readonly Kata[], root: string): StandaloneTree[] {
  return katas.flatMap((k) => k.tasks.filter((t) => t.track === 'core').map((t) => standaloneTree(k, t, root)))
}

/** The vitest project name of a tree; the self-test and `npm run tasks` read results by it. */
export const standaloneProject = (t: Pick<StandaloneTree, 'kata' | 'task'>): string => `standalone:${t.kata.id}:${t.task.slug}`
