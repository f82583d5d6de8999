// Does a function's TSDoc state what its checks assert? The learner writes a stubbed
// function from its TSDoc alone, so every error message a check expects from it must be
// written there, word for word (values aside).
//
// How a check's string is tied to a function, without running anything:
//   1. the messages the reference model can produce are read from solutions/: each
//      `new …Error(<text>)`, each error class whose constructor builds its own message
//      (`super(<text>)`), and each field error's detail (`invalid(path, value, <text>)`,
//      `forbidden`, `required`) and each message a validator returns or collects
//      (`return ['must be …']`, `errs.push(`…`)`) — a template of literal words around the values;
//   2. the function that produces it is the one the site sits in, or — for a private
//      helper — the kata's functions that call that helper, directly or not;
//   3. a string literal of a check file that matches a template whole (a field error's
//      detail anywhere in it) is a message that check expects;
//   4. every literal part of the template (each line of it) must appear in the TSDoc of
//      that function, or of its class — for an error class that words its own message,
//      the class's name — in solutions/ (the given code a learner reads) and
//      in deep-stubs/ (the stub a learner fills in; stubs/ is generated with the same TSDoc).
import type TS from 'typescript'
import { ts } from './typescript.ts'
import type { Kata } from './course.ts'
import { unitsOf, type Unit } from './units.ts'

/** A value inside a template: anything may stand there. */
const VALUE = Symbol('value')
type Piece = string | typeof VALUE

export interface Template {
  /** As written, values shown as `…`: `RangeEnd … not in network …`. */
  text: string
  /** What must appear in the TSDoc: the literal parts, one per line of the message, edges trimmed (or the name of the error class that words it). */
  words: string[]
  /** Matches a message of this form: whole, or for a field error's detail, anywhere in the message. */
  pattern: RegExp
  /** How much of it is literal: the most specific template wins when several match. */
  weight: number
}

export interface MessageSite {
  module: string
  /** The unit (units.ts name) the message is produced in. */
  unit: string
  line: number
  template: Template
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A word of three letters or more: a part without one ("", ": ") says nothing of the message. */
const MEANINGFUL = /[A-Za-z]{3,}/

function toTemplate(pieces: Piece[], detail: boolean): Template | undefined {
  const merged: Piece[] = []
  for (const p of pieces) {
    const last = merged[merged.length - 1]
    if (p === VALUE && last === VALUE) continue
    if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p
    else if (p !== '') merged.push(p)
  }
  const literal = merged.filter((p): p is string => typeof p === 'string')
  const words = literal
    .flatMap((p) => p.split('\n'))
    .map((p) => p.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ''))
    .filter((p) => MEANINGFUL.test(p))
  // Too little literal text to tell this message from any other.
  if (!literal.some((p) => /[A-Za-z]{4,}/.test(p))) return undefined
  const body = merged.map((p) => (p === VALUE ? '[\\s\\S]*?' : escape(p))).join('')
  return {
    text: merged.map((p) => (p === VALUE ? '…' : p)).join(''),
    words,
    pattern: new RegExp(detail ? body : `^${body}$`),
    weight: literal.join('').length,
  }
}

/** The pieces of a message expression: literals, template strings, `+`, module constants; anything else is a value. */
function pieces(expr: TS.Expression, consts: ReadonlyMap<string, TS.Expression>, depth = 0): Piece[] {
  if (depth > 5) return [VALUE]
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text]
  if (ts.isTemplateExpression(expr)) return [expr.head.text, ...expr.templateSpans.flatMap((s) => [VALUE, s.literal.text] as Piece[])]
  if (ts.isParenthesizedExpression(expr)) return pieces(expr.expression, consts, depth + 1)
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...pieces(expr.left, consts, depth + 1), ...pieces(expr.right, consts, depth + 1)]
  if (ts.isIdentifier(expr) && consts.has(expr.text)) return pieces(consts.get(expr.text)!, consts, depth + 1)
  return [VALUE]
}

/** A string written in the code: a literal or a template. */
const isText = (e: TS.Node): e is TS.Expression => ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)

/** lib/field/errors.ts constructors and the argument that holds their detail. */
const FIELD_DETAIL: Record<string, number> = { invalid: 2, forbidden: 1, required: 1 }

