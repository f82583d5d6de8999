// Dead code after a function was stubbed: the helpers only it used.
//
// When the generator stubs a core function, the private helpers that only that
// function called would give the answer away: they go, and nothing else does. A
// helper the given code still calls stays, and so do the imports: the learner
// sees at the top of the file what there is to use.
import type TS from 'typescript'
import { ts } from './typescript.ts'
import { applyEdits } from './units.ts'

function parse(text: string): TS.SourceFile {
  return ts.createSourceFile('prune.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
}

const isExported = (node: TS.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

const isPrivate = (m: TS.ClassElement): boolean =>
  (ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword)) ||
  (m.name !== undefined && ts.isPrivateIdentifier(m.name))

/** How often each identifier name occurs in the file, outside `skip` ranges. */
function identifierCounts(sf: TS.SourceFile, skip: (node: TS.Node) => boolean): Map<string, number> {
  const counts = new Map<string, number>()
  const visit = (node: TS.Node): void => {
    if (skip(node)) return
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1)
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return counts
}

/** The start of a declaration's own leading comment (its doc comment), so it goes with it. */
function removalRange(sf: TS.SourceFile, node: TS.Node): { start: number; end: number } {
  const text = sf.text
  let start = node.getStart(sf)
  const comments = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []
  // Only comments that touch the declaration (no blank line between) belong to it.
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i]!
    if (/\n\s*\n/.test(text.slice(c.end, start))) break
    start = c.pos
  }
  // Take the indentation before and one blank line after, so no gap is left behind.
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--
  let end = node.end
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++
  if (text[end] === '\n') end++
  if (text[end] === '\n' && (start === 0 || text[start - 1] === '\n') && text[start - 2] === '\n') end++
  return { start, end }
}

/**
 * Removes top-level functions and private methods that nothing references and
 * that `keep` does not name. Repeats until nothing more can go (a helper of a helper).
 */
export function pruneDeadCode(text: string, keep: ReadonlySet<string>): string {
  for (;;) {
    const sf = parse(text)
    const edits: { start: number; end: number; text: string }[] = []
    const declared: { name: string; node: TS.Node }[] = []
    for (const stmt of sf.statements) {
      if (ts.isFunctionDeclaration(stmt) && stmt.name && !isExported(stmt) && !keep.has(stmt.name.text)) declared.push({ name: stmt.name.text, node: stmt })
      if (ts.isClassDeclaration(stmt) && stmt.name) {
        for (const m of stmt.members) {
          if (!(ts.isMethodDeclaration(m) && m.name && isPrivate(m))) continue
          const name = (m.name as TS.Identifier).text
          if (!keep.has(`${stmt.name.text}.${name}`)) declared.push({ name, node: m })
        }
      }
    }
    for (const d of declared) {
      const uses = identifierCounts(sf, (n) => n === d.node || ts.isImportDeclaration(n)).get(d.name) ?? 0
      if (uses === 0) edits.push({ ...removalRange(sf, d.node), text: '' })
    }
    if (edits.length === 0) break
    text = applyEdits(text, edits)
  }
  return text
}
