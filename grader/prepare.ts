// The graded copy of a learner's workspace, and what the grader must know of it
// before any check runs.
//
// The learner's files are copied to a temporary folder and graded there, never
// in place: grading cannot change their work, and what is graded is a snapshot.
// In the copy, the pristine given code is laid back under the learner's own
// functions (harness/tracks.ts), so points come from what the learner wrote;
// given code they edited is noted, not held against them. The learner's track
// per kata comes from their progress file (harness/progress.ts).
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Kata, Track } from '../harness/course.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { emptyProgress, parseProgress, type Progress } from '../harness/progress.ts'
import { copiedFromReference, editedGiven, restoreGiven, type Trees } from '../harness/tracks.ts'
import { inside } from './plugin.ts'

/** Files of these kinds are copied; anything else in a workspace is not model code. */
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|json)$/
/** A single source file larger than this is not copied (and so reads as missing). */
const MAX_FILE_BYTES = 2 * 1024 * 1024

/** What the grader knows of one kata before it runs. */
export interface KataPlan {
  track: Track
  /** `katas start NN` filled it with the reference: not the learner's, not graded. */
  given: boolean
  /** For a given kata: the kata `katas start` was run for. */
  givenFor?: string
  /** Given functions the learner edited, and other things to say about the kata. */
  notes: string[]
  /** Deep tasks (by number) whose functions are the reference, token for token: the functions. */
  copied: Map<number, string[]>
}

export interface PreparedWorkspace {
  /** A temporary folder of the grader's; `stage` inside it. */
  base: string
  /** The prepared copy, laid out like `solutions/`: what every kata's process gets. */
  stage: string
  /** Files left out, with why: oversized files. */
  skipped: string[]
  /** Why the workspace is not graded at all (it is, or holds, a link out of itself). */
  refused?: string
  /** Said once for the checkout: a progress file that cannot be read. */
  note?: string
  plans: Map<string, KataPlan>
  remove(): void
}

/** Reads the learner's progress file, never trusting it: a bad one reads as no progress, with a note. */
function readProgress(ws: string, katas: readonly Kata[]): { progress: Progress; note?: string } {
  const file = path.join(ws, '.katas', 'state.json')
  let text: string
  try {
    if (lstatSync(file).isSymbolicLink()) return { progress: emptyProgress(katas), note: 'workspace/.katas/state.json is a link: every kata graded on the core path' }
    text = readFileSync(file, 'utf8')
  } catch {
    return { progress: emptyProgress(katas) }
  }
  try {
    return { progress: parseProgress(text, katas) }
  } catch (err) {
    return { progress: emptyProgress(katas), note: `workspace/.katas/state.json cannot be read (${(err as Error).message}): every kata graded on the core path` }
  }
}

/** Copies the workspace's source files; a link that leads out of the workspace refuses the whole workspace. */
function copyTree(ws: string, to: string, skipped: string[]): string | undefined {
  const walk = (dir: string, rel: string): string | undefined => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.katas' || entry.name === '.git') continue
      const from = path.join(dir, entry.name)
      const relName = path.join(rel, entry.name)
      let stat = lstatSync(from)
      if (stat.isSymbolicLink()) {
        let target: string
        try {
          target = realpathSync(from)
        } catch {
          continue // a dangling link holds nothing
        }
        if (!inside(ws, target)) return `workspace/${relName.split(path.sep).join('/')} is a link to ${target}, outside the workspace: graded work must sit in the workspace itself`
        stat = lstatSync(target)
      }
      if (stat.isDirectory()) {
        const why = walk(from, relName)
        if (why) return why
      } else if (stat.isFile() && SOURCE.test(entry.name)) {
        if (stat.size > MAX_FILE_BYTES) {
          skipped.push(`${relName} (${stat.size} bytes, over ${MAX_FILE_BYTES})`)
          continue
        }
        mkdirSync(path.dirname(path.join(to, relName)), { recursive: true })
        copyFileSync(from, path.join(to, relName))
      }
    }
    return undefined
  }
  return walk(ws, '')
}

