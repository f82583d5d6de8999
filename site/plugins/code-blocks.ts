// Code blocks: shiki highlighting, the fence's `title="…"` as a file title, a copy button,
// and `console` blocks drawn as terminal sessions (docs/lesson-format.md, "Code blocks").
import type { MarkdownIt } from 'markdown-it'
import type { RenderContext } from '../context.ts'
import { highlightCommand } from '../command-line.ts'
import { escapeHtml } from '../html.ts'

export interface FenceInfo {
  lang: string
  /** Bare words after the language: `fragment`, `invalid`, `error`, `norun`. */
  flags: string[]
  title: string | undefined
}

/** `yaml title="lessons/03-endpoints/order.yaml"` → `{lang: 'yaml', flags: [], title: 'lessons/…'}`. */
export function parseFenceInfo(info: string): FenceInfo {
  const words = info.trim().match(/[^\s"=]+="[^"]*"|\S+/g) ?? []
  const [lang = 'text', ...rest] = words
  let title: string | undefined
  const flags: string[] = []
  for (const w of rest) {
    const m = /^title="(.*)"$/.exec(w)
    if (m) title = m[1]
    else flags.push(w)
  }
  return { lang, flags, title }
}

/** A badge for the blocks the lesson checker treats specially. */
const BADGES: Record<string, string> = {
  invalid: 'refused by the API server',
  error: 'does not compile',
  fragment: 'fragment',
}

const COPY = '<button class="copy" type="button" aria-label="Copy code">Copy</button>'

export function codeBlocksPlugin(md: MarkdownIt, site: RenderContext): void {
  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx]!
    const { lang, flags, title } = parseFenceInfo(token.info)
    const code = token.content.replace(/\n$/, '')
    if (lang === 'console') return terminal(code, flags.includes('norun'))
    const badges = flags.filter((f) => BADGES[f]).map((f) => `<span class="badge badge-${f}">${BADGES[f]}</span>`).join('')
    const label = title ? `<span class="code-title">${escapeHtml(title)}</span>` : `<span class="code-lang">${escapeHtml(lang)}</span>`
    return `<div class="code${flags.includes('invalid') || flags.includes('error') ? ' code-wrong' : ''}" data-lang="${escapeHtml(lang)}"><div class="code-head">${label}${badges}${COPY}</div>${site.highlighter.html(code, lang)}</div>\n`
  }
}

/** A try-it block: `$ command` lines coloured, output lines as plain text. */
function terminal(code: string, norun: boolean): string {
  const lines = code.split('\n').map((line) => {
    if (!line.startsWith('$ ')) return `<span class="out">${escapeHtml(line)}</span>`
    return `<span class="cmd"><span class="prompt" aria-hidden="true">$ </span>${highlightCommand(line.slice(2))}</span>`
  })
  const title = norun ? 'On a real cluster' : 'Try it'
  return `<div class="code terminal${norun ? ' terminal-norun' : ''}" data-lang="console"><div class="code-head"><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span><span class="code-title">${title}</span>${COPY}</div><pre class="shiki" tabindex="0"><code>${lines.join('\n')}</code></pre></div>\n`
}
