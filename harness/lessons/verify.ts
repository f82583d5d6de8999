// The static checks of a lesson (docs/lesson-format.md): each takes what
// blocks.ts read out of the lesson and returns the problems it finds, as
// `{file, line, message}`. Try-it blocks (tryit.ts) and `ts` blocks
// (typecheck.ts) are checked apart, as they need the simulator and one
// program over all lessons.
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { LineCounter, parseAllDocuments, type Document } from 'yaml'
import { findKata, findTask, HINT_TIERS, type Kata } from '../course.ts'
import type { CodeBlock, LessonBlocks } from './blocks.ts'
import { unifiedDiff } from './diff.ts'
import type { BlockEdit } from './edit.ts'
import type { Lesson } from './frontmatter.ts'
import { refusals } from './manifests.ts'
import type { Problem } from './problem.ts'
import { trimLines } from './tryit.ts'

/** Info strings a fence may carry: language, then the flags it allows. */
export const INFO_STRINGS: Readonly<Record<string, readonly string[]>> = {
  yaml: ['fragment', 'invalid'],
  ts: ['error'],
  console: ['norun'],
  text: [],
  sh: [],
  go: [],
  json: [],
}
const ATTRIBUTES: Readonly<Record<string, readonly string[]>> = { yaml: ['title'] }

/** Folders of the project: a code span starting with one names a project file, not a workbook module. */
const PROJECT_DIRS = ['lib', 'solutions', 'stubs', 'deep-stubs', 'workspace', 'checks', 'misconceptions', 'harness', 'cli', 'simulator', 'grader', 'site', 'scripts', 'bench', 'katas', 'lessons', 'docs']

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
/** The text an SVG `<title>` holds, entities decoded. */
const decodeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' || e[1] === 'X' ? `0${e.slice(1)}` : e.slice(1))) : (XML_ENTITIES[e] ?? m),
  )

const exists = (file: string) => existsSync(file) && statSync(file).isFile()

/** Every fence names a language the format knows, with flags and attributes it allows. */
export function checkInfoStrings(file: string, code: readonly CodeBlock[]): Problem[] {
  const problems: Problem[] = []
  const known = Object.keys(INFO_STRINGS).join(', ')
  for (const b of code) {
    const flags = INFO_STRINGS[b.lang]
    if (!flags) {
      problems.push({ file, line: b.line, message: b.lang ? `code block language "${b.lang}": expected one of ${known}` : `code block: name its language (${known})` })
      continue
    }
    for (const f of b.flags) {
      if (!flags.includes(f)) problems.push({ file, line: b.line, message: `code block "${b.info}": unknown flag "${f}" for ${b.lang} (allowed: ${flags.join(', ') || 'none'})` })
    }
    for (const a of Object.keys(b.attrs)) {
      if (!(ATTRIBUTES[b.lang] ?? []).includes(a)) problems.push({ file, line: b.line, message: `code block "${b.info}": unknown attribute "${a}"` })
    }
    if (!b.closed) problems.push({ file, line: b.line, message: 'code block is not closed: its fence runs to the end of the lesson' })
  }
  return problems
}

/**
 * YAML blocks, by flag:
 *
 * 1. `fragment`: parses only.
 * 2. plain: every document is accepted by the model (kata 01 validation and the cluster's).
 * 3. `invalid`: the model refuses it, and the `text` block right after holds exactly its error lines.
 * 4. `title="PATH"`: the file at PATH (from the project root) exists and equals the block.
 *
 * Returns the edits that would rewrite wrong error lines (for `--update`).
 */
