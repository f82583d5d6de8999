// Local full-text search: loads the prebuilt minisearch index on first use.
// Loaded lazily by site.ts, so a page that is only read never downloads it.
import MiniSearch from 'minisearch'

export interface SearchHit {
  href: string
  lesson: string
  heading: string
}

interface IndexFile {
  fields: string[]
  storeFields: string[]
  index: object
}

export async function loadSearch(indexUrl: string): Promise<(query: string) => SearchHit[]> {
  const response = await fetch(indexUrl)
  if (!response.ok) throw new Error(`search index: ${response.status} ${response.statusText}`)
  const data = (await response.json()) as IndexFile
  const search = MiniSearch.loadJS<SearchHit>(data.index as never, {
    fields: data.fields,
    storeFields: data.storeFields,
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { heading: 2, lesson: 1.5 }, combineWith: 'AND' },
  })
  return (query) =>
    search
      .search(query)
      .slice(0, 12)
      .map((r) => ({ href: String(r.href), lesson: String(r.lesson), heading: String(r.heading) }))
}
