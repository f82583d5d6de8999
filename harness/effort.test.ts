// The core path keeps its promise: one sitting per kata. `npm run effort` prints the
// table; this test fails the build when a kata grows past the course's limits.
import { describe, expect, test } from 'vitest'
import { loadCourse } from './course.ts'
import { kataEffort, LIMITS, overLimits, type KataEffort } from './effort.ts'

const katas = loadCourse()

describe('effort of the core path', () => {
  const efforts = katas.map((k) => kataEffort(k))

  test.each(efforts.map((e, i) => ({ name: e.kata.name, e, first: i === 0 })))('$name is within its limits', ({ e, first }) => {
    expect(overLimits(e, first)).toEqual([])
    // Every core task asks for something, except a task that only runs the earlier ones together.
    expect(e.core.lines).toBeGreaterThan(0)
  })

  test('the whole core path is within the course limit', () => {
    const total = efforts.reduce((n, e) => n + e.core.lines, 0)
    expect(total).toBeLessThanOrEqual(LIMITS.courseLines)
    // The deep track keeps the full depth: it always asks for more than the core path.
    for (const e of efforts) expect(e.deep.lines, e.kata.name).toBeGreaterThan(e.core.lines)
  })

  // Each limit is enforced: a synthetic kata over one limit names exactly that limit.
  const base = efforts[1]!
  const task = base.core.tasks[0]!
  const tweak = (core: Partial<KataEffort['core']>): KataEffort => ({ ...base, core: { ...base.core, ...core } })
  test.each([
    { name: 'lines of a kata', e: tweak({ lines: LIMITS.kataLines + 1, tasks: [] }), first: false, want: /asks for 121 lines \(limit 120\)/ },
    { name: 'lines of the first kata', e: tweak({ lines: LIMITS.firstKataLines + 1, tasks: [] }), first: true, want: /asks for 61 lines \(limit 60\)/ },
    { name: 'functions of a kata', e: tweak({ lines: 1, functions: LIMITS.kataFunctions + 1, tasks: [] }), first: false, want: /asks for 7 functions \(limit 6\)/ },
    { name: 'lines of a task', e: tweak({ lines: 1, functions: 1, tasks: [{ ...task, lines: LIMITS.taskLines + 1 }] }), first: false, want: new RegExp(`task ${task.task.number} \\(${task.task.slug}\\) asks for 41 lines \\(limit 40\\)`) },
  ])('over the limit on $name is reported', ({ e, first, want }) => {
    const problems = overLimits(e, first)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(want)
  })
})
