// The browser's `inspect` prints a check table's input as Node's does.
import { inspect as nodeInspect } from 'node:util'
import { expect, test } from 'vitest'
import { inspect } from './util.ts'

const OPTIONS = { depth: 3, breakLength: Infinity, compact: true, maxArrayLength: 6, maxStringLength: 120, colors: false } as const

test.each([
  { what: 'a row of strings and numbers', row: { from: 'pod snackbar/web', ip: '10.244.1.7', port: 80 } },
  { what: 'nested objects and arrays', row: { cfg: { subnet: '192.0.2.0/24', ranges: [['a', 'b'], []] }, on: true, none: null, gone: undefined } },
  { what: 'a long array', row: { ips: ['1', '2', '3', '4', '5', '6', '7', '8'] } },
  { what: 'quotes and odd keys', row: { 'app.kubernetes.io/name': "it's", n: 1n } },
  { what: 'an empty row', row: {} },
  { what: 'a long string', row: { body: 'x'.repeat(130) } },
])('$what', ({ row }) => {
  expect(inspect(row, OPTIONS)).toBe(nodeInspect(row, OPTIONS))
})
