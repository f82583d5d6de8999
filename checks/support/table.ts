// Table-driven checks, Kubernetes `_test.go` style: one test per row, named by the row.
//
//   table(cases, (tc) => { expect(route(tc.packet), tc.why).toEqual(tc.output) })
//
// Unlike `test.each(rows)('$name')`, the name is used as written (no quotes, no
// truncation), so misconceptions and the learner loop can name a check exactly.
import { test } from 'vitest'

export function table<T extends { name: string }>(rows: readonly T[], body: (row: T) => void | Promise<void>): void {
  const seen = new Set<string>()
  for (const row of rows) {
    if (seen.has(row.name)) throw new Error(`two rows of one table share the name "${row.name}"`)
    seen.add(row.name)
    test(row.name, () => body(row))
  }
}
