// The front page's caption of the watch screen says what the screen shows.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { WATCH_SCREEN } from '../screens/watch-screen.ts'
import { watchCaption } from './home.ts'

describe('watchCaption', () => {
  test.each([
    { name: 'two of four', screen: '02 Label selectors\n2 of 4 tasks green\n', want: 'The watch screen after a save: two of four tasks green, and why the others are not.' },
    { name: 'one red task', screen: '\x1b[1m4 of 5 tasks green\x1b[22m', want: 'The watch screen after a save: four of five tasks green, and why the other one is not.' },
    { name: 'no count on the screen', screen: '✓ all 4 tasks green', want: 'The watch screen after a save.' },
  ])('$name', ({ screen, want }) => {
    expect(watchCaption(screen)).toBe(want)
  })

  test('the committed screen gets a caption with its own count', () => {
    const text = readFileSync(WATCH_SCREEN, 'utf8')
    // eslint-disable-next-line no-control-regex
    const m = /(\d+) of (\d+) tasks green/.exec(text.replace(/\x1b\[[0-9;]*m/g, ''))!
    expect(watchCaption(text)).toContain(`of ${['no', 'one', 'two', 'three', 'four', 'five', 'six'][Number(m[2])]} tasks green`)
  })
})
