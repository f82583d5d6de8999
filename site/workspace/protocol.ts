// What the site build hands the workspace page, and what the page and its check
// worker say to each other. Types, and the few constants both sides must agree
// on: shared by the build (Node), the page and the worker (browser), so the three
// cannot drift apart.
import type { FunctionRef, HintTier, Track } from '../../harness/course.ts'

/** One task of a kata as the page shows it; `describe` is the check file's describe title. */
export interface KataTaskData {
  number: number
  slug: string
  title: string
  points: number
  track: Track
  write: FunctionRef[]
  /** The hints' tiers; their text comes with the `KataTexts` (the page fills it in). */
  hints: { tier: HintTier; text?: string }[]
  describe: string
}

/** A model module of another kata the checks need: given (the reference) unless the learner did that kata here. */
export interface GivenModule {
  /** The kata the module belongs to, e.g. "02". */
  kata: string
  kataName: string
}

export const START_PLACEHOLDER = '\u0000start\u0000'

export interface CourseEntry {
  id: string
  name: string
  title: string
  modules: string[]
  tasks: { number: number; slug: string; track: Track }[]
}

/**
 * `workspace/NN-slug.json`: what the page needs to show one kata and run its checks
 * the first time. Code the learner only reads comes after, in `KataTexts`; the
 * checks bundle holds that code compiled, so the first run needs none of its text.
 */
export interface KataData {
  id: string
  name: string
  title: string
  /** The lesson page, relative to the site root. */
  lesson: string
  /** Model modules the learner edits, relative to the implementation root. */
  modules: string[]
  tasks: KataTaskData[]
  /** The core stub of each module the learner writes on the core path (see `mine`). */
  stubs: Record<string, string>
  /** The other model modules the checks reach, by path. */
  given: Record<string, GivenModule>
  /** Read-only code the learner's modules build on (`lib/…`), by path from the project root. */
  library: string[]
  /** Every kata of the course, in order: whose module is which, for the progress file and imports. */
  course: CourseEntry[]
  /**
   * The checks bundle beside this file, which the first runs use. When `deepBundle` is
   * set, it has no deep tasks: their blocks and what only they read are left out.
   */
  bundle: string
  /** The whole checks bundle, deep tasks included: fetched once the core tasks are green. */
  deepBundle?: string
  /** The `KataTexts` file beside this file. */
  texts: string
}

/**
 * `workspace/NN-slug.texts.json`: the code the learner reads but does not write,
 * fetched once the first verdict is shown (an export and a save wait for it).
 */
export interface KataTexts {
  /** The core stub of every module of the kata (the read-only ones are shown as given). */
  stubs: Record<string, string>
  /** The reference of every module of the kata, shown once the kata is green. */
  solutions: Record<string, string>
  /**
   * Each given module as `katas start NN` writes it: the reference with a "given"
   * banner. `START_PLACEHOLDER` stands where the started kata's id goes.
   */
  given: Record<string, string>
  library: Record<string, string>
  /** Each task's hints, by slug, in tier order. */
  hints: Record<string, string[]>
}

/** How sucrase compiles a tree module, in the worker and for the checks bundle alike. */
export const TRANSFORM_OPTIONS = { transforms: ['typescript', 'imports'], disableESTransforms: true, keepUnusedImports: true } as const

/** The file name a tree module's code runs under: `workspace/labels/selector.ts`. */
export const sourceName = (file: string): string => `workspace/${file}`

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

/**
 * One run's model: `tree` holds TypeScript text to compile; each module named in
 * `prebuilt` is the one the site built (a stub not yet changed, given code), which
 * the checks bundle holds compiled.
 */
export interface RunTree {
  tree: Record<string, string>
  prebuilt: string[]
}

export type ToWorker =
  | { type: 'bundle'; name: string; code: string }
  | ({ type: 'run'; id: number } & RunTree)
  /** Sucrase (assets/sucrase.js, a script defining `sucrase`): sent before the first run with text to compile. */
  | { type: 'compiler'; code: string }

export type FromWorker =
  | { type: 'ready' }
  | { type: 'check'; id: number; name: string }
  | { type: 'result'; id: number; result: RunResult }
