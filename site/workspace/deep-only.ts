// Which of a check file's support modules only the deep track needs.
//
// The browser workspace is the core path: until the core tasks are green, the check
// worker runs the core tasks only (the deep tasks test the given code, and their
// failures are reported only once the core is green). A support module whose every
// imported name is used inside deep tasks' `task(slug, …)` blocks — a deep task's row
// tables — is then dead weight in the first download, so the first checks bundle
// leaves it out and a second, whole bundle is fetched once the core is green.
//
// Read with the TypeScript compiler: a name counts as used in a deep task when the
// identifier lies inside the call `task('<deep slug>', …)` at the check file's top
// level. Any other use, or a name never used, keeps the module in the first bundle.
// The first bundle's check file has those calls blanked out too: a run of it skips the
// deep tasks anyway.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type * as TS from 'typescript'
import type { Kata } from '../../harness/course.ts'

/** What the first checks bundle of a kata leaves out. */
export interface DeepOnly {
  /** The deep tasks' `task(…)` statements of the check file: [start, end) offsets in its text. */
  spans: [number, number][]
  /** Absolute paths of the support modules only those statements use. */
  modules: Set<string>
}

/** The check file's text without the deep tasks' blocks: each blanked out line for line, so every other line keeps its number. */
export function withoutDeepTasks(text: string, spans: readonly [number, number][]): string {
  let out = ''
  let at = 0
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    out += text.slice(at, from) + text.slice(from, to).replace(/[^\n]/g, '')
    at = to
  }
  return out + text.slice(at)
}

/** The deep tasks of `kata` in `checkFile`, and the support modules only they use. */
export async function deepOnly(kata: Kata, checkFile: string): Promise<DeepOnly> {
  const ts = (await import('typescript')).default
  const source = ts.createSourceFile(checkFile, readFileSync(checkFile, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const deep = new Set(kata.tasks.filter((t) => t.track === 'deep').map((t) => t.slug))

  // The spans of the deep tasks' blocks: `task('slug', () => { … })` statements.
  const deepSpans: [number, number][] = []
  for (const st of source.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isCallExpression(st.expression)) continue
    const call = st.expression
    const [slug] = call.arguments
    if (ts.isIdentifier(call.expression) && call.expression.text === 'task' && slug && ts.isStringLiteral(slug) && deep.has(slug.text)) {
      deepSpans.push([call.getStart(source), call.getEnd()])
    }
  }

  // What each support module gives the file: local name → module path.
  const importedFrom = new Map<string, string>()
  const imports: TS.ImportDeclaration[] = []
  for (const st of source.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue
    const spec = st.moduleSpecifier.text
    if (!spec.startsWith('./support/')) continue
    imports.push(st)
    const file = path.resolve(path.dirname(checkFile), spec)
    const bindings = st.importClause?.namedBindings
    if (st.importClause?.name) importedFrom.set(st.importClause.name.text, file)
    if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) importedFrom.set(el.name.text, file)
    if (bindings && ts.isNamespaceImport(bindings)) importedFrom.set(bindings.name.text, file)
  }

  // Every use of those names outside the import declarations: inside a deep task or not.
  const usedOutside = new Set<string>()
  const usedInDeep = new Set<string>()
  const visit = (node: TS.Node): void => {
    if (imports.includes(node as TS.ImportDeclaration)) return
    if (ts.isIdentifier(node)) {
      const file = importedFrom.get(node.text)
      if (file) {
        const at = node.getStart(source)
        if (deepSpans.some(([from, to]) => at >= from && at < to)) usedInDeep.add(file)
        else usedOutside.add(file)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { spans: deepSpans, modules: new Set([...usedInDeep].filter((f) => !usedOutside.has(f))) }
}
