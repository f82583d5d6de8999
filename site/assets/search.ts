// Local full-text search, loaded by site.js the first time the reader searches, so a
// page that is only read never downloads it: the prebuilt minisearch index, results
// with the section's lesson, a snippet with the terms marked, a count, and a polite
// announcement once typing pauses.
import MiniSearch, { type SearchResult } from 'minisearch'
import { stylesheet } from './dom.ts'

interface IndexFile {
  fields: string[]
  storeFields: string[]
  index: object
}

export interface SearchHit {
  href: string
  lesson: string
  /** `05`: the lesson's number. */
  num: string
  /** The section's heading, and the `##` heading it sits under (for a `###` section). */
  heading: string
  parent: string
  text: string
}

/** Words around the first match, cut at word boundaries. */
export function snippet(text: string, match: RegExp, width = 150): string {
  const at = text.search(match)
  if (at < 0) return text.length > width ? `${text.slice(0, width).replace(/\s+\S*$/, '')} …` : text
  let start = Math.max(0, at - 50)
  if (start > 0) start = text.indexOf(' ', start) + 1 || start
  let end = Math.min(text.length, start + width)
  if (end < text.length) end = text.lastIndexOf(' ', end) > at ? text.lastIndexOf(' ', end) : end
  return `${start > 0 ? '… ' : ''}${text.slice(start, end)}${end < text.length ? ' …' : ''}`
}

/** A pattern for whole words that start with any of the terms. */
export function termsPattern(terms: string[]): RegExp | undefined {
  const words = [...new Set(terms.filter(Boolean))].sort((a, b) => b.length - a.length)
  if (words.length === 0) return undefined
  const esc = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${esc.join('|')})`, 'giu')
}

/** Appends `text` to `el`, each match of `pattern` in a <mark>. */
function marked(el: HTMLElement, text: string, pattern: RegExp | undefined): HTMLElement {
  let last = 0
  for (const m of pattern ? text.matchAll(pattern) : []) {
    el.append(text.slice(last, m.index))
    const mark = document.createElement('mark')
    mark.textContent = m[0]
    el.append(mark)
    last = m.index + m[0].length
  }
  el.append(text.slice(last))
  return el
}

function span(cls: string): HTMLElement {
  const s = document.createElement('span')
  s.className = cls
  return s
}

async function loadIndex(url: string): Promise<MiniSearch<SearchHit>> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`search index: ${response.status} ${response.statusText}`)
  const data = (await response.json()) as IndexFile
  return MiniSearch.loadJS<SearchHit>(data.index as never, {
    fields: data.fields,
    storeFields: data.storeFields,
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { heading: 2, lesson: 1.5 }, combineWith: 'AND' },
  })
}

/** Wires the search dialog: typing searches, ↑/↓ move through the results, Enter opens the first. */
export async function attach(dialog: HTMLDialogElement, base: string): Promise<void> {
  const input = dialog.querySelector<HTMLInputElement>('input[type=search]')!
  const list = dialog.querySelector<HTMLUListElement>('.search-results')!
  const count = dialog.querySelector<HTMLElement>('.search-count')!
  const status = dialog.querySelector<HTMLElement>('.search-status')!
  const [search] = await Promise.all([loadIndex(new URL(`${base}search-index.json`, location.href).href), stylesheet(new URL('search.css', import.meta.url).href)])
  let timer: ReturnType<typeof setTimeout> | undefined
  const render = () => {
    const query = input.value.trim()
    list.replaceChildren()
    clearTimeout(timer)
    if (!query) {
      count.textContent = status.textContent = ''
      return
    }
    const results = search.search(query) as (SearchResult & SearchHit)[]
    for (const r of results) {
      const pattern = termsPattern([...r.terms, ...r.queryTerms])
      const a = document.createElement('a')
      a.href = `${base}${r.href}`
      const where = `${r.num} ${r.lesson}${r.parent ? ` › ${r.parent}` : ''}`
      a.append(marked(span('hit-heading'), r.heading, pattern), span('hit-lesson'), marked(span('hit-snippet'), snippet(r.text, pattern ?? /$^/), pattern))
      a.querySelector('.hit-lesson')!.textContent = where
      const li = document.createElement('li')
      li.append(a)
      list.append(li)
    }
    const said = results.length === 0 ? `No results for “${query}”` : `${results.length} result${results.length === 1 ? '' : 's'} for “${query}”`
    count.textContent = said
    // Said to a screen reader once the reader pauses, not at every key.
    timer = setTimeout(() => (status.textContent = said), 450)
  }
  input.addEventListener('input', render)
  dialog.addEventListener('keydown', (e) => {
    const links = [...list.querySelectorAll<HTMLAnchorElement>('a')]
    const i = links.indexOf(document.activeElement as HTMLAnchorElement)
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      links[Math.min(i + 1, links.length - 1)]?.focus()
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      if (i <= 0) input.focus()
      else links[i - 1]?.focus()
    } else if (e.key === 'Enter' && document.activeElement === input) {
      e.preventDefault()
      links[0]?.click()
    }
  })
  list.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) dialog.close()
  })
  render()
}
