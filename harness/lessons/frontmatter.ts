// A lesson's front matter: the typed metadata the checker, the site and the
// course catalogue agree on (docs/lesson-format.md, "Front matter").
//
// splitFrontMatter cuts the block off the file (as gray-matter did, without loading its
// YAML engine); js-yaml reads it, and a block with a problem is read again by the `yaml`
// package, with positions, so that each bad field is reported on its own line of the lesson.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type * as Yaml from 'yaml'
import { parseCoreYaml } from '../core-yaml.ts'
import { loadCourse, type Kata } from '../course.ts'
import { KATAS_DIR, PACKAGE_ROOT } from '../paths.ts'
import type { Problem } from './problem.ts'

export interface LessonMeta {
  /** The lesson's title, as in `katas/NN-slug/kata.yaml`. */
  title: string
  /** One line: the problem the lesson solves. */
  summary: string
  /** The kata id, two digits (`"03"`). */
  kata: string
  /** The kata slug (`endpoints`). */
  slug: string
  /** Position in the course, 0–9. */
  order: number
  /** The workbook files the learner edits: kata.yaml's `modules`. */
  modules: string[]
  /** Estimated minutes, reading and kata together. */
  time: number
  /** What the learner can do afterwards: 3–6 sentences. */
  objectives: string[]
  /** The Kubernetes source files the kata mirrors: kata.yaml's `mirrors`. */
  mirrors: string[]
  /** Kata ids of earlier lessons this one builds on. */
  prerequisites: string[]
}

export interface Lesson {
  /** `lessons/NN-slug.md`, relative to the project root: how problems name it. */
  file: string
  /** Absolute path of the Markdown file. */
  path: string
  /** `NN-slug`: the lesson's (and its kata's) name. */
  name: string
  meta: LessonMeta
  /** The Markdown after the front matter. */
  body: string
  /** 1-based line of the lesson file on which `body` starts. */
  bodyLine: number
  /** The whole file, as read. */
  text: string
}

/** A lesson that cannot be read; `message` holds one `file:line: …` line per problem. */
export class LessonFormatError extends Error {
  override name = 'LessonFormatError'
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'))
  }
}

const FIELDS = ['title', 'summary', 'kata', 'slug', 'order', 'modules', 'time', 'objectives', 'mirrors', 'prerequisites'] as const
const KATA_ID = /^\d\d$/
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/
// `owner/repo@tag:path/in/repo`, as kata.yaml writes them.
const MIRROR = /^[\w.-]+\/[\w.-]+@[\w.-]+:[\w./-]+$/
export const LESSON_NAME = /^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/

/**
 * The front matter block and the body of a file that starts with a `---` line: the block
 * runs from the newline ending that line to the next line that starts with `---`, the
 * body from the line after it (gray-matter's split). No closing line: all block, no body.
 */
export function splitFrontMatter(text: string): { matter: string; content: string } {
  const rest = text.slice(3)
  const close = rest.indexOf('\n---')
  if (close < 0) return { matter: rest, content: '' }
  return { matter: rest.slice(0, close), content: rest.slice(close + 4).replace(/^\r?\n?/, '') }
}

const show = (v: unknown): string =>
  v === undefined
    ? 'nothing'
    : typeof v === 'object' && v !== null && !Array.isArray(v)
      ? `a mapping ${JSON.stringify(v)} (quote the text: a ": " in it starts a key)`
      : JSON.stringify(v)

/** One field of the block as the checks read it: its value, and the lines a problem names. */
interface Field {
  value: unknown
  keyLine: number
  /** The value's line (the key's when it has none). */
  valueLine: number
  /** A list's items and their lines; undefined when the value is no list. */
  items: { value: unknown; line: number }[] | undefined
}

/**
 * Reads a lesson's front matter and checks every field's shape (not yet against
 * kata.yaml: see {@link crossCheck}). Returns the problems instead of throwing.
 *
 * 1. The file starts with a `---` line and the block parses as a YAML mapping.
 * 2. Every field of {@link LessonMeta} is there with its type; unknown fields are refused.
 * 3. Each problem names the line of the field (or of the bad item in a list).
 *
 * A block is first read by js-yaml, which knows no lines and is five times faster; only
 * a block with a problem is read again by the yaml package, to name each problem's line
 * (`positions`: read by it from the start).
 */
export function readFrontMatter(
  file: string,
  text: string,
  options: { positions?: boolean } = {},
): { meta: LessonMeta | undefined; body: string; bodyLine: number; problems: Problem[] } {
  if (!/^---\r?\n/.test(text)) {
    return { meta: undefined, body: text, bodyLine: 1, problems: [{ file, line: 1, message: 'front matter: expected the file to start with a "---" line' }] }
  }
  const split = splitFrontMatter(text)
  const body = split.content
  const bodyLine = text.slice(0, text.length - body.length).split('\n').length
  const quick = options.positions ? undefined : quickFields(split.matter)
  if (quick) {
    const checked = checkFields(file, quick)
    if (checked.problems.length === 0) return { meta: checked.meta, body, bodyLine, problems: [] }
  }
  const read = positionedFields(file, split.matter)
  if ('problems' in read) return { meta: undefined, body, bodyLine, problems: read.problems }
  const checked = checkFields(file, read.fields)
  return { meta: checked.problems.length ? undefined : checked.meta, body, bodyLine, problems: checked.problems }
}

