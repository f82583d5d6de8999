// Heading anchors: GitHub-style ids, a "#" link on each heading, and the page outline (## and ###).
import type { MarkdownIt } from 'markdown-it'
import type { PageEnv } from '../context.ts'
import { escapeHtml } from '../html.ts'
// The lesson checker's slugger, so the site's anchors are the ones it checks links against.
import { slugify } from '../../harness/lessons/blocks.ts'

export function headingAnchorsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('heading_anchors', (state) => {
    const env = state.env as Partial<PageEnv>
    const seen = new Map<string, number>()
    state.tokens.forEach((token, i) => {
      if (token.type !== 'heading_open') return
      const inline = state.tokens[i + 1]
      const text = (inline?.children ?? []).filter((t) => t.type === 'text' || t.type === 'code_inline').map((t) => t.content).join('')
      const slug = slugify(text, seen)
      token.attrSet('id', slug)
      env.ids?.add(slug)
      const level = Number(token.tag.slice(1))
      if (level === 2 || level === 3) env.outline?.push({ level, slug, text })
    })
  })

  md.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
    const open = tokens.slice(0, idx).reverse().find((t) => t.type === 'heading_open')
    const id = open?.attrGet('id')?.toString()
    const text = tokens[idx - 1]?.content ?? ''
    const anchor = id ? `<a class="anchor" href="#${escapeHtml(id)}" aria-label="Link to the section “${escapeHtml(text)}”">#</a>` : ''
    return anchor + self.renderToken(tokens, idx, options)
  }
}
