// Links: `03-endpoints.md#anchor` becomes the lesson's page; outside links are marked as such.
import type { MarkdownIt } from 'markdown-it'
import type { PageEnv } from '../context.ts'

const LESSON_LINK = /^(?:\.\/)?(\d\d-[a-z0-9-]+)\.md(#.*)?$/

/** The site URL of a link to a lesson file, or undefined when it is not one. */
export function lessonHref(href: string): string | undefined {
  const m = LESSON_LINK.exec(href)
  return m ? `${m[1]}.html${m[2] ?? ''}` : undefined
}

export function lessonLinksPlugin(md: MarkdownIt): void {
  md.core.ruler.push('lesson_links', (state) => {
    const env = state.env as Partial<PageEnv>
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        if (token.type !== 'link_open') continue
        const href = String(token.attrGet('href') ?? '')
        const page = lessonHref(href)
        if (page) {
          token.attrSet('href', `${env.base ?? ''}${page}`)
          env.links?.push(page)
        } else if (href.startsWith('#')) {
          env.links?.push(href)
        } else if (/^https?:\/\//.test(href)) {
          token.attrJoin('class', 'external')
          token.attrSet('rel', 'noopener')
        }
      }
    }
  })
}
