// Code highlighting that emits classes instead of `style=` attributes, so the
// Content-Security-Policy needs no 'unsafe-inline'; site.css sets the palette per theme.
//
// TypeScript and YAML, which nearly every code block is, are coloured from lezer's
// parsers: TypeScript as in the workspace's editor (site/highlight-typescript.ts), YAML
// exactly as shiki's grammar colours it (site/highlight-yaml.ts). Parsing is far cheaper
// than shiki's regular expressions, and a lesson site built from scratch never loads
// shiki. The other languages (Go, JSON, shell) are coloured by shiki's grammars in its
// CSS-variables theme, which colours each token `var(--hl-token-keyword)`: one
// tokenization serves both themes, and each distinct colour becomes a class
// (`hl-keyword`); `css()` returns the rules for the classes handed out.
//
// Highlighted blocks are kept in a cache file keyed by language and code, so a
// rebuild highlights only the blocks that changed, and loads only their grammars.
//
// A build without that cache highlights here, on this thread: a worker thread that
// tokenised the fences while this one read the course cost a second isolate, a second
// markdown-it and shiki's start-up twice, about 0.3 s of CPU, and saved no time once the
// generator was bundled.
//
// shiki stays on the 3.x line typedoc's @gerrit0/mini-shiki is built on, so the install
// holds one copy of the grammars and themes (@shikijs/*, ~13 MB) instead of two.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
// shiki is imported when a block must be highlighted: a build served from the cache never loads it.
import type { HighlighterCore, LanguageInput } from 'shiki/core'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import type { ClassedLine } from './highlight-tags.ts'
import { escapeHtml } from './html.ts'
import languages from './highlight-langs.json' with { type: 'json' }

const { langs: LANGS, aliases: ALIASES, theme: THEME_OPTIONS } = languages as { langs: string[]; aliases: Record<string, string>; theme: { name: string; variablePrefix: string; fontStyle: boolean } }
const THEME_NAME = THEME_OPTIONS.name
/** The languages coloured from lezer's parsers, not by shiki's grammars; each loaded when first needed. */
const PARSED: Record<string, () => Promise<(code: string) => ClassedLine[]>> = {
  typescript: async () => (await import('./highlight-typescript.ts')).highlightTypeScript,
  yaml: async () => (await import('./highlight-yaml.ts')).highlightYaml,
}
/** Shiki on oniguruma with each distinct pattern compiled once; plain JavaScript, loaded only when a block is highlighted. */
const ENGINE = path.join(PACKAGE_ROOT, 'site', 'highlight-engine.mjs')
interface EngineModule {
  createSiteHighlighter(theme: typeof THEME_OPTIONS, langs: string[]): Promise<HighlighterCore>
  grammar(lang: string): LanguageInput
}

/** A short stable hash, so a class name is the same on every page and every build. */
function hash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}

/** `color:var(--hl-token-keyword)` → `hl-keyword`; anything else gets a hashed name. */
function className(style: string): string {
  const m = /^color:var\(--hl-(?:token-)?([a-z-]+)\)$/.exec(style)
  return m ? `hl-${m[1]}` : `hl-${hash(style)}`
}

export function shikiName(lang: string): string {
  return ALIASES[lang] ?? lang
}

interface CacheFile {
  version: number
  blocks: Record<string, string>
  classes: [style: string, cls: string][]
}

const CACHE_VERSION = 4

/** The theme's named colours, whose classes site.css styles already. */
const SITE_CSS_TOKENS = /^color:var\(--hl-token-(?:keyword|string-expression|string|constant|function|parameter|comment|punctuation|link)\)$/

export class CodeHighlighter {
  private readonly classes = new Map<string, string>()
  private readonly loaded = new Set<string>()
  private shiki: HighlighterCore | undefined
  private readonly parsed = new Map<string, (code: string) => ClassedLine[]>()
  private readonly blocks = new Map<string, string>()
  private readonly used = new Map<string, string>()

  /** `cacheFile`: where highlighted blocks are kept between builds; undefined keeps none. */
  private constructor(
    private readonly cacheFile: string | undefined,
    private readonly parsers: boolean,
  ) {
    if (!cacheFile || !existsSync(cacheFile)) return
    try {
      const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheFile
      if (cache.version !== CACHE_VERSION) return
      for (const [k, v] of Object.entries(cache.blocks)) this.blocks.set(k, v)
      for (const [style, cls] of cache.classes) this.classes.set(style, cls)
    } catch {
      // A damaged cache is only a slower build.
    }
  }

  /** `parsers: false` colours every language by shiki's grammars (how the tests compare the two). */
  static async create(langs: readonly string[] = [], cacheFile?: string, options: { parsers?: boolean } = {}): Promise<CodeHighlighter> {
    const highlighter = new CodeHighlighter(cacheFile, options.parsers ?? true)
    await highlighter.load(langs)
    return highlighter
  }

