// The highlighter's worker tokenises ahead what this thread would: the same HTML either way.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import MarkdownIt from 'markdown-it'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CodeHighlighter, highlightAhead } from './highlight.ts'
import { FIXTURE_LESSONS } from './main.ts'

const fences = readdirSync(FIXTURE_LESSONS)
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) =>
    new MarkdownIt()
      .parse(readFileSync(path.join(FIXTURE_LESSONS, f), 'utf8'), {})
      .filter((t) => t.type === 'fence')
      .map((t) => ({ file: f, code: t.content.replace(/\n$/, ''), lang: t.info.trim().split(/\s+/)[0] ?? '' })),
  )

let ahead: CodeHighlighter
let here: CodeHighlighter
beforeAll(async () => {
  ahead = await CodeHighlighter.create([], undefined, highlightAhead(FIXTURE_LESSONS))
  await ahead.prepare(fences)
  here = await CodeHighlighter.create()
  await here.prepare(fences)
}, 60_000)
afterAll(() => {
  ahead.dispose()
  here.dispose()
})

describe('site/highlight', () => {
  test('the fixtures have highlighted fences', () => {
    expect(fences.filter((f) => ['yaml', 'ts'].includes(f.lang)).length).toBeGreaterThan(2)
  })
  test('the worker tokenised every fence: this thread loaded no grammar', () => {
    expect(ahead.grammars).toEqual([])
    expect(here.grammars.sort()).toEqual(['typescript', 'yaml'])
  })
  test.each(fences.map((f, i) => [`${f.file} #${i} (${f.lang})`, f] as const))('%s: the worker’s tokens give the same HTML', (_name, f) => {
    expect(ahead.html(f.code, f.lang)).toBe(here.html(f.code, f.lang))
  })
})
