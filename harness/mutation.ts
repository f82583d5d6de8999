// Mutation scores of the model: how many plausible small bugs the checks catch.
//
// `npm run mutation` (scripts/mutation.mjs) lets StrykerJS plant one small bug at a
// time in a kata's modules — a flipped condition, an off-by-one, a dropped guard —
// and run the kata's checks against each. This file is the arithmetic around it,
// apart from Stryker so it can be tested: which functions a core learner writes
// (their bugs must be caught by the core tasks' checks alone), a module's score on
// each path, the table, and the committed baseline no module may fall below.
//
// A mutant's status is one of the mutation-testing-report schema's: Killed,
// Timeout, Survived, NoCoverage, Ignored (a disable comment), CompileError,
// RuntimeError, Pending.
import type { Kata } from './course.ts'
import { functionsToWrite } from './stubs.ts'
import { unitsOf } from './units.ts'

/** No model module may let more than one plausible bug in ten through. */
export const FLOOR = 90

export interface Counts {
  killed: number
  timeout: number
  survived: number
  noCoverage: number
  ignored: number
  errors: number
}

export interface ReportMutant {
  id: string
  mutatorName: string
  replacement?: string
  status: string
  location: { start: { line: number; column: number }; end: { line: number; column: number } }
}

/** A mutation-testing-report (Stryker's JSON report and incremental file), the part used here. */
export interface Report {
  files: Record<string, { source: string; mutants: ReportMutant[] }>
}

export const noCounts = (): Counts => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 })

export function count(mutants: readonly ReportMutant[]): Counts {
  const c = noCounts()
  for (const m of mutants) {
    if (m.status === 'Killed') c.killed++
    else if (m.status === 'Timeout') c.timeout++
    else if (m.status === 'Survived') c.survived++
    else if (m.status === 'NoCoverage') c.noCoverage++
    else if (m.status === 'Ignored') c.ignored++
    else c.errors++
  }
  return c
}

/** Mutants that count: caught ones and the ones that got through, untested ones among them. */
export const valid = (c: Counts): number => c.killed + c.timeout + c.survived + c.noCoverage

/**
 * The share of valid mutants the checks catch, in percent: killed and timed out
 * over all of them, a mutant no check runs counted as one that got through.
 * Undefined when there is nothing to mutate.
 */
export function score(c: Counts): number | undefined {
  const n = valid(c)
  return n === 0 ? undefined : ((c.killed + c.timeout) / n) * 100
}

/** A score as the table and the baseline write it: one decimal, rounded down so 89.96 is not 90.0. */
export const percent = (s: number | undefined): string => (s === undefined ? '—' : (Math.floor(s * 10) / 10).toFixed(1))

export interface LineRange {
  /** The function, as kata.yaml names it. */
  name: string
  /** 1-based, inclusive. */
  startLine: number
  endLine: number
}

/** Where each function a core learner writes lies in the module's reference text. */
export function coreRanges(kata: Kata, module: string, text: string): LineRange[] {
  const names = functionsToWrite(kata, module, 'core')
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length
  return unitsOf(`solutions/${module}`, text)
    .filter((u) => names.has(u.name))
    .map((u) => ({ name: u.name, startLine: lineOf(u.start), endLine: lineOf(u.end) }))
}

/** The mutants of a report that lie inside one of `ranges` (a mutant belongs to the function it starts in). */
export function mutantsIn(mutants: readonly ReportMutant[], ranges: readonly LineRange[]): ReportMutant[] {
  return mutants.filter((m) => ranges.some((r) => m.location.start.line >= r.startLine && m.location.start.line <= r.endLine))
}

export interface ModuleScore {
  module: string
  kata: string
  /** Every mutant of the module against every check of the kata: the deep track. */
  deep: Counts
  /** Mutants inside the core functions against the core tasks' checks; undefined when the core path writes nothing here. */
  core?: Counts | undefined
}

export interface BaselineEntry {
  kata: string
  deep: number | null
  core: number | null
}

export interface Baseline {
  floor: number
  modules: Record<string, BaselineEntry>
}

