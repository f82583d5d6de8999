// A try-it block's `$ command` line, coloured without a shell grammar: the program,
// its flags, quoted strings and URLs. The lines are one command each
// (docs/lesson-format.md), and skipping shiki's shell grammar saves most of its start-up.
import { escapeHtml } from './html.ts'

const TOKEN = /("[^"]*"|'[^']*'|\s+|[^\s]+)/g

export function highlightCommand(command: string): string {
  let first = true
  return (command.match(TOKEN) ?? [])
    .map((token) => {
      if (/^\s+$/.test(token)) return token
      const text = escapeHtml(token)
      let cls = ''
      if (first) cls = 'hl-function'
      else if (/^["']/.test(token) || /^https?:\/\//.test(token)) cls = 'hl-string'
      else if (/^--?[A-Za-z]/.test(token)) cls = 'hl-constant'
      else if (/^(\||\|\||&&|>|>>|<|;)$/.test(token)) cls = 'hl-keyword'
      first = false
      return cls ? `<span class="${cls}">${text}</span>` : text
    })
    .join('')
}
