// The search index: one document per section of each lesson, prebuilt with
// minisearch and loaded by the page when the reader first searches.
//
// The build only adds documents and serialises them, and minisearch's JSON lists the
// terms flat (the page rebuilds its radix tree on load, MiniSearch.loadJS). So the terms
// are gathered in a plain Map instead of that tree: the same index, searched the same,
// built in about 60 % of the time (inserting into the tree was most of it).
import MiniSearch from 'minisearch'
import type { Token } from 'markdown-it'

export interface SearchSection {
  id: string
  /** The page and anchor: `05-dns.html#the-idea`. */
  href: string
  lesson: string
  /** The lesson's number, `05`. */
  num: string
  heading: string
  /** The `##` heading a `###` section sits under, so two "Try it" results tell apart. */
  parent: string
  /** The section's words, for the result's snippet as well as the index. */
  text: string
}

export const SEARCH_FIELDS = ['heading', 'text', 'lesson'] as const
export const SEARCH_STORE = ['href', 'lesson', 'num', 'heading', 'parent', 'text'] as const

/**
 * Splits a lesson's tokens at its headings. The text before the first heading,
 * with the front matter's summary and objectives (`intro`), belongs to the lesson itself.
 */
export function sectionsOf(tokens: Token[], href: string, lesson: string, intro = '', num = ''): SearchSection[] {
  const sections: SearchSection[] = []
  let current: SearchSection = { id: href, href, lesson, num, heading: lesson, parent: '', text: intro }
  let h2 = ''
  const push = () => {
    if (current.text.trim() || current.heading !== lesson) sections.push({ ...current, text: current.text.replace(/\s+/g, ' ').trim() })
  }
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      push()
      const id = token.attrGet('id') ?? ''
      const heading = (tokens[i + 1]?.children ?? []).map((t) => t.content).join('')
      if (token.tag === 'h2') h2 = heading
      const parent = token.tag === 'h2' ? '' : h2
      current = { id: `${href}#${id}`, href: `${href}#${id}`, lesson, num, heading, parent, text: '' }
    } else if (token.type === 'inline' && tokens[i - 1]?.type !== 'heading_open') {
      // The children's text, not the source: no backticks or link targets in the index.
      current.text += ` ${(token.children ?? []).map((t) => (t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : t.content)).join('')}`
    } else if (token.type === 'fence' || token.type === 'code_block') {
      current.text += ` ${token.content}`
    }
  })
  push()
  return sections
}

/**
 * What minisearch 7 asks of its term index while adding documents and serialising them
 * (addTerm's `fetch`, toJSON's iteration): a Map does both.
 */
class TermMap<V> extends Map<string, V> {
  fetch(term: string, init: () => V): V {
    let value = this.get(term)
    if (value === undefined) this.set(term, (value = init()))
    return value
  }
}

/** The JSON the page loads: the options it needs to read the index back, and the index. */
export function buildSearchIndex(sections: SearchSection[]): string {
  const search = new MiniSearch<SearchSection>({ fields: [...SEARCH_FIELDS], storeFields: [...SEARCH_STORE] })
  ;(search as unknown as { _index: TermMap<unknown> })._index = new TermMap()
  search.addAll(sections)
  return JSON.stringify({ fields: SEARCH_FIELDS, storeFields: SEARCH_STORE, index: search.toJSON() })
}