/** The unit a position lies in: the innermost (units do not nest, but a class's do not overlap). */
const unitAt = (units: readonly Unit[], pos: number): Unit | undefined => units.find((u) => u.start <= pos && pos < u.end)

/** Every message the module can produce, with the unit that produces it. */
export function messageSites(module: string, text: string): MessageSite[] {
  const sf = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const units = unitsOf(module, text)
  const consts = new Map<string, TS.Expression>()
  const classMessage = new Map<string, Template>()
  for (const stmt of sf.statements) {
    if (ts.isVariableStatement(stmt) && stmt.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) consts.set(d.name.text, d.initializer)
    }
  }
  // Error classes that build their own message: `class X extends Error { constructor(op) { super(`…${op}…`) } }`.
  for (const stmt of sf.statements) {
    if (!ts.isClassDeclaration(stmt) || !stmt.name) continue
    const ctor = stmt.members.find(ts.isConstructorDeclaration)
    const call = ctor?.body?.statements
      .map((s) => (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && s.expression.expression.kind === ts.SyntaxKind.SuperKeyword ? s.expression : undefined))
      .find(Boolean)
    const arg = call?.arguments[0]
    const template = arg && toTemplate(pieces(arg, consts), false)
    if (template) classMessage.set(stmt.name.text, template)
  }
  const sites: MessageSite[] = []
  const add = (node: TS.Node, template: Template | undefined) => {
    const unit = unitAt(units, node.getStart(sf))
    if (template && unit) sites.push({ module, unit: unit.name, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, template })
  }
  const visit = (node: TS.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /Error$/.test(node.expression.text)) {
      // A class that words its own message: the function has only to throw it, and its TSDoc to name it.
      const own = classMessage.get(node.expression.text)
      const arg = node.arguments?.[0]
      add(node, own ? { ...own, words: [node.expression.text] } : arg ? toTemplate(pieces(arg, consts), false) : undefined)
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text in FIELD_DETAIL) {
      const arg = node.arguments[FIELD_DETAIL[node.expression.text]!]
      if (arg) add(node, toTemplate(pieces(arg, consts), true))
    } else if (ts.isReturnStatement(node) && node.expression && ts.isArrayLiteralExpression(node.expression)) {
      // A validator's list of messages: `return ['must be between 1 and 65535, inclusive']`.
      for (const e of node.expression.elements) if (isText(e)) add(e, toTemplate(pieces(e, consts), true))
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'push' && /^(errs|errors|msgs|messages)$/.test(node.expression.expression.getText(sf))) {
      for (const e of node.arguments) if (isText(e)) add(e, toTemplate(pieces(e, consts), true))
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return sites
}

/** Which units of the module use which (calls, `new`, callbacks): unit → the units it uses. */
export function uses(module: string, text: string): Map<string, Set<string>> {
  const sf = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const units = unitsOf(module, text)
  const names = new Set(units.map((u) => u.name))
  const byMethod = new Map<string, string[]>()
  for (const n of names) {
    const m = /\.((?:get |set )?[^.]+)$/.exec(n)?.[1]
    if (m) byMethod.set(m, [...(byMethod.get(m) ?? []), n])
  }
  const out = new Map<string, Set<string>>()
  for (const u of units) {
    if (!u.body) continue
    const cls = u.name.includes('.') ? u.name.slice(0, u.name.indexOf('.')) : undefined
    const used = new Set<string>()
    const visit = (node: TS.Node): void => {
      if (ts.isIdentifier(node) && names.has(node.text) && node.text !== u.name) used.add(node.text)
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && names.has(`${node.expression.text}.constructor`)) used.add(`${node.expression.text}.constructor`)
      if (ts.isPropertyAccessExpression(node)) {
        const member = node.name.text
        const receiver = node.expression
        if (receiver.kind === ts.SyntaxKind.ThisKeyword && cls) {
          for (const n of [`${cls}.${member}`, `${cls}.get ${member}`]) if (names.has(n)) used.add(n)
        } else if (ts.isIdentifier(receiver) && names.has(`${receiver.text}.${member}`)) used.add(`${receiver.text}.${member}`)
        else if ((byMethod.get(member) ?? []).length === 1) used.add(byMethod.get(member)![0]!)
      }
      ts.forEachChild(node, visit)
    }
    const node = findNode(sf, u.body.start, u.body.end)
    if (node) visit(node)
    out.set(u.name, used)
  }
  return out
}

