// TypeScript code blocks, coloured by lezer's TypeScript parser (the one the workspace's
// editor runs) instead of shiki's TextMate grammar: a lesson's TypeScript then looks as
// it does in the editor, and parsing a block costs a few milliseconds where the
// grammar's 2,058 regular expressions cost about 0.4 ms a line. Loaded only when a block
// must be highlighted: a build served from the cache never loads it.
import { parser } from '@lezer/javascript'
import { highlightCode } from '@lezer/highlight'
import { type ClassedLine, siteTagHighlighter } from './highlight-tags.ts'

const typescript = parser.configure({ dialect: 'ts' })

/** The block's lines, each as its runs of text with their classes. */
export function highlightTypeScript(code: string): ClassedLine[] {
  const lines: ClassedLine[] = [[]]
  highlightCode(
    code,
    typescript.parse(code),
    siteTagHighlighter,
    (text, cls) => lines.at(-1)!.push([text, cls]),
    () => lines.push([]),
  )
  return lines
}