export function checkYamlBlocks(file: string, code: readonly CodeBlock[], root: string): { problems: Problem[]; edits: BlockEdit[] } {
  const problems: Problem[] = []
  const edits: BlockEdit[] = []
  code.forEach((b, i) => {
    if (b.lang !== 'yaml') return
    const at = (line: number) => b.contentLine + line - 1
    const title = b.attrs.title
    if (title !== undefined) {
      const target = path.join(root, title)
      if (!exists(target)) {
        problems.push({ file, line: b.line, message: `yaml block title "${title}": no such file (the block's text belongs in it)` })
      } else {
        const onDisk = readFileSync(target, 'utf8')
        if (onDisk !== b.text) {
          const a = b.text.split('\n')
          const d = onDisk.split('\n')
          const k = a.findIndex((l, j) => l !== d[j])
          const where = k < 0 ? a.length : k + 1
          problems.push({ file, line: at(where), message: `yaml block differs from ${title} at line ${where} of the file: block has ${JSON.stringify(a[where - 1] ?? '(end)')}, file has ${JSON.stringify(d[where - 1] ?? '(end)')}` })
        }
      }
    }
    if (b.flags.includes('fragment')) {
      const lineCounter = new LineCounter()
      for (const doc of parseAllDocuments(b.text, { lineCounter, version: '1.1', uniqueKeys: false }) as Document[]) {
        const e = doc.errors[0]
        if (e) problems.push({ file, line: at(lineCounter.linePos(e.pos[0]).line), message: `yaml fragment does not parse: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` })
      }
      return
    }
    const refused = refusals(b.text, title ?? 'STDIN')
    if (!b.flags.includes('invalid')) {
      for (const r of refused) problems.push({ file, line: at(r.line), message: `yaml block is refused by the model: ${r.text}` })
      return
    }
    if (refused.length === 0) {
      problems.push({ file, line: b.line, message: 'a "yaml invalid" block must be refused by validation, but the model accepts it' })
      return
    }
    const next = code[i + 1]
    const want = trimLines(refused.map((r) => r.text).join('\n'))
    const adjacent = next !== undefined && next.line === b.endLine + 2
    // A try-it block that applies the file shows (and checks) the same lines through the simulator.
    if (adjacent && next.lang === 'console' && !next.flags.includes('norun')) return
    if (!adjacent || next.lang !== 'text') {
      problems.push({ file, line: b.endLine, message: `a "yaml invalid" block must be followed directly (one blank line) by a \`text\` block with the error lines, or by the try-it block that applies it:\n${want}` })
      return
    }
    const got = trimLines(next.text)
    if (got !== want) {
      const problem = { file, line: next.contentLine, message: `error lines differ from what the model prints for the yaml block above; if the model is right, run \`npm run lessons -- --update ${path.basename(file).slice(0, 2)}\`\n${unifiedDiff(got, want)}` }
      problems.push(problem)
      edits.push({ block: next, content: want, fixes: problem })
    }
  })
  return { problems, edits }
}