/** The block's fields as js-yaml reads them (every line 1), or undefined when it is no YAML mapping. */
function quickFields(matter: string): Map<string, Field> | undefined {
  let doc: unknown
  try {
    doc = parseCoreYaml(matter)
  } catch {
    return undefined
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined
  const fields = new Map<string, Field>()
  for (const [key, value] of Object.entries(doc)) {
    const items = Array.isArray(value) ? value.map((v: unknown) => ({ value: v, line: 1 })) : undefined
    fields.set(key, { value: value ?? null, keyLine: 1, valueLine: 1, items })
  }
  return fields
}

/** The block's fields with the lines of their keys, values and items, as the yaml package reads them; or the YAML's problems. */
function positionedFields(file: string, matter: string): { fields: Map<string, Field> } | { problems: Problem[] } {
  // Loaded only here: a lesson whose front matter is right never needs it.
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = createRequire(path.join(PACKAGE_ROOT, 'package.json'))('yaml') as typeof Yaml
  const lineCounter = new LineCounter()
  // The block starts on line 2: its text begins with the newline that ends the `---` line.
  const doc = parseDocument(matter, { lineCounter, uniqueKeys: true, prettyErrors: false })
  const lineOf = (node: Yaml.Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1)
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        message: `front matter: YAML error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')}`,
      })),
    }
  }
  const root = doc.contents
  if (!isMap(root)) return { problems: [{ file, line: 1, message: 'front matter: expected a YAML mapping of fields' }] }
  const fields = new Map<string, Field>()
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const keyNode = pair.key as Yaml.Node
    const value = (pair.value as Yaml.Node | null) ?? null
    fields.set(key, {
      value: value ? value.toJSON() : null,
      keyLine: lineOf(keyNode),
      valueLine: lineOf(value ?? keyNode),
      items: isSeq(value) ? value.items.map((it) => ({ value: (it as Yaml.Node).toJSON(), line: lineOf(it as Yaml.Node) })) : undefined,
    })
  }
  return { fields }
}

/** Every field's shape checked; the problems name the lines the fields carry. */
function checkFields(file: string, fields: Map<string, Field>): { meta: LessonMeta; problems: Problem[] } {
  const problems: Problem[] = []
  for (const [key, f] of fields) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      problems.push({ file, line: f.keyLine, message: `front matter field "${key}": unknown field (expected one of ${FIELDS.join(', ')})` })
    }
  }
  const bad = (field: string, line: number, expected: string, got: unknown) =>
    problems.push({ file, line, message: `front matter field "${field}": expected ${expected}, got ${show(got)}` })
  const scalar = (field: string): { line: number; value: unknown } => {
    const f = fields.get(field)
    return f ? { line: f.valueLine, value: f.value } : { line: 1, value: undefined }
  }
  const text1 = (field: string, expected = 'a non-empty string on one line'): string => {
    const { line, value } = scalar(field)
    if (typeof value !== 'string' || value.trim() === '' || value.trim().includes('\n')) {
      bad(field, line, expected, value)
      return ''
    }
    return value.trim()
  }
  const pattern = (field: string, re: RegExp, expected: string): string => {
    const { line, value } = scalar(field)
    if (typeof value !== 'string' || !re.test(value)) {
      bad(field, line, expected, value)
      return ''
    }
    return value
  }
  const integer = (field: string, min: number, max: number, expected: string): number => {
    const { line, value } = scalar(field)
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      bad(field, line, expected, value)
      return 0
    }
    return value
  }
  const list = (field: string, item: (v: unknown) => boolean, expected: string, itemExpected: string, min = 0, max = Infinity): string[] => {
    const f = fields.get(field)
    if (!f?.items) {
      bad(field, f ? f.valueLine : 1, expected, f ? f.value : undefined)
      return []
    }
    const out: string[] = []
    f.items.forEach((it, i) => {
      if (!item(it.value)) bad(`${field}[${i}]`, it.line, itemExpected, it.value)
      else out.push(it.value as string)
    })
    if (f.items.length < min || f.items.length > max) bad(field, f.keyLine, expected, `${f.items.length} items`)
    return out
  }
  const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== ''

  const meta: LessonMeta = {
    title: text1('title'),
    summary: text1('summary'),
    kata: pattern('kata', KATA_ID, 'the kata id as two digits in quotes, such as "03"'),
    slug: pattern('slug', SLUG, 'the kata slug, lower-case words joined by "-"'),
    order: integer('order', 0, 9, 'the position in the course, a whole number 0–9'),
    modules: list('modules', nonEmpty, 'a non-empty list of workbook paths', 'a workbook path such as "controller/endpoints.ts"', 1),
    time: integer('time', 1, 600, 'minutes as a positive integer'),
    objectives: list('objectives', (v) => nonEmpty(v) && /[.!?]$/.test((v as string).trim()), 'a list of 3–6 objectives', 'a sentence ending in "."', 3, 6),
    mirrors: list('mirrors', (v) => typeof v === 'string' && MIRROR.test(v), 'a non-empty list of source files', 'a source file as owner/repo@tag:path', 1),
    prerequisites: list('prerequisites', (v) => typeof v === 'string' && KATA_ID.test(v), 'a list of kata ids ([] for none)', 'a kata id as two digits in quotes, such as "01"'),
  }
  return { meta, problems }
}

