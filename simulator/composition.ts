// Whose code the cluster runs, kata by kata: the learner's modules of a kata once its
// core path is green, the reference modules otherwise. So the cluster works from the
// first minute and takes in the learner's code as it is ready, the way a real cluster
// takes in one component at a time.
//
// Green is read from the learner's progress file (harness/progress.ts), which the
// learner loop writes after every run of the checks; it is trusted, not re-checked:
// running a kata's checks costs a second or more, every command would pay it. A module
// that is marked green and still throws is named by the error (errors.ts), with the
// `katas check NN` that records the truth.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'esbuild'
import { loadCatalogue } from '../cli/catalogue.ts'
import { tasksOf, type Kata } from '../harness/course.ts'
import { parseProgress, type KataProgress } from '../harness/progress.ts'
import { SOLUTIONS_DIR } from '../harness/paths.ts'

/** The default: each kata per the progress file (`katas cluster use auto`). */
export const AUTO = 'auto'

/** Whose modules of a kata run: the learner's or the reference. */
export type Side = 'yours' | 'reference'

export interface KataSide {
  kata: Kata
  side: Side
  /** Why, in a few words: `not started`, `2 of 4 core tasks green`, `given by katas start 05`. */
  why: string
  /** On the deep track and not green there yet: the kata's given functions come from the reference. */
  givenFromReference?: boolean
}

export interface Composition {
  /** The learner's workspace. */
  workspace: string
  katas: KataSide[]
  /** Set when the progress file could not be read: every kata runs the reference. */
  problem?: string
}

/** The learner's progress file in a workspace. */
export const progressFile = (workspace: string) => path.join(workspace, '.katas', 'state.json')

let course: Kata[] | undefined

/**
 * The course catalogue, as `loadCourse` reads it. Every command needs it, and parsing the
 * katas' YAML takes longer than the rest of a command: the katas command's parsed copy
 * (cli/catalogue.ts) is shared, read once per process.
 */
export function clusterCourse(): Kata[] {
  return (course ??= loadCatalogue())
}

/** One side for every kata (`katas cluster use workspace|solutions`, or `--impl`). */
export function forced(workspace: string, side: Side, why: string, katas: readonly Kata[] = clusterCourse()): Composition {
  return { workspace, katas: katas.map((kata) => ({ kata, side, why })) }
}

/** Each kata's side from the learner's progress file; no file: every kata runs the reference. */
export function fromProgress(workspace: string, katas: readonly Kata[] = clusterCourse()): Composition {
  const file = progressFile(workspace)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return forced(workspace, 'reference', 'not started', katas)
  }
  let progress
  try {
    progress = parseProgress(text, katas)
  } catch (err) {
    const problem = `the progress file ${path.relative(process.cwd(), file)} cannot be read (${(err as Error).message})`
    return { ...forced(workspace, 'reference', 'progress unknown', katas), problem }
  }
  return { workspace, katas: katas.map((kata) => sideOf(kata, progress.katas[kata.id]!)) }
}

/**
 * A kata's side: the learner's once every core task is green (and, on the core path,
 * the kata as a whole); `given` is the reference by definition. On the deep track the
 * kata runs as soon as its core path is green, its given functions taken from the
 * reference until the deep track is green too.
 */
export function sideOf(kata: Kata, p: KataProgress): KataSide {
  if (p.status === 'given') return { kata, side: 'reference', why: p.givenFor ? `given by \`katas start ${p.givenFor}\`` : 'given by `katas start`' }
  if (p.status === 'not-started') return { kata, side: 'reference', why: 'not started' }
  const core = tasksOf(kata, 'core')
  const green = core.filter((t) => p.tasks[t.slug]?.passed).length
  if (green < core.length) return { kata, side: 'reference', why: `${green} of ${core.length} core tasks green` }
  if (p.track === 'core' && p.status !== 'passed') return { kata, side: 'reference', why: 'not green at its last check' }
  if (p.track === 'deep' && p.status !== 'passed') return { kata, side: 'yours', why: 'core path green; given code from the reference until the deep track is', givenFromReference: true }
  return { kata, side: 'yours', why: p.track === 'deep' ? 'deep track green' : 'core path green' }
}

/** A short fingerprint of the choice: a bundle is reused only for the same one. */
export function signature(c: Composition): string {
  return c.katas.map((k) => `${k.kata.id}${k.side === 'yours' ? (k.givenFromReference ? 'y+' : 'y') : 'r'}`).join(',')
}

/** The kata and module a model file is, in either tree (`undefined` for files no kata owns, lib/ and the learner's own helpers). */
export function ownerOf(file: string, c: Composition): { side: KataSide; module: string } | undefined {
  for (const root of [c.workspace, SOLUTIONS_DIR]) {
    const rel = path.relative(root, file)
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue
    const module = rel.split(path.sep).join('/')
    const side = c.katas.find((k) => k.kata.modules.includes(module))
    if (side) return { side, module }
  }
  return undefined
}

/**
 * An esbuild plugin that resolves every kata module, from whichever tree imports it, to
 * the tree its kata runs from: the reference cluster imports the learner's selector
 * once kata 02 is green, and the learner's modules import the reference ones of katas
 * not green yet. Files no kata owns resolve where they are.
 */
export function composeModules(c: Composition): Plugin {
  return {
    name: 'katas-composition',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const owner = ownerOf(path.resolve(args.resolveDir, args.path), c)
        if (!owner) return undefined
        const root = owner.side.side === 'yours' ? c.workspace : SOLUTIONS_DIR
        return { path: path.join(root, owner.module) }
      })
      const partial = c.katas.filter((k) => k.givenFromReference)
      if (partial.length === 0) return
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const owner = ownerOf(args.path, c)
        if (!owner?.side.givenFromReference || !args.path.startsWith(c.workspace + path.sep)) return undefined
        const { restoreGiven } = await import('../harness/tracks.ts')
        const learner = readFileSync(args.path, 'utf8')
        try {
          return { contents: restoreGiven(owner.side.kata, owner.module, learner, 'core'), loader: 'ts' }
        } catch {
          // A given function is missing from the learner's file: run theirs as it is, and let an error name it.
          return { contents: learner, loader: 'ts' }
        }
      })
    },
  }
}

/** Whether the learner's files of every kata marked "yours" are there (a workspace may be missing, or a file deleted). */
export function missingModules(c: Composition): string[] {
  return c.katas.filter((k) => k.side === 'yours').flatMap((k) => k.kata.modules.filter((m) => !existsSync(path.join(c.workspace, m))))
}