/** Every `-f lessons/…` (or `--filename`) path in a console block exists. */
export function checkConsolePaths(file: string, code: readonly CodeBlock[], root: string): Problem[] {
  const problems: Problem[] = []
  for (const b of code) {
    if (b.lang !== 'console') continue
    b.text.split('\n').forEach((line, k) => {
      if (!line.startsWith('$ ')) return
      for (const m of line.matchAll(/(?:^|\s)(?:-f|--filename)(?:=|\s+)(\S+)/g)) {
        const p = m[1]!.replace(/^["']|["']$/g, '')
        if (!p.startsWith('lessons/')) continue
        if (!existsSync(path.join(root, p))) problems.push({ file, line: b.contentLine + k, message: `console block applies ${p}: no such file or folder` })
      }
    })
  }
  return problems
}

/** Headings of every lesson, by lesson file name (`03-endpoints.md`): for cross-lesson anchors. */
export type AnchorIndex = ReadonlyMap<string, ReadonlySet<string>>

/**
 * Links and images:
 *
 * 1. `#anchor` is a heading of this lesson; `NN-slug.md#anchor` is a lesson with that heading.
 * 2. Any other relative link or image is a file that exists (relative to the lesson's folder).
 * 3. Images have alt text.
 * 4. Kubernetes source links point at a release tag, not a branch.
 */
export function checkLinks(lesson: Lesson, blocks: LessonBlocks, anchors: AnchorIndex, root: string): Problem[] {
  const problems: Problem[] = []
  const file = lesson.file
  const dir = path.dirname(path.join(root, file))
  const own = new Set(blocks.headings.map((h) => h.anchor))
  for (const l of blocks.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(l.href)) {
      if (/^https:\/\/github\.com\/kubernetes\/[^/]+\/(blob|tree)\/(master|main)\//.test(l.href)) {
        problems.push({ file, line: l.line, message: `link ${l.href}: point at a release tag (such as v1.34.0), not a branch` })
      }
      continue
    }
    const [target = '', anchor] = l.href.split('#', 2) as [string, string | undefined]
    if (target === '') {
      if (anchor !== undefined && !own.has(anchor)) problems.push({ file, line: l.line, message: `link #${anchor}: no heading of this lesson has that anchor (${[...own].join(', ') || 'none'})` })
      continue
    }
    const abs = path.join(dir, decodeURI(target))
    if (!existsSync(abs)) {
      problems.push({ file, line: l.line, message: `link ${l.href}: no such file ${path.relative(root, abs)}` })
      continue
    }
    if (anchor !== undefined && target.endsWith('.md')) {
      const headings = anchors.get(path.basename(target))
      if (headings && !headings.has(anchor)) problems.push({ file, line: l.line, message: `link ${l.href}: ${target} has no heading with anchor "${anchor}"` })
    }
  }
  for (const img of blocks.images) {
    if (!img.alt.trim()) problems.push({ file, line: img.line, message: `image ${img.src}: give it alt text` })
    if (/^[a-z][a-z0-9+.-]*:/i.test(img.src)) {
      problems.push({ file, line: img.line, message: `image ${img.src}: keep images in the lesson's folder, not on the web` })
    } else if (!exists(path.join(dir, decodeURI(img.src)))) {
      problems.push({ file, line: img.line, message: `image ${img.src}: no such file ${path.relative(root, path.join(dir, img.src))}` })
    }
  }
  return problems
}

/**
 * Stepped diagrams: 3–6 frames, each an image with alt text and a caption; each
 * SVG has a viewBox, a `<title>` equal to the alt text, no script and no
 * external reference.
 */
export function checkSteps(lesson: Lesson, blocks: LessonBlocks, root: string): Problem[] {
  const problems: Problem[] = []
  const file = lesson.file
  const dir = path.dirname(path.join(root, file))
  for (const s of blocks.steps) {
    if (s.frames.length < 3 || s.frames.length > 6) {
      problems.push({ file, line: s.line, message: `steps${s.title ? ` "${s.title}"` : ''}: expected 3–6 frames, got ${s.frames.length}` })
    }
    if (!s.title) problems.push({ file, line: s.line, message: 'steps: give the diagram a title after "::: steps"' })
    for (const f of s.frames) {
      if (!f.image) {
        problems.push({ file, line: f.line, message: 'steps frame: expected an image (![alt](NN-slug/frame.svg)) then its caption' })
        continue
      }
      if (!f.caption) problems.push({ file, line: f.line, message: `steps frame ${f.image.src}: expected a one-line caption under the image` })
      if (!f.image.src.endsWith('.svg')) {
        problems.push({ file, line: f.line, message: `steps frame ${f.image.src}: expected an SVG file` })
        continue
      }
      const svgFile = path.join(dir, decodeURI(f.image.src))
      if (!exists(svgFile)) continue // checkLinks reports the missing file
      const svg = readFileSync(svgFile, 'utf8')
      const name = path.relative(root, svgFile)
      if (!/<svg\b[^>]*\sviewBox\s*=/.test(svg)) problems.push({ file, line: f.line, message: `${name}: set a viewBox on <svg>` })
      const title = /<title\b[^>]*>([\s\S]*?)<\/title>/.exec(svg)?.[1]?.replace(/\s+/g, ' ').trim()
      const titleText = title === undefined ? undefined : decodeXml(title)
      if (titleText === undefined) problems.push({ file, line: f.line, message: `${name}: expected a <title> equal to the alt text` })
      else if (titleText !== f.image.alt.trim()) problems.push({ file, line: f.line, message: `${name}: <title> ${JSON.stringify(titleText)} differs from the alt text ${JSON.stringify(f.image.alt)}` })
      if (/<script\b/i.test(svg) || /\son[a-z]+\s*=/i.test(svg)) problems.push({ file, line: f.line, message: `${name}: no scripts or event handlers in a diagram` })
      if (/(?:href|src)\s*=\s*["'](?:https?:)?\/\//i.test(svg) || /url\(\s*["']?(?:https?:)?\/\//i.test(svg) || /@import/i.test(svg)) {
        problems.push({ file, line: f.line, message: `${name}: no external references (links, images, fonts or stylesheets from elsewhere)` })
      }
    }
  }
  return problems
}

/** `katas hint NN [--task N|SLUG] [--level N]`: the kata exists, has that task, and the level is 1–3. */
export function checkHints(file: string, blocks: LessonBlocks, katas: readonly Kata[]): Problem[] {
  const problems: Problem[] = []
  for (const h of blocks.hints) {
    const kata = findKata(h.kata, [...katas])
    if (!kata) {
      problems.push({ file, line: h.line, message: `katas hint ${h.kata}: no such kata (expected ${katas.map((k) => k.id).join(', ')})` })
      continue
    }
    if (h.task !== undefined && !findTask(kata, h.task)) {
      problems.push({ file, line: h.line, message: `katas hint ${h.kata} --task ${h.task}: kata ${kata.id} has no such task (expected 1–${kata.tasks.length} or a slug: ${kata.tasks.map((t) => t.slug).join(', ')})` })
    }
    if (h.level !== undefined) {
      const n = Number(h.level)
      if (!/^\d+$/.test(h.level) || n < 1 || n > HINT_TIERS.length) {
        problems.push({ file, line: h.line, message: `katas hint ${h.kata} --level ${h.level}: expected a level 1–${HINT_TIERS.length} (${HINT_TIERS.join(', ')})` })
      }
    }
  }
  return problems
}

/** A code span naming a `.ts` file is a workbook module in `stubs/` (or, with a project folder first, a project file). */
export function checkModules(file: string, blocks: LessonBlocks, root: string): Problem[] {
  const problems: Problem[] = []
  for (const m of blocks.modules) {
    const first = m.path.split('/')[0]!
    if (PROJECT_DIRS.includes(first)) {
      if (!exists(path.join(root, m.path))) problems.push({ file, line: m.line, message: `\`${m.path}\`: no such file in the project` })
    } else if (m.path.includes('/') && !exists(path.join(root, 'stubs', m.path))) {
      problems.push({ file, line: m.line, message: `\`${m.path}\`: no such workbook module (expected stubs/${m.path})` })
    }
  }
  return problems
}

/**
 * `## The kata` walks the learner through the core path: one `### Task N: title` per
 * core task of kata.yaml, in order, then `### The deep track` naming `katas deep NN`
 * when the kata has deep tasks.
 */
export function checkKataSection(file: string, blocks: LessonBlocks, kata: Kata | undefined, text: string): Problem[] {
  if (!kata) return []
  const problems: Problem[] = []
  const start = blocks.headings.findIndex((h) => h.level === 2 && h.text === 'The kata')
  if (start < 0) return [{ file, line: 1, message: 'no "## The kata" section: the lesson must walk through the kata\'s core tasks' }]
  const end = blocks.headings.findIndex((h, i) => i > start && h.level <= 2)
  const subs = blocks.headings.slice(start + 1, end < 0 ? undefined : end).filter((h) => h.level === 3)
  const core = kata.tasks.filter((t) => t.track === 'core')
  const deep = kata.tasks.filter((t) => t.track === 'deep')
  const want = [...core.map((t) => `Task ${t.number}: ${t.title}`), ...(deep.length ? ['The deep track'] : [])]
  const got = subs.map((h) => h.text)
  const line = blocks.headings[start]!.line
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    problems.push({ file, line, message: `"## The kata": expected the sub-headings ${want.map((w) => `"### ${w}"`).join(', ')} (the core tasks of katas/${kata.name}/kata.yaml in order, then the deep track); got ${got.map((g) => `"### ${g}"`).join(', ') || 'none'}` })
  }
  const deepHeading = subs.find((h) => h.text === 'The deep track')
  if (deepHeading && !text.split('\n').slice(deepHeading.line - 1).join('\n').includes(`katas deep ${kata.id}`)) {
    problems.push({ file, line: deepHeading.line, message: `"### The deep track": say how to take it: \`katas deep ${kata.id}\`` })
  }
  return problems
}

/** The shape the site relies on: no `#` title in the body; a `predict` callout is answered by a try-it block right after it (code blocks may come between). */
/** Characters a line of a lesson's TypeScript shows in the site's code box before it must scroll. */
export const CODE_BOX_COLUMNS = 88

export function checkShape(file: string, blocks: LessonBlocks): Problem[] {
  const problems: Problem[] = []
  // TypeScript is read, not just run: a line wider than the code box is cut off on the page.
  for (const b of blocks.code) {
    if (b.lang !== 'ts') continue
    b.text.split('\n').forEach((text, i) => {
      const width = [...text].length
      if (width > CODE_BOX_COLUMNS) {
        problems.push({ file, line: b.contentLine + i, message: `ts block line is ${width} characters; the site's code box shows ${CODE_BOX_COLUMNS}: wrap it (a value's comment goes on its own line above it)` })
      }
    })
  }
  for (const h of blocks.headings) {
    if (h.level === 1) problems.push({ file, line: h.line, message: `heading "# ${h.text}": the site prints the front matter title; start sections at ##` })
  }
  for (const c of blocks.callouts) {
    if (c.kind !== 'predict') continue
    if (!c.following.some((info) => /^console(\s|$)/.test(info) && !/\bnorun\b/.test(info))) {
      problems.push({ file, line: c.line, message: 'predict: the try-it block (```console) that answers the question must come right after the callout (only code blocks, such as the manifest it applies, may come between)' })
    }
  }
  return problems
}
