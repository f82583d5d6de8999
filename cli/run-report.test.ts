// What `katas run` shows of an error the learner's code does not catch (run-report.ts).
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { reportLines } from './run-report.ts'

const ROOT = path.join(path.sep, 'course')
const WS = path.join(ROOT, 'workspace')
const at = (...parts: string[]) => path.join(WS, ...parts)

const withStack = (stack: string): Error => Object.assign(new Error('x'), { stack })

describe('an uncaught error in katas run', () => {
  test.each([
    {
      name: 'a stub that is not written yet: its frame and the scratch line, from the workspace; Node\'s frames left out',
      err: withStack(
        [
          'Error: kata 06-clusterip: Range.allocateNext is not implemented yet — see lessons/06-clusterip.md',
          `    at Range.allocateNext (${at('registry', 'ipallocator.ts')}:210:11)`,
          `    at <anonymous> (${at('scratch', '06-clusterip.ts')}:12:29)`,
          '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)',
          '    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)',
        ].join('\n'),
      ),
      want: [
        'Error: kata 06-clusterip: Range.allocateNext is not implemented yet — see lessons/06-clusterip.md',
        '    at Range.allocateNext (registry/ipallocator.ts:210:11)',
        '    at scratch/06-clusterip.ts:12:29',
      ],
    },
    {
      name: 'a frame in the course library is named from the course folder; a package\'s frame is left out',
      err: withStack(
        [
          'RangeError: bad',
          `    at parseCIDR (${path.join(ROOT, 'lib', 'net', 'ipint.ts')}:40:5)`,
          `    at load (${path.join(ROOT, 'node_modules', 'yaml', 'dist', 'index.js')}:1:1)`,
          `    at file://${at('scratch', 'mine.ts')}:3:1`,
        ].join('\n'),
      ),
      want: ['RangeError: bad', '    at parseCIDR (lib/net/ipint.ts:40:5)', '    at scratch/mine.ts:3:1'],
    },
    {
      name: 'a syntax error of several lines keeps them all, the workspace path cut',
      err: withStack(['TransformError: Transform failed with 1 error:', `${at('scratch', 'bad.ts')}:2:13: ERROR: Expected ")" but found end of file`].join('\n')),
      want: ['TransformError: Transform failed with 1 error:', 'scratch/bad.ts:2:13: ERROR: Expected ")" but found end of file'],
    },
    { name: 'a thrown string', err: 'a string', want: ['uncaught: a string'] },
    { name: 'a thrown object without a stack', err: { code: 7 }, want: ['uncaught: { code: 7 }'] },
  ])('$name', ({ err, want }) => {
    expect(reportLines(err, WS, ROOT)).toEqual(want)
  })
})
