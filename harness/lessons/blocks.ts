// What the checker reads out of a lesson's Markdown: code blocks, headings and
// their anchors, links and images, hint commands, module mentions, callouts and
// stepped diagrams — each with the line of the lesson file it sits on.
//
// The lesson is parsed once by markdown-it (CommonMark, no raw HTML) with the
// same containers the site renders, so the checker sees what the reader sees.
import markdownIt, { type MarkdownIt, type Token } from 'markdown-it'
import container from 'markdown-it-container'

export const CALLOUT_KINDS = ['note', 'caution', 'misconception', 'predict', 'steps'] as const
export type CalloutKind = (typeof CALLOUT_KINDS)[number]

/** The Markdown parser lessons are written for: the site adds rendering rules to the same setup. */
export function lessonMarkdown(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: false })
  for (const kind of CALLOUT_KINDS) md.use(container, kind)
  return md
}

export interface CodeBlock {
  /** The whole info string, e.g. `yaml title="lessons/03-endpoints/order.yaml"`. */
  info: string
  /** Its first word: `yaml`, `ts`, `console`, … (empty when the fence names none). */
  lang: string
  /** Bare words after the language: `invalid`, `fragment`, `error`, `norun`. */
  flags: string[]
  /** `key="value"` pairs after the language. */
  attrs: Record<string, string>
  /** The block's text, ending in a newline (as the fence holds it). */
  text: string
  /** 1-based line of the opening fence in the lesson file. */
  line: number
  /** 1-based line of the first line of text. */
  contentLine: number
  /** 1-based line of the closing fence (the last line of the block when unclosed). */
  endLine: number
  /** Whether the fence is closed (an unclosed fence runs to the end of the lesson). */
  closed: boolean
}

export interface Heading {
  level: number
  text: string
  /** GitHub-style slug, with `-1`, `-2` … for repeats. */
  anchor: string
  line: number
}

export interface Link {
  href: string
  text: string
  line: number
}

export interface Image {
  src: string
  alt: string
  line: number
}

export interface HintMention {
  /** The kata as written: `03`, `3`, `endpoints`. */
  kata: string
  /** `--task N|SLUG` as written, when given. */
  task?: string
  /** `--level N` as written, when given. */
  level?: string
  line: number
}

export interface ModuleMention {
  /** A code span that names a `.ts` file: `controller/endpoints.ts`. */
  path: string
  line: number
}

export interface Callout {
  kind: CalloutKind
  /** The text after the kind on the `:::` line (quotes kept). */
  title: string
  line: number
  /** Info strings of the code blocks right after the callout closes, up to the first other block: what answers a `predict`. */
  following: string[]
}

export interface Frame {
  image?: Image
  caption: string
  line: number
}

export interface Steps {
  title: string
  frames: Frame[]
  line: number
}

export interface LessonBlocks {
  code: CodeBlock[]
  headings: Heading[]
  links: Link[]
  images: Image[]
  hints: HintMention[]
  modules: ModuleMention[]
  callouts: Callout[]
  steps: Steps[]
}

