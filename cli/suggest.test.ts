import { expect, test } from 'vitest'
import { closestTo, distance } from './suggest.ts'

const NAMES = ['label-selectors', 'endpoints', 'clusterip', 'nodeport', 'check', 'reset', 'solution']

test.each([
  { typed: 'selectors', want: 'label-selectors' },
  { typed: 'endpoint', want: 'endpoints' },
  { typed: 'clusterpi', want: 'clusterip' },
  { typed: 'chek', want: 'check' },
  { typed: 'solutoin', want: 'solution' },
  { typed: 'kubernetes', want: undefined },
  { typed: 'x', want: undefined },
])('"$typed" → $want', ({ typed, want }) => expect(closestTo(typed, NAMES)).toBe(want))

test('distance counts single edits', () => {
  expect(distance('kitten', 'sitting')).toBe(3)
  expect(distance('', 'abc')).toBe(3)
  expect(distance('same', 'same')).toBe(0)
})
