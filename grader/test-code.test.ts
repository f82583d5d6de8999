// The `test_code` of Exercism's results.json: the body the check runs, however the check is written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { testCode } from './test-code.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'test-code-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = path.join(dir, 'x.check.ts')
writeFileSync(
  file,
  [
    "test('inline', () => {", //                                    1
    '  expect(1).toBe(1)',
    '})',
    'table([{ name: "row" }], ({ name }) => expect(name).toBe("row"))', // 4
    'function checkRow({ name }: { name: string }): void {',
    '  expect(name).toBe("row")',
    '}',
    'table([{ name: "row" }], checkRow)', //                         8
    'const arrowRow = ({ name }: { name: string }) => expect(name).toBe("row")',
    'table([{ name: "row" }], arrowRow)', //                         10
    'table([{ name: "row" }], notDeclaredHere)', //                  11
    'cases([{ n: 1 }], (r) => `row ${r.n}`, ({ n }) => expect(n).toBe(1))', // 12
    "test('with a timeout', () => expect(1).toBe(1), 10_000)", //     13
  ].join('\n'),
)

test.each([
  { how: 'a test with its body inline', line: 1, want: /^\(\) => \{\n {2}expect\(1\)/ },
  { how: 'a table with its body inline', line: 4, want: /^\(\{ name \}\) => expect/ },
  { how: 'a table whose body is a function declared in the file', line: 8, want: /^function checkRow/ },
  { how: 'a table whose body is a const arrow function', line: 10, want: /^const arrowRow = / },
  { how: 'a table whose body is imported: nothing to show', line: 11, want: /^$/ },
  { how: 'cases with a title built from the row: the body, not the title', line: 12, want: /^\(\{ n \}\) => expect/ },
  { how: 'a test with a timeout after its body', line: 13, want: /^\(\) => expect/ },
  { how: 'no check at that line', line: 2, want: /^$/ },
  { how: 'no line known', line: undefined, want: /^$/ },
])('$how', ({ line, want }) => {
  expect(testCode(file, line)).toMatch(want)
})
