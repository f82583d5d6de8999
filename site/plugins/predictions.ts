// Predict, then run: what follows a `::: predict` question — the try-it block that
// answers it and the explanation, up to the next heading or diagram — waits behind a
// "Show what happens" disclosure, so the reader commits to a guess first. Code blocks
// between the question and the try-it block (the manifest it applies) stay in view.
import type { MarkdownIt, Token } from 'markdown-it'

const isConsole = (t: Token) => t.type === 'fence' && t.info.trim().split(/\s+/)[0] === 'console'
const endsAnswer = (t: Token) => t.level === 0 && (t.type === 'heading_open' || t.type === 'container_steps_open' || t.type === 'container_predict_open')

export function predictionsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('predictions', (state) => {
    const tokens = state.tokens
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.type !== 'container_predict_close') continue
      let start = i + 1
      while (start < tokens.length && tokens[start]!.type === 'fence' && !isConsole(tokens[start]!)) start++
      if (!tokens[start] || !isConsole(tokens[start]!)) continue
      let end = start + 1
      while (end < tokens.length && !endsAnswer(tokens[end]!)) end++
      const open = new state.Token('html_block', '', 0)
      open.content = '<details class="reveal"><summary>Show what happens</summary>\n'
      const close = new state.Token('html_block', '', 0)
      close.content = '</details>\n'
      tokens.splice(end, 0, close)
      tokens.splice(start, 0, open)
      i = end + 1
    }
  })
}
