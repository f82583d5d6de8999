// Command lines as a POSIX shell splits them into words: the lessons' `$ katas …`
// lines and the simulator's transcripts are both written that way. shell-quote
// does the splitting; this file adds what a command line of the simulator may not
// hold (operators, unterminated quotes), as errors.
import { parse } from 'shell-quote'

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError'
}

/**
 * The line as shell-quote should see it, and the quote left open at its end, if any:
 * 1. shell-quote drops an unmatched quote silently, and a command that lost its
 *    quote runs as a different command, so an open quote is reported;
 * 2. a `#` starts a comment only at the start of a word, as in a POSIX shell
 *    (shell-quote takes one anywhere, which would cut `http://x/#top` short), so
 *    the line ends there and any other unquoted `#` is escaped.
 */
function scan(line: string): { line: string; open: 'single' | 'double' | undefined } {
  let quote: '"' | "'" | undefined
  let out = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote === "'") {
      if (c === "'") quote = undefined
    } else if (c === '\\') {
      out += c + (line[i + 1] ?? '')
      i++
      continue
    } else if (quote === '"') {
      if (c === '"') quote = undefined
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '#') {
      if (i === 0 || /\s/.test(line[i - 1]!)) break
      out += '\\#'
      continue
    }
    out += c
  }
  return { line: out, open: quote === "'" ? 'single' : quote === '"' ? 'double' : undefined }
}

/**
 * Splits a command line the way a POSIX shell does: whitespace separates words;
 * `'…'` keeps everything; `"…"` keeps all but `\"`, `\\` and `\$`; outside quotes
 * `\x` is `x`; `#` at the start of a word starts a comment. Nothing is expanded:
 * `$NAME` and `*` stay as written. Operators (`|`, `;`, `&&`, `>`, …) are an error: one command per line.
 */
export function shellSplit(line: string): string[] {
  const scanned = scan(line)
  if (scanned.open) throw new ShellSyntaxError(`unterminated ${scanned.open} quote`)
  const words: string[] = []
  for (const entry of parse(scanned.line, (name) => `$${name}`)) {
    if (typeof entry === 'string') words.push(entry)
    else if ('comment' in entry) break
    else if (entry.op === 'glob') words.push(entry.pattern)
    else throw new ShellSyntaxError(`"${entry.op}" is a shell operator: a command line here is one command, without pipes, redirects or lists (quote it to pass it as a word)`)
  }
  return words
}