export function toBaseline(scores: readonly ModuleScore[]): Baseline {
  const num = (c: Counts | undefined) => {
    const s = c && score(c)
    return s === undefined ? null : Number(percent(s))
  }
  const modules: Record<string, BaselineEntry> = {}
  for (const s of [...scores].sort((a, b) => a.kata.localeCompare(b.kata) || a.module.localeCompare(b.module))) {
    modules[s.module] = { kata: s.kata, deep: num(s.deep), core: num(s.core) }
  }
  return { floor: FLOOR, modules }
}

/**
 * The baseline after a run: each module's fresh scores over its recorded ones, module by
 * module and path by path. A path this run did not measure (`--track`, or a report
 * another checkout holds) keeps its recorded score.
 */
export function mergeBaseline(old: Baseline, fresh: Baseline): Baseline {
  const modules: Record<string, BaselineEntry> = { ...old.modules }
  for (const [m, f] of Object.entries(fresh.modules)) {
    const o = old.modules[m]
    modules[m] = { kata: f.kata, deep: f.deep ?? o?.deep ?? null, core: f.core ?? o?.core ?? null }
  }
  const sorted = Object.entries(modules).sort(([a, x], [b, y]) => x.kata.localeCompare(y.kata) || a.localeCompare(b))
  return { floor: old.floor, modules: Object.fromEntries(sorted) }
}

export class BaselineError extends Error {
  override name = 'BaselineError'
}

/** Reads `checks/mutation-baseline.json`, with a one-line error naming the field that is wrong. */
export function parseBaseline(file: string, text: string): Baseline {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new BaselineError(`${file}: not JSON: ${(e as Error).message}`)
  }
  const obj = raw as { floor?: unknown; modules?: unknown }
  if (typeof obj !== 'object' || obj === null || typeof obj.floor !== 'number') throw new BaselineError(`${file}: floor: expected a number`)
  if (typeof obj.modules !== 'object' || obj.modules === null) throw new BaselineError(`${file}: modules: expected an object of module → scores`)
  for (const [m, e] of Object.entries(obj.modules as Record<string, unknown>)) {
    const entry = e as Partial<BaselineEntry> | null
    if (typeof entry !== 'object' || entry === null || typeof entry.kata !== 'string') throw new BaselineError(`${file}: modules.${m}.kata: expected a kata name`)
    for (const path of ['deep', 'core'] as const) {
      if (entry[path] !== null && typeof entry[path] !== 'number') throw new BaselineError(`${file}: modules.${m}.${path}: expected a score or null`)
    }
  }
  return raw as Baseline
}

/**
 * Why the checks are not good enough: each module and path whose score is under
 * the floor, or under what the baseline recorded (checks only get stronger).
 */
export function shortfalls(scores: readonly ModuleScore[], baseline: Baseline): string[] {
  const out: string[] = []
  for (const s of scores) {
    const before = baseline.modules[s.module]
    for (const path of ['core', 'deep'] as const) {
      const c = s[path]
      const now = c && score(c)
      if (now === undefined) continue
      const shown = Number(percent(now))
      const label = `${s.module} (${path === 'core' ? 'core path' : 'deep track'})`
      if (shown < baseline.floor) out.push(`${label}: ${percent(now)} % is under the floor of ${baseline.floor} %`)
      const was = before?.[path]
      if (typeof was === 'number' && shown < was) out.push(`${label}: ${percent(now)} % is under its baseline of ${was.toFixed(1)} %`)
    }
  }
  return out
}

const cell = (c: Counts | undefined): string => {
  if (!c) return '—'
  const s = score(c)
  return s === undefined ? '—' : `${percent(s)} % (${c.survived + c.noCoverage}/${valid(c)} left)`
}

/** The summary table, one row per module: each path's score and how many of its mutants got through. */
export function table(scores: readonly ModuleScore[]): string {
  const rows = [['module', 'kata', 'core path', 'deep track'], ...scores.map((s) => [s.module, s.kata.slice(0, 2), cell(s.core), cell(s.deep)])]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => `| ${r.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n')
}
