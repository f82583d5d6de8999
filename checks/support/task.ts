// Groups a check file's tests into the tasks its kata.yaml declares.
//
//   const { task } = kata('02-label-selectors')
//   task('map-selectors', () => { test('…', () => …) })
//
// The describe title carries the task number and slug, so the learner loop and
// the grader can point a failing check at its task and hints. A check that fails
// because the code under test threw gets the line of the check that made the call
// beside the exception (./thrown.ts).
//
// KATAS_TASKS (comma-separated slugs) runs only those tasks' checks and skips the
// rest: `npm run mutation` measures the core path with the core tasks' checks alone.
import { beforeEach, describe } from 'vitest'
import { loadCourse, taskTitle, type Kata } from '../../harness/course.ts'
import { PACKAGE_ROOT } from '../../harness/paths.ts'
import { addCallSite } from './thrown.ts'

export function kata(name: string): { meta: Kata; task: (slug: string, body: () => void) => void } {
  const meta = loadCourse().find((k) => k.name === name)
  if (!meta) throw new Error(`no kata named ${name} under katas/`)
  return {
    meta,
    task(slug, body) {
      const t = meta.tasks.find((x) => x.slug === slug)
      if (!t) throw new Error(`katas/${name}/kata.yaml declares no task "${slug}"`)
      // No `process` in the browser workspace's worker: every task runs there.
      const only = typeof process === 'undefined' ? undefined : process.env.KATAS_TASKS?.split(',')
      ;(only && !only.includes(slug) ? describe.skip : describe)(taskTitle(t), () => {
        // vitest hands each hook the test's context; runners without one (jest in the benchmark) just skip this.
        beforeEach((context) => context?.onTestFailed?.(({ task }) => addCallSite(task.result?.errors, PACKAGE_ROOT)))
        body()
      })
    },
  }
}
