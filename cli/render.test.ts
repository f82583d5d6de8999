// How wide the learner loop writes: the terminal's width, or COLUMNS when piped.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { taskLine, terminalWidth, wrap } from './render.ts'

const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns')

afterEach(() => {
  vi.unstubAllEnvs()
  if (columns) Object.defineProperty(process.stdout, 'columns', columns)
  else delete (process.stdout as { columns?: number }).columns
})

describe('terminalWidth', () => {
  test.each([
    { name: 'a terminal 80 wide wraps at 80', tty: 80, env: undefined, want: 80 },
    { name: 'a wide terminal still wraps at 100', tty: 200, env: undefined, want: 100 },
    { name: "the terminal's own width beats COLUMNS", tty: 70, env: '50', want: 70 },
    { name: 'piped, COLUMNS=60 wraps at 60', tty: undefined, env: '60', want: 60 },
    { name: 'piped, without COLUMNS, wraps at 100', tty: undefined, env: undefined, want: 100 },
    { name: 'piped, a COLUMNS that is not a number is ignored', tty: undefined, env: 'wide', want: 100 },
    { name: 'piped, COLUMNS=5 leaves room for a message: 20', tty: undefined, env: '5', want: 20 },
  ])('$name', ({ tty, env, want }) => {
    Object.defineProperty(process.stdout, 'columns', { value: tty, configurable: true, writable: true })
    if (env === undefined) vi.stubEnv('COLUMNS', undefined)
    else vi.stubEnv('COLUMNS', env)
    expect(terminalWidth()).toBe(want)
  })

  test('wrap breaks prose at the width COLUMNS gives', () => {
    Object.defineProperty(process.stdout, 'columns', { value: undefined, configurable: true, writable: true })
    vi.stubEnv('COLUMNS', '30')
    const lines = wrap('a selector with two requirements matches only labels that satisfy both').split('\n')
    expect(lines.length).toBeGreaterThan(2)
    expect(lines.every((l) => l.length <= 30)).toBe(true)
  })
})

describe('taskLine', () => {
  const long = "A Service's selector and a Deployment's pick exactly the pods that meet every requirement"
  const cases = [
    { name: 'a title that fits stays on one line, the count after it', title: long, count: '10/15', width: 120, want: [`✗ task 4  ${long}  10/15`] },
    {
      name: 'at 100 columns the title wraps under itself and the count stays with its last words',
      title: long,
      count: '10/15',
      width: 100,
      want: ["✗ task 4  A Service's selector and a Deployment's pick exactly the pods that meet every", '          requirement  10/15'],
    },
    {
      name: 'a title that fits but leaves no room for its count sends its last word down with it',
      title: 'pick the pods that meet every requirement',
      count: '10/15',
      width: 55,
      want: ['✗ task 4  pick the pods that meet every', '          requirement  10/15'],
    },
    { name: 'a one-word title never leaves its count alone', title: 'Supercalifragilisticexpialidocious', count: '1/2', width: 30, want: ['✗ task 4  Supercalifragilisticexpialidocious  1/2'] },
    { name: 'the deep mark travels with the count', title: long, count: '3/3  deep', width: 100, want: [`✗ task 4  ${long.replace(' requirement', '')}`, '          requirement  3/3  deep'] },
  ]
  test.each(cases)('$name', ({ title, count, width, want }) => {
    vi.stubEnv('NO_COLOR', '1')
    // eslint-disable-next-line no-control-regex
    const got = taskLine('✗', 4, title, count, undefined, width).replace(/\x1b\[[0-9;]*m/g, '').split('\n')
    expect(got).toEqual(want)
  })
})
