// One kata's grade in the Exercism test-runner interface, version 3
// (exercism/docs building/tooling/test-runners/interface.md): `status` is
// pass, fail or error (error: no check ran); each test carries its `task_id`.
// The shape is pinned by grader/results-v3.schema.json.
import path from 'node:path'
import { CHECKS_DIR } from '../harness/paths.ts'
import type { KataGrade } from './grade.ts'
import { testCode } from './test-code.ts'

export interface ExercismTest {
  name: string
  status: 'pass' | 'fail' | 'error'
  message: string | null
  output: string | null
  test_code: string
  task_id: number
}

export interface ExercismResults {
  version: 3
  status: 'pass' | 'fail' | 'error'
  message: string | null
  tests: ExercismTest[]
}

/** The interface limits `output` to 500 characters and the top-level message to 65535. */
const OUTPUT_LIMIT = 500
const MESSAGE_LIMIT = 65_535

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 20)}\n[…truncated]`)

export function toExercism(g: KataGrade): ExercismResults {
  const file = path.join(CHECKS_DIR, `${g.kata.name}.check.ts`)
  const tests = g.checks.map(
    (c): ExercismTest => ({
      name: `${g.kata.tasks[c.task - 1]?.title ?? 'checks'} > ${c.name}`,
      status: c.status,
      message: c.status === 'pass' ? null : (c.message ?? 'failed'),
      output: c.output ? clip(c.output, OUTPUT_LIMIT) : null,
      test_code: testCode(file, c.line, c.name),
      task_id: Math.max(1, c.task),
    }),
  )
  const status = g.verdict === 'passed' ? 'pass' : g.verdict === 'failed' ? 'fail' : 'error'
  // The interface wants a top-level message for an error only, and null otherwise.
  const message = status === 'error' ? clip(`${verdictLine(g)}${g.message ?? 'no check ran'}`, MESSAGE_LIMIT) : null
  return { version: 3, status, message, tests: status === 'error' ? [] : tests }
}

/** The words that open a kata's message: what kind of trouble it is. */
export function verdictLine(g: KataGrade): string {
  switch (g.verdict) {
    case 'timeout':
      return 'Timed out: '
    case 'crashed':
      return 'Crashed: '
    case 'forbidden':
      return 'Not graded: '
    case 'error':
      return 'Could not run: '
    case 'tampered':
      return 'Tampered: '
    case 'given':
      return 'Given, not graded: '
    case 'refused':
      return 'Refused: '
    default:
      return ''
  }
}