function findNode(sf: TS.SourceFile, start: number, end: number): TS.Node | undefined {
  let found: TS.Node | undefined
  const visit = (node: TS.Node): void => {
    if (found) return
    if (node.getStart(sf) === start && node.end === end) found = node
    else if (node.pos <= start && end <= node.end) ts.forEachChild(node, visit)
  }
  visit(sf)
  return found
}

/**
 * The kata functions answerable for a message produced in `unit`: the unit itself when the
 * kata asks for it, else the kata functions that use it, directly or through other helpers.
 */
export function answerable(unit: string, kataFunctions: ReadonlySet<string>, used: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  if (kataFunctions.has(unit)) return [unit]
  const found = new Set<string>()
  const seen = new Set([unit])
  const queue = [unit]
  while (queue.length) {
    const callee = queue.shift()!
    for (const [caller, callees] of used) {
      if (!callees.has(callee) || seen.has(caller)) continue
      seen.add(caller)
      if (kataFunctions.has(caller)) found.add(caller)
      else queue.push(caller)
    }
  }
  return [...found]
}

/** A doc comment as one line of text: the comment markers gone, whitespace collapsed. */
export function docText(comment: string): string {
  return comment
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The doc comment right before `pos` (only whitespace between), as text. */
function docBefore(text: string, pos: number): string {
  const before = text.slice(0, pos).trimEnd()
  if (!before.endsWith('*/')) return ''
  const open = before.lastIndexOf('/**')
  return open < 0 ? '' : docText(before.slice(open))
}

/** Each unit's TSDoc, with its class's TSDoc after it for a class member. */
export function docs(module: string, text: string): Map<string, string> {
  const sf = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const classDoc = new Map<string, string>()
  for (const stmt of sf.statements) if (ts.isClassDeclaration(stmt) && stmt.name) classDoc.set(stmt.name.text, docBefore(text, stmt.getStart(sf)))
  const out = new Map<string, string>()
  for (const u of unitsOf(module, text)) {
    const cls = u.name.includes('.') ? classDoc.get(u.name.slice(0, u.name.indexOf('.'))) : undefined
    out.set(u.name, [docBefore(text, u.start), cls ?? ''].join(' ').replace(/\s+/g, ' ').trim())
  }
  return out
}

export interface CheckString {
  value: string
  line: number
  /** The task whose block holds it (`task('slug', () => …)`), if any. */
  task?: string
}

/** The string literals of a check file (8 characters or more), with the task block each sits in. */
export function checkStrings(file: string, text: string): CheckString[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const out: CheckString[] = []
  const visit = (node: TS.Node, task: string | undefined): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'task' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      task = node.arguments[0].text
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.length >= 8) {
      out.push({ value: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, ...(task ? { task } : {}) })
    }
    ts.forEachChild(node, (c) => visit(c, task))
  }
  visit(sf, undefined)
  return out
}

export interface Mismatch {
  kata: string
  module: string
  /** The functions answerable for the message; none of them documents it. */
  functions: string[]
  /** The tree whose TSDoc lacks it: solutions or deep-stubs. */
  tree: string
  /** The template's literal part missing from the TSDoc. */
  missing: string
  /** The message as the check expects it, and where. */
  message: string
  at: string
}

export interface Trees {
  /** Read a module of a tree (`solutions`, `deep-stubs`); undefined when the tree lacks it. */
  read(tree: 'solutions' | 'deep-stubs', module: string): string | undefined
  /** The check files: name → text. */
  checks: ReadonlyMap<string, string>
}

