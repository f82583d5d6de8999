// The course catalogue: every kata's metadata, read from `katas/NN-slug/kata.yaml`.
//
// One file per kata keeps each kata's title, tasks, points and hints beside its
// other material. The schema is checked here, once, with an error that names
// the file and the field, so a typo never surfaces later as an `undefined`.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { KATAS_DIR } from './paths.ts'

export const HINT_TIERS = ['nudge', 'pointer', 'near-solution'] as const
export type HintTier = (typeof HINT_TIERS)[number]

export interface Task {
  /** 1-based position in the kata; the Exercism `task_id`. */
  number: number
  /** Stable id, used in check names and by the grader. */
  slug: string
  title: string
  points: number
}

export interface Hint {
  tier: HintTier
  text: string
}

export interface Kata {
  /** Two digits, `00`–`09`: the order of the course. */
  id: string
  slug: string
  /** `NN-slug`: the folder name, and the check file's base name. */
  name: string
  title: string
  summary: string
  /** Model modules the learner edits, relative to the implementation root. */
  modules: string[]
  /** Kubernetes source files the kata mirrors, at a release tag. */
  mirrors: string[]
  tasks: Task[]
  hints: Hint[]
  /** Folder of the kata's metadata. */
  dir: string
}

export class CourseError extends Error {
  override name = 'CourseError'
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

function fail(file: string, field: string, expected: string, got: unknown): never {
  throw new CourseError(`${file}: ${field}: expected ${expected}, got ${JSON.stringify(got) ?? 'nothing'}`)
}

function str(file: string, obj: Record<string, unknown>, field: string, where = field): string {
  const v = obj[field]
  if (typeof v !== 'string' || v.trim() === '') fail(file, where, 'a non-empty string', v)
  return v
}

function strList(file: string, obj: Record<string, unknown>, field: string): string[] {
  const v = obj[field]
  if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string' || s === '')) {
    fail(file, field, 'a non-empty list of strings', v)
  }
  return v as string[]
}

/** Parses and checks one `kata.yaml`. */
export function parseKata(file: string, text: string): Kata {
  let doc: unknown
  try {
    doc = parse(text)
  } catch (err) {
    throw new CourseError(`${file}: ${(err as Error).message}`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(file, '(document)', 'a mapping', doc)
  const o = doc as Record<string, unknown>
  const dir = path.dirname(file)
  const id = str(file, o, 'id')
  if (!/^\d\d$/.test(id)) fail(file, 'id', 'two digits such as "03" (quote it in YAML)', id)
  const slug = str(file, o, 'slug')
  if (!SLUG.test(slug)) fail(file, 'slug', 'a lower-case slug', slug)
  const name = `${id}-${slug}`
  if (path.basename(dir) !== name) fail(file, 'slug', `the folder name "${path.basename(dir)}" to be "${name}"`, slug)

  if (!Array.isArray(o.tasks) || o.tasks.length === 0) fail(file, 'tasks', 'a non-empty list', o.tasks)
  const tasks = o.tasks.map((t: unknown, i: number): Task => {
    const where = `tasks[${i}]`
    if (typeof t !== 'object' || t === null) fail(file, where, 'a mapping', t)
    const r = t as Record<string, unknown>
    const tslug = str(file, r, 'slug', `${where}.slug`)
    if (!SLUG.test(tslug)) fail(file, `${where}.slug`, 'a lower-case slug', tslug)
    const points = r.points
    if (typeof points !== 'number' || !Number.isInteger(points) || points < 1) {
      fail(file, `${where}.points`, 'a whole number ≥ 1', points)
    }
    return { number: i + 1, slug: tslug, title: str(file, r, 'title', `${where}.title`), points }
  })
  const seen = new Set<string>()
  tasks.forEach((t, i) => {
    if (seen.has(t.slug)) fail(file, `tasks[${i}].slug`, 'a slug not used by an earlier task', t.slug)
    seen.add(t.slug)
  })

  if (!Array.isArray(o.hints)) fail(file, 'hints', `a list of ${HINT_TIERS.length} hints`, o.hints)
  const hints = o.hints.map((h: unknown, i: number): Hint => {
    const where = `hints[${i}]`
    if (typeof h !== 'object' || h === null) fail(file, where, 'a mapping with tier and text', h)
    const r = h as Record<string, unknown>
    const tier = r.tier
    if (tier !== HINT_TIERS[i]) fail(file, `${where}.tier`, `"${HINT_TIERS[i] ?? '(no more hints)'}"`, tier)
    return { tier: tier as HintTier, text: str(file, r, 'text', `${where}.text`) }
  })
  if (hints.length !== HINT_TIERS.length) fail(file, 'hints', `${HINT_TIERS.length} hints: ${HINT_TIERS.join(', ')}`, hints.length)

  return {
    id,
    slug,
    name,
    title: str(file, o, 'title'),
    summary: str(file, o, 'summary'),
    modules: strList(file, o, 'modules'),
    mirrors: strList(file, o, 'mirrors'),
    tasks,
    hints,
    dir,
  }
}

let cache: Kata[] | undefined

/** Every kata, in course order. */
export function loadCourse(dir = KATAS_DIR): Kata[] {
  if (dir === KATAS_DIR && cache) return cache
  const katas = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'kata.yaml')))
    .map((d) => {
      const file = path.join(dir, d.name, 'kata.yaml')
      return parseKata(file, readFileSync(file, 'utf8'))
    })
    .sort((a, b) => a.id.localeCompare(b.id))
  if (dir === KATAS_DIR) cache = katas
  return katas
}

/** Finds a kata by number (`3`, `03`), slug (`endpoints`) or folder name (`03-endpoints`). */
export function findKata(query: string, katas = loadCourse()): Kata | undefined {
  const q = query.trim().toLowerCase()
  return katas.find((k) => k.id === q || k.id === q.padStart(2, '0') || k.slug === q || k.name === q)
}

/** The describe-block title of a task; the grader parses it back with TASK_TITLE. */
export function taskTitle(task: Task): string {
  return `task ${task.number} (${task.slug}): ${task.title}`
}

export const TASK_TITLE = /^task (\d+) \(([a-z0-9-]+)\): /
