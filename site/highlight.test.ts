// A rebuild takes highlighted blocks from the cache file: the same HTML, and no grammar loaded.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CodeHighlighter } from './highlight.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { fencesIn } from './fences.testing.ts'
import { FIXTURE_LESSONS } from './main.ts'

const fences = fencesIn(FIXTURE_LESSONS)

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

describe('site/highlight: TypeScript, by lezer\'s parser', () => {
  // The classes the workspace's editor gives the same code (site/highlight-tags.ts).
  test.each([
    { name: 'keywords and a module specifier', code: "import { a } from './x.ts'", want: ['<span class="hl-keyword">import</span>', '<span class="hl-string">&#39;./x.ts&#39;</span>'] },
    { name: 'a declared function and a call', code: 'export function f(n: number) {\n  return g(n)\n}', want: ['<span class="hl-function">f</span>', '<span class="hl-function">g</span>', '<span class="hl-constant">number</span>'] },
    { name: 'a comment to the end of its line', code: 'const n = 3 // three', want: ['<span class="hl-comment">// three</span>', '<span class="hl-constant">3</span>'] },
    { name: 'text is escaped', code: "const ok = a < b && s === '<br>'", want: ['a &lt; b &amp;&amp; s', '&#39;&lt;br&gt;&#39;'] },
  ])('$name', async ({ code, want }) => {
    const h = await CodeHighlighter.create(['ts'])
    const html = h.html(code, 'ts')
    for (const w of want) expect(html).toContain(w)
    // Lines stay lines, and no text is lost or added.
    expect(html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&')).toBe(code)
    expect(h.css()).toBe('')
  })
})

describe('site/highlight: YAML, by lezer\'s parser, in the colours of shiki\'s grammar', () => {
  const blocks = [FIXTURE_LESSONS, path.join(PACKAGE_ROOT, 'lessons')].flatMap((dir) =>
    fencesIn(dir)
      .filter((f) => f.lang === 'yaml' || f.lang === 'yml')
      .map((f, i) => ({ name: `${path.basename(dir)}/${f.file} #${i}`, code: f.code })),
  )
  // What YAML's colours hang on: keys, plain and quoted values, YAML 1.1's implicit types, flow collections, comments, block scalars.
  const cases = `a: b
n: 3
f: 1.5
ip: 10.96.0.10
yes: no
off: ~
when: 2026-12-07
2026-12-07: day
3: three
"quoted key": v
'single key': 1
<<: *base
base: &base x
t: !!str 3
u: !custom v
q: "quoted: text"
s: 'single'
list: [x, "y", 3]
map: {k: v, n: 2}
# a comment
tail: value # and a comment
- item
- k: v
block: |
  line one
  line two
folded: >-
  text
---
doc: two`
  let viaShiki: CodeHighlighter
  let viaParser: CodeHighlighter
  beforeAll(async () => {
    viaShiki = await CodeHighlighter.create(['yaml'], undefined, { parsers: false })
    viaParser = await CodeHighlighter.create(['yaml'])
  }, 60_000)
  afterAll(() => viaShiki.dispose())
  test('every lesson and fixture has YAML to compare', () => expect(blocks.length).toBeGreaterThan(40))
  test.each([...blocks, ...cases.split('\n').map((code, i) => ({ name: `case ${i}: ${code}`, code }))].map((b) => [b.name, b] as const))('%s', (_name, { code }) => {
    expect(viaParser.html(code, 'yaml')).toBe(viaShiki.html(code, 'yaml'))
  })
})