/**
 * Checks a lesson's front matter against its kata (`katas/NN-slug/kata.yaml`):
 *
 * 1. the file name's `NN-slug` is a kata, and `kata`/`slug` repeat it;
 * 2. `title` is the kata's title; `order` is the kata's number;
 * 3. `modules` and `mirrors` equal kata.yaml's lists, in the same order;
 * 4. every prerequisite is a kata that comes earlier in the course.
 */
export function crossCheck(file: string, text: string, meta: LessonMeta, katas: readonly Kata[]): Problem[] {
  const problems: Problem[] = []
  const name = path.basename(file)
  const m = LESSON_NAME.exec(name)
  const kata = m ? katas.find((k) => k.id === m[1] && k.slug === m[2]) : undefined
  if (!kata) {
    return [{ file, line: 1, message: `lesson file name "${name}": expected NN-slug.md of a kata in katas/ (${katas.map((k) => k.name).join(', ')})` }]
  }
  const lines = text.split('\n')
  const lineOf = (field: string, item?: string): number => {
    const start = lines.findIndex((l) => l.startsWith(`${field}:`))
    if (start < 0) return 1
    if (item !== undefined) {
      for (let i = start; i < lines.length && lines[i] !== '---'; i++) if (lines[i]!.includes(item)) return i + 1
    }
    return start + 1
  }
  const agree = (field: keyof LessonMeta, want: unknown, source: string) => {
    if (JSON.stringify(meta[field]) !== JSON.stringify(want)) {
      problems.push({ file, line: lineOf(field), message: `front matter field "${field}": expected ${show(want)} (${source}), got ${show(meta[field])}` })
    }
  }
  const yamlFile = path.relative(PACKAGE_ROOT, path.join(kata.dir, 'kata.yaml')) || 'kata.yaml'
  agree('kata', kata.id, 'the file name')
  agree('slug', kata.slug, 'the file name')
  agree('title', kata.title, yamlFile)
  agree('order', Number(kata.id), 'the kata number')
  agree('modules', kata.modules, yamlFile)
  agree('mirrors', kata.mirrors, yamlFile)
  meta.prerequisites.forEach((id, i) => {
    if (!katas.some((k) => k.id === id) || id >= kata.id) {
      problems.push({ file, line: lineOf('prerequisites', `"${id}"`), message: `front matter field "prerequisites[${i}]": expected the id of an earlier kata (before "${kata.id}"), got ${show(id)}` })
    }
  })
  return problems
}

/**
 * Parses one lesson: front matter checked field by field.
 * @throws {LessonFormatError} with every problem found.
 */
export function parseLesson(file: string, text: string): { meta: LessonMeta; body: string; bodyLine: number } {
  const r = readFrontMatter(file, text)
  if (!r.meta) throw new LessonFormatError(r.problems)
  return { meta: r.meta, body: r.body, bodyLine: r.bodyLine }
}

/** The lesson files in `dir` (default `root/lessons/`), relative to `root` (`lessons/NN-slug.md`), sorted. */
export function lessonFiles(root = PACKAGE_ROOT, dir = path.join(root, 'lessons')): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.relative(root, path.join(dir, f)).split(path.sep).join('/'))
}

/**
 * Every lesson under `root/lessons/`, in course order, checked against its kata.
 * Katas without a lesson yet are skipped; a lesson without a kata is a problem.
 * @throws {LessonFormatError} with every problem of every lesson.
 */
export function loadLessons(root = PACKAGE_ROOT, katas: readonly Kata[] = loadCourse(root === PACKAGE_ROOT ? KATAS_DIR : path.join(root, 'katas'))): Lesson[] {
  const lessons: Lesson[] = []
  const problems: Problem[] = []
  for (const file of lessonFiles(root)) {
    const abs = path.join(root, file)
    const text = readFileSync(abs, 'utf8')
    const r = readFrontMatter(file, text)
    problems.push(...r.problems)
    if (!r.meta) continue
    const cross = crossCheck(file, text, r.meta, katas)
    problems.push(...cross)
    if (cross.length) continue
    lessons.push({ file, path: abs, name: path.basename(file, '.md'), meta: r.meta, body: r.body, bodyLine: r.bodyLine, text })
  }
  if (problems.length) throw new LessonFormatError(problems)
  return lessons.sort((a, b) => a.meta.order - b.meta.order)
}
