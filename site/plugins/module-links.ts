// Module names in code spans (`controller/endpoints.ts`) link to the module's API page.
import type { MarkdownIt } from 'markdown-it'
import type { RenderContext } from '../context.ts'
import { escapeHtml } from '../html.ts'

export function moduleLinksPlugin(md: MarkdownIt, site: RenderContext): void {
  const codeInline = md.renderer.rules.code_inline!
  md.renderer.rules.code_inline = (tokens, idx, options, env, self) => {
    const code = codeInline(tokens, idx, options, env, self)
    const href = site.apiHref(tokens[idx]!.content)
    const inLink = tokens.slice(0, idx).some((t, i, all) => t.type === 'link_open' && !all.slice(i).some((u) => u.type === 'link_close'))
    return href && !inLink ? `<a class="module-link" href="${escapeHtml(`${(env as { base?: string }).base ?? ''}${href}`)}">${code}</a>` : code
  }
}
