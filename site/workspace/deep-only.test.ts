// The first checks bundle of a workspace page leaves out the deep tasks: which blocks
// and which support modules, read from the check files as they are.
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { findKata } from '../../harness/course.ts'
import { CHECKS_DIR } from '../../harness/paths.ts'
import { deepOnly, withoutDeepTasks } from './deep-only.ts'

const checkFile = (name: string) => path.join(CHECKS_DIR, `${name}.check.ts`)
const support = (file: string) => path.join(CHECKS_DIR, 'support', file)

describe('deepOnly', () => {
  test('kata 09: one block per deep task; the row tables only deep tasks read, not what a core task reads too', async () => {
    const kata = findKata('09')!
    const cut = await deepOnly(kata, checkFile(kata.name))
    expect(cut.spans).toHaveLength(kata.tasks.filter((t) => t.track === 'deep').length)
    expect(cut.modules).toContain(support('apiserver-rows.ts'))
    expect(cut.modules).toContain(support('kubelet-rows.ts'))
    // cluster.ts (SNACKBAR_YAML, resultText, …) and table.ts serve the core tasks as well.
    expect(cut.modules).not.toContain(support('cluster.ts'))
    expect(cut.modules).not.toContain(support('table.ts'))
  })

  test('kata 02: its deep tasks are blocks of the check file, with no support module of their own', async () => {
    const kata = findKata('02')!
    const cut = await deepOnly(kata, checkFile(kata.name))
    expect(cut.spans).toHaveLength(kata.tasks.filter((t) => t.track === 'deep').length)
    expect([...cut.modules]).toEqual([])
  })
})

describe('withoutDeepTasks', () => {
  const text = "import x from 'y'\ntask('core', () => {\n  a()\n})\ntask('deep', () => {\n  b()\n  c()\n})\ntask('core2', () => {})\n"
  const from = text.indexOf("task('deep'")
  const to = text.indexOf("task('core2'") - 1

  test('blanks the block out line for line: every other line keeps its number', () => {
    const out = withoutDeepTasks(text, [[from, to]])
    expect(out.split('\n')).toHaveLength(text.split('\n').length)
    expect(out).not.toContain('b()')
    expect(out.split('\n')[8]).toBe("task('core2', () => {})")
  })

  test('no spans, no change', () => {
    expect(withoutDeepTasks(text, [])).toBe(text)
  })
})
