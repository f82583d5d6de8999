// Rewrites the text of code blocks in place (`npm run lessons -- --update`):
// only the lines between a block's fences change, every other byte stays.
import type { CodeBlock } from './blocks.ts'
import type { Problem } from './problem.ts'

export interface BlockEdit {
  block: CodeBlock
  /** The new lines between the fences, without a trailing newline. */
  content: string
  /** The problem the edit resolves. */
  fixes: Problem
}

/** Applies edits to a lesson's text; blocks must be closed fences, and edits must not overlap. */
export function applyEdits(text: string, edits: readonly BlockEdit[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const lines = text.split(eol)
  // Bottom-up, so that earlier blocks keep their line numbers.
  for (const { block, content } of [...edits].sort((x, y) => y.block.line - x.block.line)) {
    if (!block.closed) continue
    const first = block.contentLine - 1
    const closing = block.endLine - 1
    lines.splice(first, closing - first, ...(content === '' ? [] : content.split('\n')))
  }
  return lines.join(eol)
}
