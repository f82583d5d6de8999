// Every check title reads as a sentence: the learner reads it as the rule that failed, and
// a misconception names it. Titles built from table rows are where slips happen, so
// the titles are read as vitest collects them, not from the source (in the self-test,
// from its own run: harness/suite-results.ts).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { PACKAGE_ROOT } from './paths.ts'
import { suiteResults } from './suite-results.ts'
import { titleSlips } from './titles.ts'

describe('titleSlips', () => {
  test.each([
    { title: 'a range of a range with every field given gets rangeStart filled in', want: ['"a range of a range": a phrase twice'] },
    { title: 'the the gateway is skipped', want: ['"the the": a word twice'] },
    { title: 'a pod of a Deployment is replaced', want: [] },
    { title: 'a pod reaches a pod on the same node', want: [] },
    { title: 'traffic goes from node to node', want: [] },
    { title: 'the annotation "1.2.3.0/24,  5.6.0.0/16" is split on commas', want: [] },
    { title: 'a port of NaN is refused', want: ['a value that did not print (NaN, [object Object])'] },
    { title: 'a pod  with two spaces', want: ['spaces at an end or two in a row'] },
    { title: 'svc1.testns.svc.cluster.local. A: a ClusterIP Service answers its cluster IP', want: [] },
  ])('$title', ({ title, want }) => {
    expect(titleSlips(title)).toEqual(want)
  })
})

describe('the course', () => {
  test('every check title reads as a sentence', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'titles-'))
    try {
      const out = path.join(dir, 'list.json')
      const inSelftest = suiteResults()
      let tests: { name: string; file: string }[]
      if (inSelftest) tests = inSelftest.solutions.map((c) => ({ name: c.fullName, file: path.join(PACKAGE_ROOT, c.file) }))
      else {
        const { KATAS_SELFTEST: _s, KATAS_IMPL: _i, ...env } = process.env
        const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'list', 'checks/', `--json=${out}`], { cwd: PACKAGE_ROOT, env, encoding: 'utf8' })
        expect(r.status, r.stderr).toBe(0)
        tests = JSON.parse(readFileSync(out, 'utf8')) as { name: string; file: string }[]
      }
      expect(tests.length).toBeGreaterThan(100)
      const slips = tests.flatMap((t) => {
        // "task 1 (slug): Task title > check title": the task title is kata.yaml's, the check's is the last part.
        const title = t.name.split(' > ').at(-1)!
        return titleSlips(title).map((s) => `${path.relative(PACKAGE_ROOT, t.file)}: "${title}": ${s}`)
      })
      expect(slips, 'reword the title (and any misconception caughtBy that names it)').toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
