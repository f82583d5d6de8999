// What the site build hands the workspace page, and what the page and its check
// worker say to each other. Types only: shared by the build (Node), the page and
// the worker (browser), so the three cannot drift apart.
import type { FunctionRef, HintTier, Track } from '../../harness/course.ts'

/** One task of a kata as the page shows it; `describe` is the check file's describe title. */
export interface KataTaskData {
  number: number
  slug: string
  title: string
  points: number
  track: Track
  write: FunctionRef[]
  hints: { tier: HintTier; text: string }[]
  describe: string
}

/** A model module of another kata the checks need: given (the reference) unless the learner did that kata here. */
export interface GivenModule {
  /** The kata the module belongs to, e.g. "02". */
  kata: string
  kataName: string
  /**
   * The module as `katas start NN` writes it: the reference with a "given" banner.
   * `START_PLACEHOLDER` stands where the started kata's id goes.
   */
  text: string
}

export const START_PLACEHOLDER = '\u0000start\u0000'

export interface CourseEntry {
  id: string
  name: string
  title: string
  modules: string[]
  tasks: { number: number; slug: string; track: Track }[]
}

/** `workspace/NN-slug.json`: everything the page needs about one kata, read once at load. */
export interface KataData {
  id: string
  name: string
  title: string
  /** The lesson page, relative to the site root. */
  lesson: string
  /** Model modules the learner edits, relative to the implementation root. */
  modules: string[]
  tasks: KataTaskData[]
  /**
   * The kata's modules: the core stub the learner starts from, and the reference
   * shown once the kata is green. Side by side, so gzip finds the one in the other.
   */
  own: Record<string, { stub: string; solution: string }>
  /** The other model modules the checks reach, by path. */
  given: Record<string, GivenModule>
  /** Read-only code the learner's modules build on (`lib/…`), by path from the project root. */
  library: Record<string, string>
  /** Every kata of the course, in order: whose module is which, for the progress file and imports. */
  course: CourseEntry[]
  /** The checks bundle beside this file. */
  bundle: string
}

/** A check's verdict, as the worker reports it. */
export interface CheckVerdict {
  /** describe titles, outermost first. */
  suite: string[]
  name: string
  passed: boolean
  /** The failure's message, as vitest reports `errors[0].message`. */
  message?: string
  /** Where in a learner's module the failure was thrown, when it was. */
  at?: SourcePlace
}

export interface SourcePlace {
  file: string
  line: number
  column?: number
}

/** The check file could not run: a syntax error, an import that does not exist, a throw while loading. */
export interface LoadFailure {
  kind: 'syntax' | 'import' | 'load'
  message: string
  at?: SourcePlace
}

export interface RunResult {
  checks: CheckVerdict[]
  loadError?: LoadFailure
  /** Milliseconds in the worker, loading included. */
  ms: number
}

export type ToWorker =
  | { type: 'bundle'; name: string; code: string }
  | { type: 'run'; id: number; tree: Record<string, string> }

export type FromWorker =
  | { type: 'ready' }
  | { type: 'check'; id: number; name: string }
  | { type: 'result'; id: number; result: RunResult }