  private key(code: string, lang: string): string {
    return createHash('sha1').update(shikiName(lang)).update('\0').update(code).digest('base64url')
  }

  /** Loads the grammars of these fence languages; loading a grammar is most of shiki's start-up. */
  async load(langs: Iterable<string>): Promise<void> {
    const wanted = [...new Set([...langs].map(shikiName))].filter((l) => LANGS.includes(l) && !this.loaded.has(l))
    const parsed = (l: string) => this.parsers && PARSED[l] !== undefined
    for (const l of wanted.filter(parsed)) {
      this.parsed.set(l, await PARSED[l]!())
      this.loaded.add(l)
    }
    const grammars = wanted.filter((l) => !parsed(l))
    if (grammars.length === 0) return
    const { createSiteHighlighter, grammar } = (await import(pathToFileURL(ENGINE).href)) as EngineModule
    this.shiki ??= await createSiteHighlighter(THEME_OPTIONS, [])
    await this.shiki.loadLanguage(...grammars.map(grammar))
    for (const l of grammars) this.loaded.add(l)
  }

  /** The languages whose grammars (or parsers) are loaded so far. */
  get grammars(): string[] {
    return [...this.loaded]
  }

  /** Loads the grammars for the fences the cache does not hold. */
  async prepare(fences: Iterable<{ code: string; lang: string }>): Promise<void> {
    const missing = new Set<string>()
    for (const { code, lang } of fences) if (!this.blocks.has(this.key(code, lang))) missing.add(lang)
    await this.load(missing)
  }

  /** Writes the blocks this build used to the cache file (blocks no lesson has any more are dropped). */
  saveCache(): void {
    if (!this.cacheFile) return
    mkdirSync(path.dirname(this.cacheFile), { recursive: true })
    const cache: CacheFile = { version: CACHE_VERSION, blocks: Object.fromEntries(this.used), classes: [...this.classes] }
    writeFileSync(this.cacheFile, JSON.stringify(cache))
  }

  /** `<pre class="shiki">…</pre>` for one fence: from the cache, or highlighted now. */
  html(code: string, lang: string): string {
    const key = this.key(code, lang)
    let html = this.blocks.get(key)
    if (html === undefined) {
      html = this.highlight(code, lang)
      // Plain text is not cached: its grammar may be loaded by a later build.
      if (this.loaded.has(shikiName(lang))) this.blocks.set(key, html)
    }
    this.used.set(key, html)
    return html
  }

  /**
   * Highlights one fence; a language without a loaded grammar is plain text.
   * Tokens are written out directly: no HTML tree in between.
   */
  private highlight(code: string, lang: string): string {
    const name = shikiName(lang)
    const parse = this.parsed.get(name)
    if (parse) return this.format(parse(code))
    if (!this.shiki || !this.loaded.has(name)) return `<pre class="shiki" tabindex="0"><code>${escapeHtml(code)}</code></pre>`
    // No time limit: shiki leaves the rest of a line plain after 0.5 s, which the first line
    // in a grammar (its patterns compile then) can take on a busy machine.
    const { tokens } = this.shiki.codeToTokens(code, { lang: name, theme: THEME_NAME, tokenizeTimeLimit: 0 })
    return this.format(tokens.map((line) => line.map((t): [string, string] => [t.content, this.classOf(t.color ?? '')])))
  }

  /** The class of a shiki colour (`var(--hl-token-keyword)` → `hl-keyword`), or '' for the foreground. */
  private classOf(color: string): string {
    const style = color && color !== 'var(--hl-foreground)' ? `color:${color}` : ''
    if (!style) return ''
    let cls = this.classes.get(style)
    if (!cls) this.classes.set(style, (cls = className(style)))
    return cls
  }

  /** The lines, as runs of text and their classes, as the block's HTML. */
  private format(tokens: ClassedLine[]): string {
    const lines = tokens.map((line) => {
      // Neighbouring tokens of one class share a span (a YAML key and its colon).
      const runs: { cls: string; text: string }[] = []
      for (const [content, cls] of line) {
        const last = runs.at(-1)
        if (last && last.cls === cls) last.text += content
        else runs.push({ cls, text: content })
      }
      return runs.map(({ cls, text }) => (cls ? `<span class="${cls}">${escapeHtml(text)}</span>` : escapeHtml(text))).join('')
    })
    // tabindex=0: a block that scrolls sideways can be scrolled from the keyboard.
    return `<pre class="shiki" tabindex="0"><code>${lines.join('\n')}</code></pre>`
  }

  /**
   * The rules for the classes `html()` has handed out so far that site.css does not
   * already have (a colour outside the CSS-variables theme's named tokens), sorted.
   */
  css(): string {
    return [...this.classes]
      .filter(([style]) => !SITE_CSS_TOKENS.test(style))
      .sort((a, b) => a[1].localeCompare(b[1]))
      .map(([style, cls]) => `.shiki .${cls}{${style}}`)
      .join('\n')
  }

  dispose(): void {
    this.shiki?.dispose()
  }
}
