// The learner's status as the served pages see it: read through the progress file's
// own parser, with each kata's path (core or deep) and whether `katas start` gave it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { Kata, Task } from '../harness/course.ts'
import { readStatus } from './status.ts'

const task = (slug: string, track: 'core' | 'deep') => ({ slug, track }) as Task
const kata = (id: string, tasks: Task[]) => ({ id, tasks }) as unknown as Kata
const katas = [kata('00', [task('a', 'core'), task('b', 'core')]), kata('01', [task('c', 'core'), task('d', 'core'), task('e', 'deep')])]
const done = (passed: boolean) => ({ passed, hints: 0 })

describe('site/status', () => {
  test.each([
    { name: 'no workspace yet: every kata not started, on the core path, the first is current', file: undefined, want: { current: '00', k00: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 }, k01: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 } } },
    {
      name: 'a green kata moves the current one on; green tasks are counted on the learner’s path',
      file: { version: 2, katas: { '00': { status: 'passed', track: 'core', tasks: { a: done(true), b: done(true) } }, '01': { status: 'failing', track: 'core', tasks: { c: done(true) } } } },
      want: { current: '01', k00: { status: 'passed', track: 'core', tasksPassed: 2, tasksTotal: 2 }, k01: { status: 'failing', track: 'core', tasksPassed: 1, tasksTotal: 2 } },
    },
    {
      name: 'a kata on the deep track counts its deep tasks too',
      file: { version: 2, katas: { '01': { status: 'failing', track: 'deep', tasks: { c: done(true), e: done(true) } } } },
      want: { current: '00', k00: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 }, k01: { status: 'failing', track: 'deep', tasksPassed: 2, tasksTotal: 3 } },
    },
    {
      name: 'a kata given by katas start is neither the learner’s nor where they continue',
      file: { version: 2, katas: { '00': { status: 'given', track: 'core', givenFor: '01', tasks: {} } } },
      want: { current: '01', k00: { status: 'given', track: 'core', tasksPassed: 0, tasksTotal: 2, givenFor: '01' }, k01: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 } },
    },
    { name: 'a damaged progress file reads as no progress, and is left alone', file: '{not json', want: { current: '00', k00: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 }, k01: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 } } },
    { name: 'a file of an unknown version reads as no progress', file: { version: 9, katas: {} }, want: { current: '00', k00: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 }, k01: { status: 'not-started', track: 'core', tasksPassed: 0, tasksTotal: 2 } } },
  ])('$name', ({ file, want }) => {
    const ws = mkdtempSync(path.join(os.tmpdir(), 'katas-ws-'))
    try {
      if (file !== undefined) {
        mkdirSync(path.join(ws, '.katas'))
        writeFileSync(path.join(ws, '.katas', 'state.json'), typeof file === 'string' ? file : JSON.stringify(file))
      }
      const s = readStatus(katas, ws)
      expect(s.served).toBe(true)
      expect(s.current).toBe(want.current)
      expect(s.katas?.['00']).toEqual(want.k00)
      expect(s.katas?.['01']).toEqual(want.k01)
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })
})
