// The prebuilt index (terms gathered in a Map, search-index.ts) must search as minisearch's own.
import MiniSearch from 'minisearch'
import { describe, expect, test } from 'vitest'
import { buildSearchIndex, SEARCH_FIELDS, SEARCH_STORE, type SearchSection } from './search-index.ts'

const section = (id: string, heading: string, text: string): SearchSection => ({ id, href: id, lesson: 'DNS', num: '05', heading, parent: '', text })
const SECTIONS = [
  section('05-dns.html', 'DNS', 'A name is asked when the program needs it; ndots decides the search order.'),
  section('05-dns.html#the-idea', 'The idea', 'CoreDNS answers for every Service: a ClusterIP Service gets an A record, a headless one its pods.'),
  section('05-dns.html#try-it', 'Try it', 'katas kubectl exec client -- nslookup order.snackbar.svc.cluster.local'),
  section('05-dns.html#rules', 'The rules', 'NXDOMAIN when the name does not exist, NODATA when it exists without records of that type.'),
]

describe('buildSearchIndex', () => {
  test('the page reads back an index that finds what minisearch itself finds, scored the same', () => {
    const data = JSON.parse(buildSearchIndex(SECTIONS)) as { fields: string[]; storeFields: string[]; index: object }
    const ours = MiniSearch.loadJS(data.index as never, { fields: data.fields, storeFields: data.storeFields })
    const theirs = new MiniSearch<SearchSection>({ fields: [...SEARCH_FIELDS], storeFields: [...SEARCH_STORE] })
    theirs.addAll(SECTIONS)
    for (const query of ['service', 'clust', 'nxdomain nodata', 'ndot', 'headles']) {
      const hits = (m: MiniSearch) => m.search(query, { prefix: true, fuzzy: 0.2 }).map((h) => ({ id: h.id, score: h.score, terms: [...h.terms].sort() }))
      expect(hits(ours), query).toEqual(hits(theirs))
    }
    expect(ours.search('service').length).toBeGreaterThan(0)
  })
})
