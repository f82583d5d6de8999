// A rebuild takes highlighted blocks from the cache file: the same HTML, and no grammar loaded.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import MarkdownIt from 'markdown-it'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CodeHighlighter } from './highlight.ts'
import { FIXTURE_LESSONS } from './main.ts'

const fences = readdirSync(FIXTURE_LESSONS)
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) =>
    new MarkdownIt()
      .parse(readFileSync(path.join(FIXTURE_LESSONS, f), 'utf8'), {})
      .filter((t) => t.type === 'fence')
      .map((t) => ({ file: f, code: t.content.replace(/\n$/, ''), lang: t.info.trim().split(/\s+/)[0] ?? '' })),
  )

const dir = mkdtempSync(path.join(os.tmpdir(), 'highlight-'))
const cacheFile = path.join(dir, 'highlight.json')
let first: CodeHighlighter
let cached: CodeHighlighter
beforeAll(async () => {
  first = await CodeHighlighter.create([], cacheFile)
  await first.prepare(fences)
  for (const f of fences) first.html(f.code, f.lang)
  first.saveCache()
  cached = await CodeHighlighter.create([], cacheFile)
  await cached.prepare(fences)
}, 60_000)
afterAll(() => {
  first.dispose()
  cached.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('site/highlight', () => {
  test('the fixtures have highlighted fences', () => {
    expect(fences.filter((f) => ['yaml', 'ts'].includes(f.lang)).length).toBeGreaterThan(2)
  })
  test('a build loads the grammars its fences use; a rebuild from the cache loads none', () => {
    expect(first.grammars.sort()).toEqual(['typescript', 'yaml'])
    expect(cached.grammars).toEqual([])
  })
  test.each(fences.map((f, i) => [`${f.file} #${i} (${f.lang})`, f] as const))('%s: the cached block is the highlighted one', (_name, f) => {
    expect(cached.html(f.code, f.lang)).toBe(first.html(f.code, f.lang))
  })
})
