// The source of a check, for the `test_code` field of Exercism's results.json:
// the body of the `test(…)` (or `table(…)`, `cases(…)`) call written at the check's line
// in the pristine check file. Table-driven checks share one body, run for each row.
import { readFileSync } from 'node:fs'
import type TS from 'typescript'
import { typescript } from './typescript.ts'

const cache = new Map<string, TS.SourceFile>()

// `table(rows, body)` and `cases(rows, title, body)` are checks/support/table.ts: one test
// per row, one body for all.
const TEST_CALLS = new Set(['test', 'it', 'table', 'cases'])

function calleeName(e: TS.Expression): string | undefined {
  const ts = typescript()
  // test(…), test.each(rows)(…), test.skip(…)
  if (ts.isIdentifier(e)) return e.text
  if (ts.isPropertyAccessExpression(e)) return calleeName(e.expression)
  if (ts.isCallExpression(e)) return calleeName(e.expression)
  return undefined
}

/** The check's body at `line` (1-based) of `file`, or '' when none is found there. */
export function testCode(file: string, line: number | undefined, name?: string): string {
  if (!line) return ''
  const ts = typescript()
  let source = cache.get(file)
  if (!source) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
    cache.set(file, source)
  }
  const sf = source
  let found: TS.CallExpression | undefined
  const visit = (node: TS.Node): void => {
    if (found) return
    if (ts.isCallExpression(node) && TEST_CALLS.has(calleeName(node.expression) ?? '')) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
      if (start === line && node.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a) || ts.isIdentifier(a))) {
        found = node
        return
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  // The body is the last function given (`cases(rows, (r) => title, body)`; a timeout may follow it).
  const body = found?.arguments.filter((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a) || ts.isIdentifier(a)).at(-1)
  if (!body) return ''
  // `table(rows, checkCustom)`: the body is a function of the file, named.
  if (ts.isIdentifier(body)) return declarationOf(sf, body.text)?.getText(sf) ?? ''
  return (name && forwardedBody(sf, body, name)) || body.getText(sf)
}

/**
 * A local table wrapper — `function table(rows, body) { for (const c of rows) test(c.name, () => body(c)) }` —
 * puts every row's check at the wrapper's line. The code that runs is the body given
 * to the `table(…)` call whose rows name this check: found by the check's name.
 */
function forwardedBody(sf: TS.SourceFile, fn: TS.Expression, name: string): string | undefined {
  const ts = typescript()
  if (!ts.isArrowFunction(fn) || !ts.isCallExpression(fn.body) || !ts.isIdentifier(fn.body.expression)) return undefined
  const param = fn.body.expression.text
  let wrapper: TS.Node | undefined = fn.parent
  while (wrapper && !ts.isFunctionDeclaration(wrapper)) wrapper = wrapper.parent
  if (!wrapper || !ts.isFunctionDeclaration(wrapper) || !wrapper.name) return undefined
  const index = wrapper.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === param)
  if (index < 0) return undefined
  const wrapperName = wrapper.name.text
  const literal = [name, JSON.stringify(name).slice(1, -1), name.replace(/'/g, "\\'")]
  // Rows are often a constant declared before the call: `const cases = [...]; table(cases, …)`.
  const decls: { name: string; pos: number; text: string }[] = []
  const collect = (node: TS.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      decls.push({ name: node.name.text, pos: node.pos, text: node.initializer.getText(sf) })
    }
    ts.forEachChild(node, collect)
  }
  collect(sf)
  const rowsText = (call: TS.CallExpression): string =>
    call.arguments
      .filter(ts.isIdentifier)
      .map((id) => decls.filter((d) => d.name === id.text && d.pos < call.pos).at(-1)?.text ?? '')
      .join('\n')
  let match: string | undefined
  const visit = (node: TS.Node): void => {
    if (match) return
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === wrapperName) {
      const text = `${node.getText(sf)}\n${rowsText(node)}`
      const arg = node.arguments[index]
      if (arg && literal.some((l) => text.includes(l))) {
        match = arg.getText(sf)
        return
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return match
}

/** A function declared at the top of the file by name: `function f(…)` or `const f = (…) => …`. */
function declarationOf(sf: TS.SourceFile, name: string): TS.Node | undefined {
  const ts = typescript()
  for (const stmt of sf.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === name) return stmt
    if (ts.isVariableStatement(stmt)) {
      const d = stmt.declarationList.declarations.find((x) => ts.isIdentifier(x.name) && x.name.text === name)
      if (d?.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) return stmt
    }
  }
  return undefined
}
