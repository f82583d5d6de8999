// The three trees of the model, and how the core stubs are made from the other two.
//
//   solutions/    the reference model: every function written.
//   deep-stubs/   every function a kata asks for, stubbed (TSDoc, TODO, a throw):
//                 the deep track, and the self-test's fully stubbed tree.
//   stubs/        the core path, where a workspace starts: the solution with only
//                 the core tasks' functions taken from deep-stubs/. Generated
//                 (`npm run stubs`), committed, and checked to be current.
//
// So the given code a learner reads is the reference code itself, and cannot
// drift from it; the functions they write carry the same TSDoc and TODO as on
// the deep track.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata, Task, Track } from './course.ts'
import { filesUnder, writeFileAtomic } from './files.ts'
import { DEEP_STUBS_DIR, SOLUTIONS_DIR, STUBS_DIR } from './paths.ts'
import { pruneDeadCode } from './prune.ts'
import { ts } from './typescript.ts'
import { applyEdits, replaceUnits, unitsOf, UnitError } from './units.ts'

/** The functions of a module that a track asks the learner to write, with their tasks. */
export function functionsToWrite(kata: Kata, module: string, track: Track): Map<string, Task> {
  const out = new Map<string, Task>()
  for (const t of kata.tasks) {
    if (track === 'core' && t.track !== 'core') continue
    for (const f of t.write) if (f.module === module) out.set(f.name, t)
  }
  return out
}

/**
 * Units of a stub the learner must write: those that throw the kata's
 * not-implemented error or carry its TODO (a constructor may only have the TODO,
 * so that the object can still be built). In deep-stubs/, what the kata asks for in all.
 */
export function stubbedUnits(kata: Kata, file: string, text: string): string[] {
  const markers = [`throw new Error('kata ${kata.name}`, `TODO(kata ${kata.id})`, `TODO(kata ${kata.id}, `]
  return unitsOf(file, text)
    .filter((u) => u.body && markers.some((m) => text.slice(u.body!.start, u.body!.end).includes(m)))
    .map((u) => u.name)
}

const RULE = '─'.repeat(72)

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/**
 * The banner at the top of a core stub: what the learner writes here, by task,
 * and that the rest is given. Lines start with `//` so the file header stays a comment.
 */
export function banner(kata: Kata, module: string, track: Track): string {
  const toWrite = functionsToWrite(kata, module, track)
  const lines: string[] = [`// ${RULE}`]
  if (toWrite.size === 0) {
    lines.push(
      `// Kata ${kata.id} · given: nothing to write here on the core path.`,
      '// This is finished code to read and step into; the checks rely on it as it is.',
      `// The deep track asks for it too: \`katas deep ${kata.id}\`.`,
    )
  } else {
    const byTask = new Map<Task, string[]>()
    for (const [name, t] of toWrite) byTask.set(t, [...(byTask.get(t) ?? []), name])
    lines.push(`// Kata ${kata.id} · ${track === 'deep' ? 'deep track' : 'core path'}: you write`)
    for (const [t, names] of [...byTask].sort((a, b) => a[0].number - b[0].number)) {
      lines.push(`//   task ${t.number} (${t.slug}): ${list(names)}`)
    }
    lines.push(`// Each is marked TODO(kata ${kata.id}) below and throws until you write it.`)
    lines.push(
      track === 'deep'
        ? `// Back to the core path, with the given code restored: \`katas core ${kata.id}\`.`
        : `// Everything else here is given: finished code to read. Deep track: \`katas deep ${kata.id}\`.`,
    )
  }
  lines.push(`// ${RULE}`)
  return `${lines.join('\n')}\n`
}

const BANNER = new RegExp(`^// ${RULE}\\n(?://.*\\n)*?// ${RULE}\\n`)

/** `text` with its banner replaced (or added at the top). */
export function withBanner(text: string, bannerText: string): string {
  return BANNER.test(text) ? text.replace(BANNER, bannerText) : bannerText + text
}

/** Marks the TODO of a stubbed function with its task, so the learner knows which task it serves. */
function tagTodos(text: string, kata: Kata, file: string, toWrite: Map<string, Task>): string {
  const edits: { start: number; end: number; text: string }[] = []
  for (const u of unitsOf(file, text)) {
    const t = toWrite.get(u.name)
    if (!t || !u.body) continue
    const body = text.slice(u.body.start, u.body.end)
    edits.push({ start: u.body.start, end: u.body.end, text: body.replaceAll(`TODO(kata ${kata.id})`, `TODO(kata ${kata.id}, task ${t.number})`) })
  }
  let out = text
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end)
  return out
}

