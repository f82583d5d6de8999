// The functions of a model module, found by name in its source text.
//
// A kata asks the learner for some functions of a module and gives the rest.
// Which is which is said by name in `kata.yaml` (`labels/selector.ts:
// [Requirement.matches]`), so the tools need to find a function by that name
// in a file and swap it for the same function of another version of the file:
// the stub generator (a solution with the learner's functions stubbed), the
// deep track (given functions stubbed too), the grader (the learner's functions
// laid into the pristine given code). All of that is this one operation on the
// TypeScript syntax tree; the text around a function is left byte for byte.
import type TS from 'typescript'
import { ts } from './typescript.ts'

/** A function-like declaration: `f`, `Class.method`, `Class.constructor`, `Class.get x`. */
export interface Unit {
  name: string
  /** Start of the declaration (after its doc comment) and its end, as offsets into the text. */
  start: number
  end: number
  /** The body, braces included; undefined for an overload or abstract signature. */
  body?: { start: number; end: number }
  exported: boolean
  /** `private` class members and top-level functions that are not exported. */
  internal: boolean
}

export class UnitError extends Error {
  override name = 'UnitError'
}

function parse(file: string, text: string): TS.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
}

const hasModifier = (node: TS.Node, kind: TS.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind)

function memberName(member: TS.ClassElement, sf: TS.SourceFile): string | undefined {
  if (ts.isConstructorDeclaration(member)) return 'constructor'
  const n = member.name
  if (!n) return undefined
  const text = ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) ? n.text : n.getText(sf)
  if (ts.isGetAccessorDeclaration(member)) return `get ${text}`
  if (ts.isSetAccessorDeclaration(member)) return `set ${text}`
  return text
}

function unit(node: TS.Node, sf: TS.SourceFile, name: string, body: TS.Node | undefined, exported: boolean, internal: boolean): Unit {
  const u: Unit = { name, start: node.getStart(sf), end: node.end, exported, internal }
  if (body) u.body = { start: body.getStart(sf), end: body.end }
  return u
}

/**
 * The last texts parsed, by file and text: the tools ask about the same file
 * several times in a row (the grader compares, then restores, a learner's module
 * against the same pristine module), and a parse costs far more than a lookup.
 */
const parsed = new Map<string, readonly Unit[]>()
const PARSED_KEPT = 64

/** Every function-like declaration at the top level of a module and in its classes, in source order. */
export function unitsOf(file: string, text: string): Unit[] {
  const key = `${file}\0${text}`
  let units = parsed.get(key)
  if (!units) {
    units = parseUnits(file, text)
    if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!)
    parsed.set(key, units)
  }
  return units.map((u) => ({ ...u, ...(u.body ? { body: { ...u.body } } : {}) }))
}

function parseUnits(file: string, text: string): Unit[] {
  const sf = parse(file, text)
  const units: Unit[] = []
  for (const stmt of sf.statements) {
    const exported = hasModifier(stmt, ts.SyntaxKind.ExportKeyword)
    if (ts.isFunctionDeclaration(stmt) && stmt.name) {
      // Overload signatures have no body; the implementation is the unit.
      if (stmt.body) units.push(unit(stmt, sf, stmt.name.text, stmt.body, exported, !exported))
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        const init = d.initializer
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          // The whole statement is the unit when it declares one name, so `export const f = …` moves whole.
          const node = stmt.declarationList.declarations.length === 1 ? stmt : d
          units.push(unit(node, sf, d.name.text, init.body, exported, !exported))
        }
      }
    } else if (ts.isClassDeclaration(stmt) && stmt.name) {
      const cls = stmt.name.text
      for (const m of stmt.members) {
        if (!(ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m))) continue
        if (!m.body) continue
        const name = memberName(m, sf)
        if (!name) continue
        const internal = hasModifier(m, ts.SyntaxKind.PrivateKeyword) || (m.name !== undefined && ts.isPrivateIdentifier(m.name))
        units.push(unit(m, sf, `${cls}.${name}`, m.body, exported, internal))
      }
    }
  }
  return units
}

/** The units of a file by name; a name declared twice is an error (it could not be swapped safely). */
export function unitMap(file: string, text: string): Map<string, Unit> {
  const map = new Map<string, Unit>()
  for (const u of unitsOf(file, text)) {
    if (map.has(u.name)) throw new UnitError(`${file}: ${u.name} is declared twice`)
    map.set(u.name, u)
  }
  return map
}

/** The source text of a unit. */
export const unitText = (text: string, u: Unit): string => text.slice(u.start, u.end)

/**
 * `target` with each named unit replaced by the same unit of `source`.
 * Throws `UnitError` naming the file when a unit is missing from either side.
 */
export function replaceUnits(
  target: { file: string; text: string },
  source: { file: string; text: string },
  names: Iterable<string>,
): string {
  const to = unitMap(target.file, target.text)
  const from = unitMap(source.file, source.text)
  const edits: { start: number; end: number; text: string }[] = []
  for (const name of names) {
    const t = to.get(name)
    const s = from.get(name)
    if (!t) throw new UnitError(`${target.file}: no function ${name}`)
    if (!s) throw new UnitError(`${source.file}: no function ${name}`)
    edits.push({ start: t.start, end: t.end, text: unitText(source.text, s) })
  }
  return applyEdits(target.text, edits)
}

export function applyEdits(text: string, edits: readonly { start: number; end: number; text: string }[]): string {
  let out = text
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end)
  return out
}

/**
 * Lines that hold code, not only comments or blanks: the measure of how much a
 * learner writes. A token spanning lines (a template string) counts each line.
 */
export function codeLines(text: string): number {
  const sf = parse('lines.ts', text)
  const lines = new Set<number>()
  const visit = (node: TS.Node): void => {
    // Doc comments are children of the nodes they document; they are not code.
    if (node.kind === ts.SyntaxKind.EndOfFileToken || (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode)) return
    const children = node.getChildren(sf)
    if (children.length === 0) {
      const from = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line
      const to = sf.getLineAndCharacterOfPosition(Math.max(node.getStart(sf), node.end - 1)).line
      for (let l = from; l <= to; l++) lines.add(l)
      return
    }
    children.forEach(visit)
  }
  visit(sf)
  return lines.size
}
