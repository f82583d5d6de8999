// A learner's module on one path or the other, and what of it is theirs.
//
// A workspace module mixes what the learner writes with given code. These are
// the operations the learner loop and the grader share, all by function name
// (harness/units.ts), leaving the learner's own functions and helpers alone:
//   - switch a module to the deep track (given functions become stubs) or back
//     to the core path (given functions restored from the reference);
//   - find given functions the learner has edited, and lay the pristine given
//     code back under the learner's functions for grading;
//   - compare a learner's function with the reference, token by token, so a
//     copy of given code is not mistaken for the learner's own work.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ts } from './typescript.ts'
import type { Kata, Track } from './course.ts'
import { DEEP_STUBS_DIR, SOLUTIONS_DIR } from './paths.ts'
import { banner, fieldsOfStubbedConstructors, functionsToWrite, withBanner, withoutMutationComments } from './stubs.ts'
import { replaceUnits, unitMap, unitText } from './units.ts'

export interface Trees {
  solutions: string
  deep: string
}

const DEFAULT_TREES: Trees = { solutions: SOLUTIONS_DIR, deep: DEEP_STUBS_DIR }

const read = (dir: string, module: string): { file: string; text: string } => ({
  file: `${path.basename(dir)}/${module}`,
  text: withoutMutationComments(readFileSync(path.join(dir, module), 'utf8')),
})

/** The functions of a module the learner writes on a track. */
export function learnerFunctions(kata: Kata, module: string, track: Track): string[] {
  return [...functionsToWrite(kata, module, track).keys()]
}

/** Every function of the module that some task of the kata asks for (core and deep). */
export function kataFunctions(kata: Kata, module: string): string[] {
  return kata.tasks.flatMap((t) => t.write.filter((f) => f.module === module).map((f) => f.name))
}

/** The given functions of a module on a track: asked for by the deep track only. */
export function givenFunctions(kata: Kata, module: string, track: Track): string[] {
  if (track === 'deep') return []
  const mine = new Set(learnerFunctions(kata, module, 'core'))
  return kataFunctions(kata, module).filter((n) => !mine.has(n))
}

/**
 * The learner's module switched to `track`: on the deep track the given functions
 * become the deep stubs; on the core path they become the reference code again.
 * The learner's core functions, their own helpers and everything else stay as
 * they are; the banner says what is theirs now.
 */
export function switchTrack(kata: Kata, module: string, learner: string, track: Track, trees: Trees = DEFAULT_TREES): string {
  const given = givenFunctions(kata, module, 'core')
  const source = track === 'deep' ? read(trees.deep, module) : read(trees.solutions, module)
  let text = replaceUnits({ file: `workspace/${module}`, text: learner }, source, given)
  // A constructor that becomes a deep stub no longer assigns its fields: mark them, as stubs/ does.
  if (track === 'deep') text = fieldsOfStubbedConstructors(text, new Set(given.filter((n) => n.endsWith('.constructor')).map((n) => n.split('.')[0]!)))
  return withBanner(text, banner(kata, module, track))
}

/**
 * The tokens of a text, without comments and whitespace: two texts that differ only in
 * layout compare equal. The scanner alone reads the `}` that closes a template's
 * `${…}` as a brace and what follows as code, up to the next backtick; it is told to
 * go on with the template there (as the parser does), or a comment after the
 * template would count as code.
 */
export function tokens(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text)
  const out: string[] = []
  // The brace depth at each open template's `${`, innermost last.
  const templates: number[] = []
  let depth = 0
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken) depth++
    else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (templates.at(-1) === depth) {
        kind = scanner.reScanTemplateToken(false)
        if (kind === ts.SyntaxKind.TemplateTail) templates.pop()
      } else depth--
    } else if (kind === ts.SyntaxKind.TemplateHead) templates.push(depth)
    out.push(scanner.getTokenText())
  }
  return out
}

const sameCode = (a: string, b: string): boolean => {
  const x = tokens(a)
  const y = tokens(b)
  return x.length === y.length && x.every((t, i) => t === y[i])
}

/**
 * Given functions of the learner's module that differ from the pristine given
 * code (or are missing), by name. Layout and comments do not count.
 */
export function editedGiven(kata: Kata, module: string, learner: string, track: Track, trees: Trees = DEFAULT_TREES): string[] {
  const given = givenFunctions(kata, module, track)
  if (given.length === 0) return []
  const pristine = read(trees.solutions, module)
  const mine = unitMap(`workspace/${module}`, learner)
  const ref = unitMap(pristine.file, pristine.text)
  return given.filter((name) => {
    const m = mine.get(name)
    const r = ref.get(name)
    return !m || !r || !sameCode(unitText(learner, m), unitText(pristine.text, r))
  })
}

/**
 * The learner's module with the pristine given code laid back under their
 * functions: what the grader runs, so points come from the learner's own code.
 * Throws `UnitError` when a given function is missing from the learner's file.
 */
export function restoreGiven(kata: Kata, module: string, learner: string, track: Track, trees: Trees = DEFAULT_TREES): string {
  const given = givenFunctions(kata, module, track)
  if (given.length === 0) return learner
  return replaceUnits({ file: `workspace/${module}`, text: learner }, read(trees.solutions, module), given)
}

/**
 * The learner's functions of a track that are, token for token, the reference
 * code: on the deep track, given code kept rather than written. The grader
 * gives such a function's task no points.
 */
export function copiedFromReference(kata: Kata, module: string, learner: string, names: readonly string[], trees: Trees = DEFAULT_TREES): string[] {
  const pristine = read(trees.solutions, module)
  const mine = unitMap(`workspace/${module}`, learner)
  const ref = unitMap(pristine.file, pristine.text)
  return names.filter((name) => {
    const m = mine.get(name)
    const r = ref.get(name)
    return m !== undefined && r !== undefined && sameCode(unitText(learner, m), unitText(pristine.text, r))
  })
}

/** The module as `katas start NN` gives it for an earlier kata: the reference, marked as given. */
export function givenByStart(kata: Kata, module: string, startedAt: string, trees: Trees = DEFAULT_TREES): string {
  const RULE = '─'.repeat(72)
  const text = read(trees.solutions, module).text
  return withBanner(
    text,
    [
      `// ${RULE}`,
      `// Kata ${kata.id} · given by \`katas start ${startedAt}\`: the reference code, so later katas compose.`,
      '// It is not graded as yours. To do this kata yourself: `katas reset ' + kata.id + '`.',
      `// ${RULE}`,
      '',
    ].join('\n'),
  )
}