/** Lays the given code back and notes what the grader must know, module by module. */
function planKata(kata: Kata, stage: string, progress: Progress, trees?: Trees): KataPlan {
  const p = progress.katas[kata.id]
  const plan: KataPlan = { track: p?.track ?? 'core', given: p?.status === 'given', notes: [], copied: new Map() }
  if (plan.given) {
    if (p?.givenFor) plan.givenFor = p.givenFor
    return plan
  }
  for (const module of kata.modules) {
    const file = path.join(stage, module)
    if (!existsSync(file)) continue
    const text = readFileSync(file, 'utf8')
    try {
      if (plan.track === 'core') {
        const edited = editedGiven(kata, module, text, 'core', trees)
        if (edited.length) plan.notes.push(`given code edited in workspace/${module} (${edited.join(', ')}): graded with the course's own`)
        const restored = restoreGiven(kata, module, text, 'core', trees)
        if (restored !== text) writeFileSync(file, restored)
      } else {
        for (const task of kata.tasks.filter((t) => t.track === 'deep')) {
          const names = task.write.filter((f) => f.module === module).map((f) => f.name)
          const copies = names.length ? copiedFromReference(kata, module, text, names, trees) : []
          if (copies.length) plan.copied.set(task.number, [...(plan.copied.get(task.number) ?? []), ...copies])
        }
      }
    } catch (err) {
      // A module the parser cannot split into functions (a syntax error, a function gone): graded as it is.
      plan.notes.push(`workspace/${module} graded as it is: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  return plan
}

/** The grading folders of this process not yet removed: swept if it is stopped half-way. */
const live = new Set<string>()
let sweeping = false

/**
 * Removes the live grading folders when the process ends, and when it is stopped by
 * Ctrl-C, a CI job's cancel (SIGTERM) or a closed terminal: a copy of each learner's
 * work would otherwise stay in the temporary folder. A stopped process then exits
 * as an unhandled signal would (128 + its number).
 */
function sweepOnExit(): void {
  if (sweeping) return
  sweeping = true
  const sweep = () => {
    for (const base of live) rmSync(base, { recursive: true, force: true })
    live.clear()
  }
  process.on('exit', sweep)
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      sweep()
      process.exit(code)
    })
  }
}

/** `trees`: where the reference and the deep stubs are (the course's own unless a test says otherwise). */
export function prepareWorkspace(workspace: string, katas: readonly Kata[], trees?: Trees): PreparedWorkspace {
  sweepOnExit()
  const base = mkdtempSync(path.join(os.tmpdir(), 'katas-grade-'))
  live.add(base)
  const stage = path.join(base, 'stage')
  mkdirSync(stage)
  const remove = () => {
    rmSync(base, { recursive: true, force: true })
    live.delete(base)
  }
  const out: PreparedWorkspace = { base, stage, skipped: [], plans: new Map(), remove }
  if (lstatSync(workspace).isSymbolicLink()) {
    out.refused = `workspace/ is a link to ${realpathSync(workspace)}: graded work must sit in the checkout itself`
    return out
  }
  const ws = realpathSync(workspace)
  const why = copyTree(ws, stage, out.skipped)
  if (why) {
    out.refused = why
    return out
  }
  const { progress, note } = readProgress(ws, katas)
  if (note) out.note = note
  for (const kata of katas) out.plans.set(kata.name, planKata(kata, stage, progress, trees))
  return out
}

/** A copy of the prepared workspace for one unsandboxed grading process, with the course's lib/ and node_modules/ beside it. */
export function unsandboxedCopy(prepared: PreparedWorkspace, kata: string, course = PACKAGE_ROOT): string {
  // One folder per run of the kata: a kata run again (after a timeout beside others) starts from the stage again.
  const dir = mkdtempSync(path.join(prepared.base, `${kata}-`))
  // 'junction' makes folder links work on Windows without extra rights; elsewhere it is ignored.
  symlinkSync(path.join(course, 'lib'), path.join(dir, 'lib'), 'junction')
  symlinkSync(path.join(course, 'node_modules'), path.join(dir, 'node_modules'), 'junction')
  return path.join(dir, 'workspace')
}
