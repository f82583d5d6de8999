import { describe, expect, test } from 'vitest'
import { extractBlocks, parseInfo, slugify } from './blocks.ts'

describe('parseInfo splits a fence info string', () => {
  test.each([
    { info: 'yaml', want: { lang: 'yaml', flags: [], attrs: {} } },
    { info: 'yaml title="lessons/03-endpoints/order.yaml"', want: { lang: 'yaml', flags: [], attrs: { title: 'lessons/03-endpoints/order.yaml' } } },
    { info: 'yaml invalid title="a b.yaml"', want: { lang: 'yaml', flags: ['invalid'], attrs: { title: 'a b.yaml' } } },
    { info: 'console norun', want: { lang: 'console', flags: ['norun'], attrs: {} } },
    { info: '', want: { lang: '', flags: [], attrs: {} } },
  ])('$info', ({ info, want }) => {
    expect(parseInfo(info)).toEqual(want)
  })
})

describe('slugify gives GitHub heading anchors', () => {
  test.each([
    { headings: ['The idea'], want: ['the-idea'] },
    { headings: ['Task 1: Subsets are repacked'], want: ['task-1-subsets-are-repacked'] },
    { headings: ['Ready and not ready', 'Ready and not ready', 'Ready and not ready'], want: ['ready-and-not-ready', 'ready-and-not-ready-1', 'ready-and-not-ready-2'] },
    { headings: ['`targetPort` is a name', 'What’s new?'], want: ['targetport-is-a-name', 'whats-new'] },
    { headings: ['a-1', 'a', 'a'], want: ['a-1', 'a', 'a-2'] },
  ])('$headings', ({ headings, want }) => {
    const seen = new Map<string, number>()
    expect(headings.map((h) => slugify(h, seen))).toEqual(want)
  })
})

const BODY = `
Intro with \`controller/endpoints.ts\` and a [link](03-endpoints.md#the-idea).

## The idea

\`\`\`yaml title="x.yaml"
a: 1
\`\`\`

Ask for \`katas hint 03\` or
\`katas hint 3 --level 2\`.

::: predict
What happens?
:::

\`\`\`yaml
b: 2
\`\`\`

\`\`\`console
$ katas kubectl get pods
\`\`\`

::: steps The route
![First step](03-endpoints/a.svg)
It starts.

![Second step](03-endpoints/b.svg)
It ends.
:::

## The idea
`

describe('extractBlocks reads a lesson body with file lines', () => {
  // The body starts on line 10 of the lesson file.
  const b = extractBlocks(BODY, 10)

  test('code blocks, with the lines of their fences and text', () => {
    expect(b.code.map((c) => [c.info, c.line, c.contentLine, c.endLine, c.closed, c.text])).toEqual([
      ['yaml title="x.yaml"', 15, 16, 17, true, 'a: 1\n'],
      ['yaml', 26, 27, 28, true, 'b: 2\n'],
      ['console', 30, 31, 32, true, '$ katas kubectl get pods\n'],
    ])
  })

  test('headings with unique anchors', () => {
    expect(b.headings.map((h) => [h.level, h.anchor, h.line])).toEqual([
      [2, 'the-idea', 13],
      [2, 'the-idea-1', 42],
    ])
  })

  test('links, hints and module mentions', () => {
    expect(b.links).toEqual([{ href: '03-endpoints.md#the-idea', text: 'link', line: 11 }])
    expect(b.hints).toEqual([
      { kata: '03', line: 19 },
      { kata: '3', level: '2', line: 20 },
    ])
    expect(b.modules).toEqual([{ path: 'controller/endpoints.ts', line: 11 }])
  })

  test('callouts, and the code blocks that follow a predict', () => {
    expect(b.callouts.map((c) => [c.kind, c.title, c.line, c.following])).toEqual([
      ['predict', '', 22, ['yaml', 'console']],
      ['steps', 'The route', 34, []],
    ])
  })

  test('a steps block is a list of frames: image, alt, caption', () => {
    expect(b.steps).toEqual([
      {
        title: 'The route',
        line: 34,
        frames: [
          { image: { src: '03-endpoints/a.svg', alt: 'First step', line: 35 }, caption: 'It starts.', line: 35 },
          { image: { src: '03-endpoints/b.svg', alt: 'Second step', line: 38 }, caption: 'It ends.', line: 38 },
        ],
      },
    ])
  })

  test('an unclosed fence is marked', () => {
    expect(extractBlocks('```yaml\na: 1\n').code[0]).toMatchObject({ closed: false, line: 1 })
  })
})