const HINT = /katas hint\s+([^\s`]+)((?:\s+--(?:task|level)[ =]?[^\s`]*)*)/g
const HINT_OPTION = /--(task|level)[ =]?([^\s`]*)/g
// A code span naming a TypeScript file by a relative path: a workbook module or a project file.
const MODULE_PATH = /^(?:[\w.-]+\/)*[\w.-]+\.ts$/

/** Splits an info string: language, bare flags and `key="value"` attributes. */
export function parseInfo(info: string): Pick<CodeBlock, 'lang' | 'flags' | 'attrs'> {
  const words = info.trim().match(/[\w-]+="[^"]*"|[\w-]+='[^']*'|\S+/g) ?? []
  const [lang = '', ...rest] = words
  const flags: string[] = []
  const attrs: Record<string, string> = {}
  for (const w of rest) {
    const m = /^([\w-]+)=(["'])(.*)\2$/.exec(w)
    if (m) attrs[m[1]!] = m[3]!
    else flags.push(w)
  }
  return { lang, flags, attrs }
}

/**
 * GitHub's heading anchor: lower case, everything but letters, digits, spaces,
 * `-` and `_` dropped, spaces turned into `-`; a repeat gets `-1`, `-2`, ….
 * @see https://github.com/Flet/github-slugger/blob/master/index.js
 */
export function slugify(text: string, seen: Map<string, number>): string {
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-')
  let slug = base
  while (seen.has(slug)) {
    const n = seen.get(base)! + 1
    seen.set(base, n)
    slug = `${base}-${n}`
  }
  seen.set(slug, 0)
  return slug
}

/** The plain text of an inline token (code spans keep their text, markup is dropped). */
function inlineText(t: Token): string {
  return (t.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'softbreak' ? ' ' : '')).join('')
}

/**
 * Reads a lesson body. `bodyLine` is the 1-based file line the body starts on;
 * every line reported is a line of the lesson file.
 */
export function extractBlocks(body: string, bodyLine = 1, md = lessonMarkdown()): LessonBlocks {
  const tokens = md.parse(body, {})
  const lines = body.split('\n')
  const out: LessonBlocks = { code: [], headings: [], links: [], images: [], hints: [], modules: [], callouts: [], steps: [] }
  const seen = new Map<string, number>()
  const fileLine = (bodyIndex: number) => bodyLine + bodyIndex
  // The first line of a block's range that contains `needle` (a multi-line paragraph's inline token has one map).
  const lineWith = (map: [number, number] | null, needle: string): number => {
    if (!map) return bodyLine
    for (let i = map[0]; i < map[1]; i++) if (lines[i]?.includes(needle)) return fileLine(i)
    return fileLine(map[0])
  }
  const scanHints = (text: string, map: [number, number] | null, firstLine?: number) => {
    for (const m of text.matchAll(HINT)) {
      const before = text.slice(0, m.index).split('\n').length - 1
      const line = firstLine !== undefined ? firstLine + before : lineWith(map, m[0])
      const opts = Object.fromEntries([...(m[2] ?? '').matchAll(HINT_OPTION)].map((o) => [o[1]!, o[2]!]))
      out.hints.push({ kata: m[1]!, ...(opts.task !== undefined ? { task: opts.task } : {}), ...(opts.level !== undefined ? { level: opts.level } : {}), line })
    }
  }

  let steps: Steps | undefined
  const openCallouts: Callout[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const map = t.map as [number, number] | null
    if (t.type === 'fence') {
      const start = map ? map[0] : 0
      const end = map ? map[1] - 1 : start
      const closed = /^\s*(`{3,}|~{3,})\s*$/.test(lines[end] ?? '')
      out.code.push({
        info: t.info.trim(),
        ...parseInfo(t.info),
        text: t.content,
        line: fileLine(start),
        contentLine: fileLine(start + 1),
        endLine: fileLine(end),
        closed,
      })
      scanHints(t.content, map, fileLine(start + 1))
      continue
    }
    if (t.type === 'heading_open') {
      const inline = tokens[i + 1]!
      const text = inlineText(inline)
      out.headings.push({ level: Number(t.tag.slice(1)), text, anchor: slugify(text, seen), line: fileLine(map?.[0] ?? 0) })
    }
    const open = /^container_(\w+)_open$/.exec(t.type)
    if (open) {
      const kind = open[1] as CalloutKind
      const title = t.info.trim().slice(kind.length).trim()
      const callout: Callout = { kind, title, line: fileLine(map?.[0] ?? 0), following: [] }
      out.callouts.push(callout)
      openCallouts.push(callout)
      if (kind === 'steps') steps = { title, frames: [], line: callout.line }
      continue
    }
    const close = /^container_(\w+)_close$/.exec(t.type)
    if (close) {
      const callout = openCallouts.pop()
      for (let j = i + 1; callout && tokens[j]?.type === 'fence'; j++) callout.following.push(tokens[j]!.info.trim())
      if (close[1] === 'steps' && steps) {
        out.steps.push(steps)
        steps = undefined
      }
      continue
    }
    if (t.type !== 'inline') continue

    // A paragraph of a `::: steps` block is a frame: an image, then its caption.
    if (steps && tokens[i - 1]?.type === 'paragraph_open') {
      const children = t.children ?? []
      const img = children.find((c: Token) => c.type === 'image')
      const caption = children
        .filter((c: Token) => c !== img)
        .map((c: Token) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'softbreak' ? ' ' : ''))
        .join('')
        .trim()
      const line = fileLine(map?.[0] ?? 0)
      if (img) {
        steps.frames.push({ image: { src: String(img.attrGet('src') ?? ''), alt: img.content, line }, caption, line })
      } else if (steps.frames.length && !steps.frames.at(-1)!.caption) {
        steps.frames.at(-1)!.caption = caption
      } else {
        steps.frames.push({ caption, line })
      }
    }
    const children = t.children ?? []
    for (let j = 0; j < children.length; j++) {
      const c = children[j]!
      if (c.type === 'link_open') {
        const href = String(c.attrGet('href') ?? '')
        let text = ''
        for (let k = j + 1; k < children.length && children[k]!.type !== 'link_close'; k++) text += children[k]!.content
        out.links.push({ href, text, line: lineWith(map, `](${href}`) })
      } else if (c.type === 'image') {
        const src = String(c.attrGet('src') ?? '')
        out.images.push({ src, alt: c.content, line: lineWith(map, `](${src}`) })
      } else if (c.type === 'code_inline') {
        if (MODULE_PATH.test(c.content)) out.modules.push({ path: c.content, line: lineWith(map, `\`${c.content}\``) })
        scanHints(c.content, map)
      } else if (c.type === 'text') {
        scanHints(c.content, map)
      }
    }
  }
  return out
}
