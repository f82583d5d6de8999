// Tables scroll sideways inside their own box on a narrow screen instead of widening the
// page; the box is a region a keyboard can scroll, named after the table's columns.
import type { MarkdownIt, Token } from 'markdown-it'
import { escapeHtml } from '../html.ts'

/** `Table: kind, where, why` from the header row that follows `table_open`. */
function tableName(tokens: Token[], idx: number): string {
  const headers: string[] = []
  for (let i = idx + 1; i < tokens.length && tokens[i]!.type !== 'thead_close' && tokens[i]!.type !== 'tbody_open'; i++) {
    if (tokens[i]!.type === 'inline') headers.push((tokens[i]!.children ?? []).map((t) => t.content).join(''))
  }
  return headers.length ? `Table: ${headers.join(', ')}` : 'Table'
}

export function tablesPlugin(md: MarkdownIt): void {
  md.renderer.rules.table_open = (tokens, idx, options, _env, self) =>
    `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(tableName(tokens, idx))}">${self.renderToken(tokens, idx, options)}`
  md.renderer.rules.table_close = (tokens, idx, options, _env, self) => `${self.renderToken(tokens, idx, options)}</div>`
}
