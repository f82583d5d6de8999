// Every internal link a lesson makes must reach a page that exists, and an anchor on it.
import type { RenderedChapter } from './pages/page-type.ts'

export interface BrokenLink {
  /** The lesson that links: `lessons/05-dns.md`. */
  from: string
  href: string
  reason: string
}

export function checkLinks(rendered: Pick<RenderedChapter, 'chapter' | 'env'>[]): BrokenLink[] {
  const ids = new Map(rendered.map(({ chapter, env }) => [chapter.href, env.ids]))
  const broken: BrokenLink[] = []
  for (const { chapter, env } of rendered) {
    for (const href of env.links) {
      const [page = '', anchor] = href.startsWith('#') ? [chapter.href, href.slice(1)] : href.split('#', 2)
      const target = ids.get(page)
      if (!target) broken.push({ from: chapter.source, href, reason: `no lesson page ${page} (is the lesson written?)` })
      else if (anchor && !target.has(anchor)) broken.push({ from: chapter.source, href, reason: `${page} has no heading with the anchor #${anchor}` })
    }
  }
  return broken
}
