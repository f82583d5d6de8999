// Table-driven checks, Kubernetes `_test.go` style: one test per row, named by the row.
//
//   table(cases, (tc) => { expect(route(tc.packet), tc.why).toEqual(tc.output) })
//   cases(rows, (r) => `a range of ${r.what} …`, (r) => { … })   // a title built from the row
//
// Unlike `test.each(rows)('$name')`, the name is used as written (no quotes, no
// truncation), so misconceptions and the learner loop can name a check exactly.
// When the code under test throws, the error carries the row it was given
// (./thrown.ts): the learner sees the input beside the exception, as a wrong
// value's message shows it.
import { test } from 'vitest'
import { withInput } from './thrown.ts'

export function table<T extends { name: string }>(rows: readonly T[], body: (row: T) => void | Promise<void>): void {
  const seen = new Set<string>()
  for (const row of rows) {
    if (seen.has(row.name)) throw new Error(`two rows of one table share the name "${row.name}"`)
    seen.add(row.name)
    test(row.name, () => withInput(row, () => body(row)))
  }
}

/** A table whose test names are built from each row by `title`. */
export function cases<T>(rows: readonly T[], title: (row: T) => string, body: (row: T) => void | Promise<void>): void {
  for (const row of rows) test(title(row), () => withInput(row, () => body(row)))
}