/** Every message a check expects that the TSDoc of the function producing it does not state. */
export function undocumentedMessages(katas: readonly Kata[], trees: Trees): Mismatch[] {
  interface Site extends MessageSite {
    kata: Kata
    answerable: string[]
  }
  const sites: Site[] = []
  const docsOf = new Map<string, Map<string, string>>()
  for (const kata of katas) {
    for (const module of kata.modules) {
      const text = trees.read('solutions', module)
      if (text === undefined) continue
      const kataFunctions = new Set(kata.tasks.flatMap((t) => t.write.filter((f) => f.module === module).map((f) => f.name)))
      const used = uses(module, text)
      for (const s of messageSites(module, text)) sites.push({ ...s, kata, answerable: answerable(s.unit, kataFunctions, used) })
      for (const tree of ['solutions', 'deep-stubs'] as const) {
        const t = trees.read(tree, module)
        if (t !== undefined) docsOf.set(`${tree}/${module}`, docs(module, t))
      }
    }
  }
  const found = new Map<string, Mismatch>()
  for (const [file, text] of trees.checks) {
    // A check relies on its own kata and the given code of earlier ones, never on a later kata.
    const kata = katas.find((k) => file === `checks/${k.name}.check.ts`)
    if (!kata) continue
    const mine = sites.filter((s) => s.answerable.length > 0 && s.kata.id <= kata.id)
    for (const s of checkStrings(file, text)) {
      let matches = mine.filter((site) => site.template.pattern.test(s.value))
      if (matches.length === 0) continue
      // Its own kata's messages first; within the kata, the functions of the task the check is in.
      const same = matches.filter((m) => m.kata === kata)
      if (same.length) matches = same
      const task = kata.tasks.find((t) => t.slug === s.task)
      const ofTask = (m: Site) => m.answerable.filter((f) => task?.write.some((w) => w.module === m.module && w.name === f))
      const narrowed = matches.filter((m) => ofTask(m).length > 0).map((m) => ({ ...m, answerable: ofTask(m) }))
      if (narrowed.length) matches = narrowed
      // The most specific template is the message's own ("found '…', expected: !, identifier, …" over "found '…', expected: …").
      const weight = Math.max(...matches.map((m) => m.template.weight))
      matches = matches.filter((m) => m.template.weight === weight)
      for (const tree of ['solutions', 'deep-stubs'] as const) {
        const missing = (m: Site): string[] => {
          const d = docsOf.get(`${tree}/${m.module}`)
          if (!d) return []
          const best = m.answerable.map((f) => m.template.words.filter((w) => !d.get(f)?.includes(w.replace(/\s+/g, ' '))))
          return best.reduce((a, b) => (b.length < a.length ? b : a))
        }
        // Documented when some function that can produce it states every literal part of it.
        if (matches.some((m) => missing(m).length === 0)) continue
        const m = matches[0]!
        for (const want of missing(m)) {
          const key = `${tree}/${m.module}:${m.answerable.join(',')}:${want}`
          if (!found.has(key)) found.set(key, { kata: m.kata.id, module: m.module, functions: m.answerable, tree, missing: want.replace(/\s+/g, ' '), message: s.value, at: `${file}:${s.line}` })
        }
      }
    }
  }
  return [...found.values()]
}

export interface DocExample {
  /** The unit the TSDoc belongs to. */
  unit: string
  line: number
  /** The call: `isValidPortNum(0)`. */
  code: string
  /** What the comment says it gives: `['must be between 1 and 65535, inclusive']`. */
  expected: string
}

/** The `@example call // result` lines of each unit's TSDoc (the result may continue on `//` lines below). */
export function docExamples(module: string, text: string): DocExample[] {
  const out: DocExample[] = []
  for (const u of unitsOf(module, text)) {
    const before = text.slice(0, u.start).trimEnd()
    if (!before.endsWith('*/')) continue
    const open = before.lastIndexOf('/**')
    const first = before.slice(0, open).split('\n').length
    const doc = before.slice(open).split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ''))
    for (let i = 0; i < doc.length; i++) {
      if (!doc[i]!.startsWith('@example ')) continue
      const block = [doc[i]!.slice('@example '.length)]
      for (let j = i + 1; j < doc.length && !doc[j]!.trimStart().startsWith('@') && doc[j]!.trim() !== ''; j++) block.push(doc[j]!.trim())
      const joined = block.join('\n')
      const cut = joined.indexOf('//')
      if (cut < 0) continue
      const code = joined.slice(0, cut).trim()
      const expected = joined
        .slice(cut)
        .split('\n')
        .map((l) => l.replace(/^\/\/\s?/, ''))
        .join(' ')
        .trim()
      out.push({ unit: u.name, line: first + i, code, expected })
    }
  }
  return out
}