/**
 * A class whose constructor is stubbed no longer assigns its fields; mark the
 * fields it assigned `!` (definitely assigned), so the stub still type-checks and
 * the learner sees the state their constructor must set up.
 */
export function fieldsOfStubbedConstructors(text: string, classes: ReadonlySet<string>): string {
  if (classes.size === 0) return text
  const sf = ts.createSourceFile('stub.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const edits: { start: number; end: number; text: string }[] = []
  for (const stmt of sf.statements) {
    if (!ts.isClassDeclaration(stmt) || !stmt.name || !classes.has(stmt.name.text)) continue
    for (const m of stmt.members) {
      if (!ts.isPropertyDeclaration(m) || m.initializer || m.questionToken || m.exclamationToken || !m.type) continue
      if ((ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword || x.kind === ts.SyntaxKind.DeclareKeyword)) continue
      edits.push({ start: m.name.end, end: m.name.end, text: '!' })
    }
  }
  return applyEdits(text, edits)
}

/**
 * Mutation testing's disable comments (`// Stryker disable next-line …: reason`,
 * `// Stryker restore …`), whole lines only: they mark mutants of the reference no
 * check can tell apart, which is for maintainers, not for the learner's given code.
 */
const MUTATION_COMMENT = /^[ \t]*\/\/[ \t]*Stryker (?:disable|restore)\b.*\r?\n/gm

/** `text` without mutation testing's disable comments. */
export const withoutMutationComments = (text: string): string => text.replace(MUTATION_COMMENT, '')

export class StubError extends Error {
  override name = 'StubError'
}

/** One module of the core path: the solution with the core functions taken from the deep stub. */
export function coreStub(kata: Kata, module: string, solution: string, deep: string): string {
  const sol = { file: `solutions/${module}`, text: withoutMutationComments(solution) }
  const dst = { file: `deep-stubs/${module}`, text: deep }
  const toWrite = functionsToWrite(kata, module, 'core')
  let text: string
  try {
    text = replaceUnits(sol, dst, toWrite.keys())
  } catch (err) {
    if (err instanceof UnitError) throw new StubError(`${err.message} (named by katas/${kata.name}/kata.yaml)`)
    throw err
  }
  // Helpers only a stubbed function used would give it away; helpers the deep stub keeps are part of the exercise.
  const keep = new Set(unitsOf(dst.file, deep).map((u) => u.name.replace(/^[^.]+\./, '')))
  for (const u of unitsOf(dst.file, deep)) keep.add(u.name)
  text = pruneDeadCode(text, keep)
  text = fieldsOfStubbedConstructors(text, new Set([...toWrite.keys()].filter((n) => n.endsWith('.constructor')).map((n) => n.split('.')[0]!)))
  text = tagTodos(text, kata, sol.file, toWrite)
  return withBanner(text, banner(kata, module, 'core'))
}

/** Every file of `stubs/` as it should be, from `solutions/`, `deep-stubs/` and the katas. */
export function generateCoreStubs(katas: readonly Kata[], roots = { solutions: SOLUTIONS_DIR, deep: DEEP_STUBS_DIR }): Map<string, string> {
  const out = new Map<string, string>()
  for (const kata of katas) {
    for (const module of kata.modules) {
      const sol = path.join(roots.solutions, module)
      const deep = path.join(roots.deep, module)
      if (!existsSync(sol)) throw new StubError(`katas/${kata.name}/kata.yaml: modules: solutions/${module} does not exist`)
      if (!existsSync(deep)) throw new StubError(`katas/${kata.name}/kata.yaml: modules: deep-stubs/${module} does not exist`)
      out.set(module, coreStub(kata, module, readFileSync(sol, 'utf8'), readFileSync(deep, 'utf8')))
    }
  }
  return out
}

/** Files of `stubs/` that differ from what the generator makes (or are missing, or extra). */
export function staleStubs(katas: readonly Kata[], dir = STUBS_DIR): string[] {
  const want = generateCoreStubs(katas)
  const stale = [...want].filter(([m, text]) => !existsSync(path.join(dir, m)) || readFileSync(path.join(dir, m), 'utf8') !== text).map(([m]) => m)
  const extra = filesUnder(dir).filter((m) => m.endsWith('.ts') && !want.has(m))
  return [...stale, ...extra].sort()
}

/** Writes `stubs/`; returns the modules that changed. */
export function writeCoreStubs(katas: readonly Kata[], dir = STUBS_DIR): string[] {
  const changed: string[] = []
  for (const [m, text] of generateCoreStubs(katas)) {
    const file = path.join(dir, m)
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue
    writeFileAtomic(file, text)
    changed.push(m)
  }
  return changed
}
