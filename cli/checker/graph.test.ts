// What a warm worker may load ahead: only modules no save can change.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { importsOf, preloadFor } from './graph.ts'

describe('importsOf', () => {
  test.each([
    { name: 'named and default imports', text: "import fc from 'fast-check'\nimport { a, b } from './a.ts'", want: ['fast-check', './a.ts'] },
    { name: 'imports over several lines', text: "import {\n  a,\n  b,\n} from '../lib/x.ts'", want: ['../lib/x.ts'] },
    { name: 'a side-effect import and a re-export', text: "import './setup.ts'\nexport { y } from './y.ts'", want: ['./setup.ts', './y.ts'] },
    { name: 'type-only imports load nothing', text: "import type { Pod } from 'kubernetes-types/core/v1'\nexport type { T } from './t.ts'", want: [] },
    { name: 'a string that only looks like an import', text: "const s = 'import x from \"./no.ts\"'", want: [] },
  ])('$name', ({ text, want }) => expect(importsOf(text)).toEqual(want))
})

const dir = mkdtempSync(path.join(tmpdir(), 'katas-graph-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
  writeFileSync(path.join(dir, rel), text)
  return path.join(dir, rel)
}

test('preloads course helpers and packages, never the learner tree, what imports it, or the check files', () => {
  file('lib/pure.ts', "import { z } from './deeper.ts'\nexport const p = z")
  file('lib/deeper.ts', "import yaml from 'yaml'\nexport const z = 1")
  file('checks/support/model.ts', "import { m } from '@impl/model.ts'\nexport const s = m")
  file('checks/support/plain.ts', "import { p } from '../../lib/pure.ts'\nexport const q = p")
  file('checks/support/reaches.ts', "import { m } from '../../ws/model.ts'\nexport const r = m")
  file('ws/model.ts', 'export const m = 1')
  const check = file('checks/01-x.check.ts', "import fc from 'fast-check'\nimport { test } from 'vitest'\nimport './support/model.ts'\nimport './support/plain.ts'\nimport './support/reaches.ts'")
  const p = preloadFor([check], path.join(dir, 'ws'))
  expect(p.modules).toEqual([path.join(dir, 'lib/deeper.ts'), path.join(dir, 'lib/pure.ts'), path.join(dir, 'checks/support/plain.ts')])
  expect(p.packages).toEqual(['fast-check', 'vitest', 'yaml'])
})
