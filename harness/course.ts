// The course catalogue: every kata's metadata, read from `katas/NN-slug/kata.yaml`.
//
// One file per kata keeps each kata's title, tasks, points and hints beside its
// other material. The schema is checked here, once, with an error that names
// the file and the field, so a typo never surfaces later as an `undefined`.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { parseCoreYaml } from './core-yaml.ts'
import { KATAS_DIR } from './paths.ts'

export const HINT_TIERS = ['nudge', 'pointer', 'near-solution'] as const
export type HintTier = (typeof HINT_TIERS)[number]

/**
 * The two paths through a kata. `core` tasks ask for the few functions that carry
 * the kata's idea; `deep` tasks (opt-in, `katas deep NN`) ask for the given rest.
 */
export const TRACKS = ['core', 'deep'] as const
export type Track = (typeof TRACKS)[number]

/** One function the learner writes: a module of the model and a name in it (`Class.method`). */
export interface FunctionRef {
  module: string
  name: string
}

export interface Task {
  /** 1-based position in the kata (core tasks first); the Exercism `task_id`. */
  number: number
  /** Stable id, used in check names and by the grader. */
  slug: string
  title: string
  points: number
  track: Track
  /** The functions this task asks the learner to write; none for a task that checks how earlier ones compose. */
  write: FunctionRef[]
  /** Three tiers: a nudge, a pointer, then near the solution. */
  hints: Hint[]
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
  /** Core tasks first, then the deep track's. */
  tasks: Task[]
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

function hintList(file: string, v: unknown, where: string): Hint[] {
  if (!Array.isArray(v)) fail(file, where, `a list of ${HINT_TIERS.length} hints`, v)
  const hints = v.map((h: unknown, i: number): Hint => {
    const at = `${where}[${i}]`
    if (typeof h !== 'object' || h === null) fail(file, at, 'a mapping with tier and text', h)
    const r = h as Record<string, unknown>
    const tier = r.tier
    if (tier !== HINT_TIERS[i]) fail(file, `${at}.tier`, `"${HINT_TIERS[i] ?? '(no more hints)'}"`, tier)
    return { tier: tier as HintTier, text: str(file, r, 'text', `${at}.text`) }
  })
  if (hints.length !== HINT_TIERS.length) fail(file, where, `${HINT_TIERS.length} hints: ${HINT_TIERS.join(', ')}`, hints.length)
  return hints
}

/** `write:` maps each module to the names of the functions the task asks for. */
function writeList(file: string, v: unknown, where: string, modules: readonly string[]): FunctionRef[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v).length === 0) {
    fail(file, where, 'a mapping of module to function names, e.g. {labels/selector.ts: [Requirement.matches]}', v)
  }
  const refs: FunctionRef[] = []
  for (const [module, names] of Object.entries(v as Record<string, unknown>)) {
    if (!modules.includes(module)) fail(file, `${where}.${module}`, `one of the kata's modules (${modules.join(', ')})`, module)
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || !/^[A-Za-z_$][\w$]*(\.((get|set) )?[A-Za-z_$#][\w$]*)?$/.test(n))) {
      fail(file, `${where}.${module}`, 'a non-empty list of function names such as Requirement.matches', names)
    }
    for (const name of names as string[]) refs.push({ module, name })
  }
  return refs
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
    // js-yaml, loaded on first use: the katas command reads a parsed copy of the catalogue
    // (cli/catalogue.ts) and starts faster without it.
    doc = parseCoreYaml(text)
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

  const modules = strList(file, o, 'modules')
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
    const track = r.track
    if (!TRACKS.includes(track as Track)) fail(file, `${where}.track`, TRACKS.map((x) => `"${x}"`).join(' or '), track)
    return {
      number: i + 1,
      slug: tslug,
      title: str(file, r, 'title', `${where}.title`),
      points,
      track: track as Track,
      write: r.write === undefined ? [] : writeList(file, r.write, `${where}.write`, modules),
      hints: hintList(file, r.hints, `${where}.hints`),
    }
  })
  const seen = new Set<string>()
  const written = new Map<string, string>()
  tasks.forEach((t, i) => {
    if (seen.has(t.slug)) fail(file, `tasks[${i}].slug`, 'a slug not used by an earlier task', t.slug)
    seen.add(t.slug)
    if (t.track === 'core' && i > 0 && tasks[i - 1]!.track === 'deep') fail(file, `tasks[${i}].track`, 'core tasks before the deep track\'s', t.track)
    for (const f of t.write) {
      const id = `${f.module}: ${f.name}`
      const other = written.get(id)
      if (other) fail(file, `tasks[${i}].write.${f.module}`, `a function no other task asks for (task ${other} does)`, f.name)
      written.set(id, t.slug)
    }
  })
  if (tasks[0]!.track !== 'core') fail(file, 'tasks[0].track', 'a core task first: the core path is the default', tasks[0]!.track)

  return {
    id,
    slug,
    name,
    title: str(file, o, 'title'),
    summary: str(file, o, 'summary'),
    modules,
    mirrors: strList(file, o, 'mirrors'),
    tasks,
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

/** Finds a task by number (`2`) or slug (`map-selectors`). */
export function findTask(kata: Kata, query: string): Task | undefined {
  const q = query.trim().toLowerCase()
  return kata.tasks.find((t) => String(t.number) === q.replace(/^0+(?=\d)/, '') || t.slug === q)
}

/** The tasks of one track, in order. */
export function tasksOf(kata: Kata, track: Track): Task[] {
  return kata.tasks.filter((t) => t.track === track)
}

/** The tasks a learner on `track` works through: the core path, or core and deep. */
export function tasksFor(kata: Kata, track: Track): Task[] {
  return track === 'deep' ? kata.tasks : tasksOf(kata, 'core')
}

/** The describe-block title of a task; the grader parses it back with TASK_TITLE. */
export function taskTitle(task: Task): string {
  return `task ${task.number} (${task.slug}): ${task.title}`
}

export const TASK_TITLE = /^task (\d+) \(([a-z0-9-]+)\): /
