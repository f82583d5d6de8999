// The names a module declares, where it declares them: for the outline beside the
// editor ("click a name to jump to it") and for jumping from a name used in the
// code to its declaration, in this file or in the given code. Read from the
// TypeScript syntax tree of CodeMirror's own parser, as kata.yaml spells names:
// `parse`, `Requirement`, `Requirement.matches`, `Requirement.get x`.
import { typescriptLanguage } from '@codemirror/lang-javascript'
import type { SyntaxNode } from '@lezer/common'

export interface Declaration {
  /** `f`, `Class`, `Class.method`, `Class.get x`. */
  name: string
  /** Offset of the declared identifier. */
  at: number
  kind: 'function' | 'class' | 'method' | 'const' | 'type'
  exported: boolean
}

const tsParser = typescriptLanguage.parser

const text = (src: string, n: SyntaxNode | null) => (n ? src.slice(n.from, n.to) : '')

function members(src: string, cls: string, body: SyntaxNode, out: Declaration[]): void {
  for (let m = body.firstChild; m; m = m.nextSibling) {
    if (m.name !== 'MethodDeclaration') continue
    const name = m.getChild('PropertyDefinition')
    if (!name) continue
    const accessor = m.getChild('get') ? 'get ' : m.getChild('set') ? 'set ' : ''
    out.push({ name: `${cls}.${accessor}${text(src, name)}`, at: name.from, kind: 'method', exported: false })
  }
}

/** Every top-level declaration of `src` and every method of its classes, in source order. */
export function declarations(src: string): Declaration[] {
  const out: Declaration[] = []
  const top = tsParser.parse(src).topNode
  for (let stmt = top.firstChild; stmt; stmt = stmt.nextSibling) {
    const exported = stmt.name === 'ExportDeclaration'
    const decl = exported ? stmt.lastChild : stmt
    if (!decl) continue
    switch (decl.name) {
      case 'FunctionDeclaration': {
        const name = decl.getChild('VariableDefinition')
        if (name) out.push({ name: text(src, name), at: name.from, kind: 'function', exported })
        break
      }
      case 'ClassDeclaration': {
        const name = decl.getChild('VariableDefinition')
        const body = decl.getChild('ClassBody')
        if (!name) break
        out.push({ name: text(src, name), at: name.from, kind: 'class', exported })
        if (body) members(src, text(src, name), body, out)
        break
      }
      case 'VariableDeclaration':
        for (const name of decl.getChildren('VariableDefinition')) out.push({ name: text(src, name), at: name.from, kind: 'const', exported })
        break
      case 'InterfaceDeclaration':
      case 'TypeAliasDeclaration':
      case 'EnumDeclaration': {
        const name = decl.getChild('TypeDefinition') ?? decl.getChild('VariableDefinition')
        if (name) out.push({ name: text(src, name), at: name.from, kind: 'type', exported })
        break
      }
    }
  }
  return out
}

/** A declaration of `word` in `decls`: a top-level name first, then a method of that name. */
export function findDeclaration(decls: readonly Declaration[], word: string): Declaration | undefined {
  return decls.find((d) => d.name === word) ?? decls.find((d) => d.kind === 'method' && d.name.replace(/^.*\.(get |set )?/, '') === word)
}
