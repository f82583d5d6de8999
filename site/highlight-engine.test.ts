// The highlighter's engine (each distinct pattern compiled once) tokenises as shiki's own
// oniguruma engine does: the same tokens and colours for every fence of the lessons.
import path from 'node:path'
import { createCssVariablesTheme, createHighlighter, type Highlighter } from 'shiki'
import type { HighlighterCore } from 'shiki/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import languages from './highlight-langs.json' with { type: 'json' }
import { fencesIn } from './fences.testing.ts'
import { FIXTURE_LESSONS } from './main.ts'

const { langs, aliases, theme } = languages as { langs: string[]; aliases: Record<string, string>; theme: { name: string; variablePrefix: string; fontStyle: boolean } }
const LESSONS = path.join(PACKAGE_ROOT, 'lessons')

const fences = [FIXTURE_LESSONS, LESSONS]
  .flatMap(fencesIn)
  .map((f) => ({ ...f, lang: aliases[f.lang] ?? f.lang }))
  .filter((f) => langs.includes(f.lang))

let shared: HighlighterCore
let stock: Highlighter
beforeAll(async () => {
  const engine = (await import('./highlight-engine.mjs')) as { createSiteHighlighter(t: typeof theme, l: string[]): Promise<HighlighterCore> }
  shared = await engine.createSiteHighlighter(theme, langs)
  stock = await createHighlighter({ themes: [createCssVariablesTheme(theme)], langs })
}, 60_000)
afterAll(() => {
  shared.dispose()
  stock.dispose()
})

const tokens = (h: HighlighterCore, code: string, lang: string) =>
  h.codeToTokens(code, { lang, theme: theme.name, tokenizeTimeLimit: 0 }).tokens.map((line) => line.map((t) => [t.content, t.color ?? '']))

describe('site/highlight-engine', () => {
  test('the lessons have fences in more than one grammar', () => {
    expect(new Set(fences.map((f) => f.lang)).size).toBeGreaterThan(1)
  })
  test.each(fences.map((f, i) => [`${f.file} #${i} (${f.lang})`, f] as const))('%s: the same tokens as shiki’s engine', (_name, f) => {
    expect(tokens(shared, f.code, f.lang)).toEqual(tokens(stock, f.code, f.lang))
  })
})
