// The editor: CodeMirror 6 with TypeScript highlighting in the site's colours, one
// editor state per file (so each keeps its own undo history), the learner's files
// editable and the given code read only. A name can be followed to where it is
// declared — Ctrl/⌘-click it or press F12 — in this file or in the given code; an
// error of the checks marks its line.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands'
import { typescriptLanguage } from '@codemirror/lang-javascript'
import { bracketMatching, indentOnInput, LanguageSupport, syntaxHighlighting } from '@codemirror/language'
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint'
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search'
import { EditorSelection, EditorState, type Extension } from '@codemirror/state'
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view'
import { siteTagHighlighter as highlighter } from '../../highlight-tags.ts'
import { type Declaration, declarations, findDeclaration } from './names.ts'

export type FileKind = 'mine' | 'given' | 'solution'

export interface EditorFile {
  /** Shown and used as the key: `labels/selector.ts`, `lib/field/path.ts`, `solution: labels/selector.ts`. */
  id: string
  kind: FileKind
  text: string
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13.5px', color: 'var(--hl-foreground, var(--text))', backgroundColor: 'var(--bg)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-gutters': { backgroundColor: 'var(--bg-soft)', color: 'var(--text-2)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--accent-soft)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-mute)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: 'rgba(9, 105, 218, .22)' },
  '.cm-jump-target': { textDecoration: 'underline', cursor: 'pointer' },
})

export interface EditorOptions {
  host: HTMLElement
  /** A learner's file changed. */
  onChange(id: string, text: string): void
  /** Ctrl/⌘-S in the editor. */
  onSave(): void
  /** The file shown changed (by a tab, a jump). */
  onShow(id: string): void
}

export class Editor {
  readonly view: EditorView
  private readonly states = new Map<string, EditorState>()
  private readonly kinds = new Map<string, FileKind>()
  private current = ''

  constructor(private readonly opts: EditorOptions) {
    this.view = new EditorView({
      parent: opts.host,
      dispatchTransactions: (trs, view) => {
        view.update(trs)
        if (trs.some((tr) => tr.docChanged) && this.kinds.get(this.current) === 'mine') opts.onChange(this.current, view.state.doc.toString())
      },
    })
  }

  private extensions(kind: FileKind, label: string): Extension[] {
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      // The language alone: javascript()'s completions need an autocompletion extension this editor leaves out.
      new LanguageSupport(typescriptLanguage),
      syntaxHighlighting(highlighter),
      lintGutter(),
      theme,
      EditorState.tabSize.of(2),
      EditorState.readOnly.of(kind !== 'mine'),
      // Focusable in both kinds, so the keyboard reaches read-only code and can scroll it.
      EditorView.contentAttributes.of({ 'aria-label': `${label}${kind === 'mine' ? '' : ' (read only)'}`, tabindex: '0' }),
      keymap.of([
        { key: 'Mod-s', preventDefault: true, run: () => (this.opts.onSave(), true) },
        { key: 'F12', run: (v) => this.followName(v.state.selection.main.head) },
        ...defaultKeymap,
        ...historyKeymap,
        ...searchKeymap,
        indentWithTab,
      ]),
      EditorView.domEventHandlers({
        mousedown: (e, v) => {
          if (!(e.ctrlKey || e.metaKey) || e.button !== 0) return false
          const pos = v.posAtCoords({ x: e.clientX, y: e.clientY })
          if (pos === null) return false
          e.preventDefault()
          return this.followName(pos)
        },
      }),
    ]
  }

  /** Adds or replaces a file; its edits and undo history are kept while it stays. */
  setFile(file: EditorFile): void {
    this.kinds.set(file.id, file.kind)
    const old = this.states.get(file.id)
    if (old && old.doc.toString() === file.text) return
    const state = EditorState.create({ doc: file.text, extensions: this.extensions(file.kind, file.id) })
    this.states.set(file.id, state)
    if (this.current === file.id) this.view.setState(state)
  }

  has(id: string): boolean {
    return this.states.has(id)
  }

  /** Shows a file; keeps the state of the one it replaces. */
  show(id: string): void {
    if (id === this.current) return
    if (this.current) this.states.set(this.current, this.view.state)
    const state = this.states.get(id)
    if (!state) return
    this.current = id
    this.view.setState(state)
    this.opts.onShow(id)
  }

  get shown(): string {
    return this.current
  }

  text(id: string): string | undefined {
    return id === this.current ? this.view.state.doc.toString() : this.states.get(id)?.doc.toString()
  }

  /** Shows `id` with the cursor at `pos` (or line `line`), scrolled into view, and focuses the editor. */
  reveal(id: string, where: { pos?: number; line?: number }): void {
    this.show(id)
    const doc = this.view.state.doc
    const pos = where.pos ?? doc.line(Math.min(Math.max(where.line ?? 1, 1), doc.lines)).from
    this.view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) })
    this.view.focus()
  }

  /** The names declared in each file. */
  declarations(id: string): Declaration[] {
    const text = this.text(id)
    return text === undefined ? [] : declarations(text)
  }

  /** Jumps from the name at `pos` to its declaration: this file first, then the learner's, then the given code. */
  followName(pos: number): boolean {
    const word = this.view.state.wordAt(pos)
    if (!word) return false
    const name = this.view.state.sliceDoc(word.from, word.to)
    const order = [this.current, ...[...this.kinds].filter(([id, k]) => id !== this.current && k === 'mine').map(([id]) => id), ...[...this.kinds].filter(([id, k]) => id !== this.current && k === 'given').map(([id]) => id)]
    for (const id of order) {
      const d = findDeclaration(this.declarations(id), name)
      if (d && !(id === this.current && d.at === word.from)) {
        this.reveal(id, { pos: d.at })
        return true
      }
    }
    return false
  }

  /** Marks a line of a file as where the checks found an error (cleared with `undefined`). */
  mark(id: string, line: number | undefined, message: string): void {
    for (const [fid, state] of this.states) {
      const live = fid === this.current ? this.view.state : state
      const diagnostics: Diagnostic[] = []
      if (fid === id && line !== undefined && line >= 1 && line <= live.doc.lines) {
        const l = live.doc.line(line)
        diagnostics.push({ from: l.from, to: l.to, severity: 'error', message })
      }
      const tr = live.update(setDiagnostics(live, diagnostics))
      if (fid === this.current) this.view.dispatch(tr)
      else this.states.set(fid, tr.state)
    }
  }
}
