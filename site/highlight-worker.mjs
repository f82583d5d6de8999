// The highlighter's worker thread: tokenises the fences of the lesson files with shiki
// while the main thread bundles the generator, reads the course and parses the lessons
// (highlight.ts, site/run.mjs). Most of shiki's time is compiling its grammars' patterns
// on first use; here it overlaps with the rest of the build. Plain JavaScript, so it
// starts before the generator's bundle exists.
//
// In:  workerData { lessonsDir }
// Out: one message, [{ lang, code, lines: [[content, color], …][] }] for each distinct
//      fence in a language of highlight-langs.json. What it missed, highlight.ts does itself.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'

const { langs, aliases, theme } = JSON.parse(readFileSync(new URL('highlight-langs.json', import.meta.url), 'utf8'))

// The fences as the site's renderer sees them: markdown-it's block parse of each lesson
// body (front matter cut off; no inline parse), the fence's first word as its language.
const { default: MarkdownIt } = await import('markdown-it')
const md = new MarkdownIt({ html: false })
md.core.ruler.enableOnly(['normalize', 'block'])
const fences = new Map()
for (const file of readdirSync(workerData.lessonsDir).filter((f) => f.endsWith('.md')).sort()) {
  const body = readFileSync(path.join(workerData.lessonsDir, file), 'utf8').replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '')
  for (const t of md.parse(body, {})) {
    if (t.type !== 'fence') continue
    const first = t.info.trim().split(/\s+/)[0] ?? ''
    const lang = aliases[first] ?? first
    if (!langs.includes(lang)) continue
    const code = t.content.replace(/\n$/, '')
    fences.set(`${lang}\0${code}`, { lang, code })
  }
}

const { createSiteHighlighter } = await import('./highlight-engine.mjs')
const used = [...new Set([...fences.values()].map((f) => f.lang))]
const shiki = await createSiteHighlighter(theme, used)
const out = [...fences.values()].map(({ lang, code }) => ({
  lang,
  code,
  // No time limit (as in highlight.ts): a line's colours must not depend on the machine's load.
  lines: shiki.codeToTokens(code, { lang, theme: theme.name, tokenizeTimeLimit: 0 }).tokens.map((line) => line.map((t) => [t.content, t.color ?? ''])),
}))
shiki.dispose()
parentPort?.postMessage(out)
