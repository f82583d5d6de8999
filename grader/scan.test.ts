// The static parts of grading, without a child process: which workspace modules
// reach the reference solutions, and what counts as a changed protected file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { findTampering, hashFile, type Manifest } from './checksums.ts'
import { scanImports } from './imports.ts'

const TMP = mkdtempSync(path.join(os.tmpdir(), 'katas-grade-scan-'))
afterAll(() => rmSync(TMP, { recursive: true, force: true }))

function tree(name: string, files: Record<string, string>): string {
  const root = path.join(TMP, name)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    writeFileSync(path.join(root, rel), text)
  }
  return root
}

describe('scanImports', () => {
  const cases: { name: string; files: Record<string, string>; roots: string[]; want: string[] }[] = [
    { name: 'imports of lib/, npm packages and sibling modules are allowed', files: { 'labels/selector.ts': "import { x } from '../../lib/field/path.ts'\nimport { parse } from 'yaml'\nimport './util.ts'\n", 'labels/util.ts': '' }, roots: ['labels/selector.ts'], want: [] },
    { name: 'a static import of ../../solutions is found', files: { 'labels/selector.ts': "import { parse } from '../../solutions/labels/selector.ts'\n" }, roots: ['labels/selector.ts'], want: ['labels/selector.ts ../../solutions/labels/selector.ts'] },
    { name: 'export … from is found', files: { 'labels/selector.ts': "export * from '../../solutions/labels/selector.ts'\n" }, roots: ['labels/selector.ts'], want: ['labels/selector.ts ../../solutions/labels/selector.ts'] },
    { name: 'a dynamic import() with a literal is found', files: { 'labels/selector.ts': "export const m = await import('../../solutions/labels/selector.ts')\n" }, roots: ['labels/selector.ts'], want: ['labels/selector.ts ../../solutions/labels/selector.ts'] },
    { name: 'require() is found', files: { 'labels/selector.ts': "const m = require('../../solutions/labels/selector.ts')\n" }, roots: ['labels/selector.ts'], want: ['labels/selector.ts ../../solutions/labels/selector.ts'] },
    { name: 'an absolute path into the course solutions is found', files: { 'labels/selector.ts': "export * from '/course/solutions/labels/selector.ts'\n" }, roots: ['labels/selector.ts'], want: ['labels/selector.ts /course/solutions/labels/selector.ts'] },
    { name: 'a module is tainted through the workspace modules it imports', files: { 'cluster/cluster.ts': "import '../labels/selector.ts'\n", 'labels/selector.ts': "export * from '../../solutions/labels/selector.ts'\n" }, roots: ['cluster/cluster.ts'], want: ['labels/selector.ts ../../solutions/labels/selector.ts'] },
    { name: 'a tainted module does not taint a kata that never imports it', files: { 'kubelet/envvars.ts': "import '../../lib/cluster/defaults.ts'\n", 'labels/selector.ts': "export * from '../../solutions/labels/selector.ts'\n" }, roots: ['kubelet/envvars.ts'], want: [] },
    { name: "the learner's own folder named solutions is theirs", files: { 'labels/selector.ts': "import { helper } from './solutions/helper.ts'\n", 'labels/solutions/helper.ts': 'export const helper = 1\n' }, roots: ['labels/selector.ts'], want: [] },
    { name: 'a package whose name has solutions in it is not the reference', files: { 'labels/selector.ts': "import x from 'solutions'\nimport y from '@acme/solutions/helper.ts'\n" }, roots: ['labels/selector.ts'], want: [] },
    { name: 'a word "solutions" in a string that is not an import is not an import', files: { 'labels/selector.ts': "export const note = 'see ../../solutions/labels/selector.ts'\n" }, roots: ['labels/selector.ts'], want: [] },
  ]
  test.each(cases.map((c, i) => ({ ...c, i })))('$name', ({ files, roots, want, i }) => {
    const copy = tree(`scan-${i}/workspace`, files)
    const scan = scanImports(copy, '/learner/workspace', ['/course/solutions', '/learner/solutions'])
    expect(scan.reachedFrom(roots).map((d) => `${d.module} ${d.specifier}`)).toEqual(want)
  })
})

describe('findTampering', () => {
  const course = tree('course', { 'checks/02-label-selectors.check.ts': 'test()\n', 'katas/02-label-selectors/kata.yaml': 'id: "02"\n', 'vitest.config.ts': 'export default {}\n' })
  const manifest: Manifest = {
    algorithm: 'sha256',
    files: Object.fromEntries(['checks/02-label-selectors.check.ts', 'katas/02-label-selectors/kata.yaml', 'vitest.config.ts'].map((f) => [f, hashFile(path.join(course, f))])),
  }
  const cases: { name: string; files: Record<string, string>; want: { file: string; change: string }[] }[] = [
    { name: 'the same files are untouched', files: { 'checks/02-label-selectors.check.ts': 'test()\n', 'katas/02-label-selectors/kata.yaml': 'id: "02"\n', 'vitest.config.ts': 'export default {}\n' }, want: [] },
    { name: 'CRLF line endings (a Windows checkout) are not a change', files: { 'checks/02-label-selectors.check.ts': 'test()\r\n', 'katas/02-label-selectors/kata.yaml': 'id: "02"\r\n', 'vitest.config.ts': 'export default {}\r\n' }, want: [] },
    {
      name: 'an edited check, a deleted config and an added check file are reported',
      files: { 'checks/02-label-selectors.check.ts': 'test.skip()\n', 'checks/extra.check.ts': '', 'katas/02-label-selectors/kata.yaml': 'id: "02"\n' },
      want: [
        { file: 'checks/02-label-selectors.check.ts', change: 'changed' },
        { file: 'checks/extra.check.ts', change: 'added' },
        { file: 'vitest.config.ts', change: 'deleted' },
      ],
    },
    { name: 'a bare workspace without the course around it has nothing to compare', files: { 'workspace/labels/selector.ts': '' }, want: [] },
  ]
  test.each(cases.map((c, i) => ({ ...c, i })))('$name', ({ files, want, i }) => {
    expect(findTampering(tree(`checkout-${i}`, files), manifest)).toEqual(want)
  })
})
