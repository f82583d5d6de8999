// The whole pipeline over the fixture lessons: pages, links, search, print, CSP.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, cpSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import MiniSearch from 'minisearch'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { KATAS_DIR, PACKAGE_ROOT } from '../harness/paths.ts'
import { type BuildResult, buildSite } from './build.ts'
import { normalizeBasePath, type SiteOptions } from './config.ts'
import { apiPath, hardenApiPage, moduleDescription, moduleLessons } from './api-docs.ts'
import type { Chapter } from './book.ts'
import type { Kata } from '../harness/course.ts'
import { API_DIRECTIVES, CSP_DIRECTIVES, cspHeader, cspMeta, WORKER_DIRECTIVES, WORKSPACE_DIRECTIVES } from './csp.ts'
import { SiteError } from './errors.ts'
import { FIXTURE_LESSONS } from './main.ts'
import { siteIsStale } from './stale.ts'
import type { KataData, KataTexts } from './workspace/protocol.ts'

let out: string
let result: BuildResult
const options = (outDir: string, lessonsDir = FIXTURE_LESSONS): SiteOptions => ({
  lessonsDir,
  katasDir: KATAS_DIR,
  stubsDir: undefined,
  outDir,
  editUrl: 'https://example.org/edit/{path}',
  root: PACKAGE_ROOT,
})
const page = (file: string) => readFileSync(path.join(out, file), 'utf8')

beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'katas-site-'))
  result = await buildSite(options(out))
}, 60_000)
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe('site/build', () => {
  test('writes a page per written lesson, and none for a kata whose lesson is not written yet', () => {
    expect(result.lessons).toBe(3)
    expect(result.pages).toEqual(expect.arrayContaining(['index.html', '00-pod-network.html', '03-endpoints.html', '05-dns.html', '404.html', 'print.html']))
    expect(existsSync(path.join(out, '01-service-object.html'))).toBe(false)
    expect(result.drafts).toContain('01-service-object')
    expect(page('index.html')).toContain('The Service object <span class="badge">not written yet</span>')
  })

  test('the sidebar lists the lessons in course order and marks the current page', () => {
    const html = page('03-endpoints.html')
    const order = [...html.matchAll(/<span class="num">(\d\d)<\/span>/g)].map((m) => m[1])
    expect(order.slice(0, 10)).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08', '09'])
    expect(html).toContain('<a class="nav-item" href="03-endpoints.html" aria-current="page">')
  })

  test.each([
    { file: '00-pod-network.html', prev: undefined, next: '03-endpoints.html' },
    { file: '03-endpoints.html', prev: '00-pod-network.html', next: '05-dns.html' },
    { file: '05-dns.html', prev: '03-endpoints.html', next: undefined },
  ])('$file links its neighbours with rel=prev/next', ({ file, prev, next }) => {
    const html = page(file)
    expect(html.includes('<link rel="prev"')).toBe(prev !== undefined)
    expect(html.includes('<link rel="next"')).toBe(next !== undefined)
    if (prev) expect(html).toContain(`<a class="pager-prev" rel="prev" href="${prev}"`)
    if (next) expect(html).toContain(`<a class="pager-next" rel="next" href="${next}"`)
  })

  test('every internal link and anchor on every page resolves', () => {
    expect(result.broken).toEqual([])
    const pages = readdirSync(out).filter((f) => f.endsWith('.html') && f !== '404.html')
    const ids = new Map(pages.map((f) => [f, new Set([...page(f).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))]))
    const problems: string[] = []
    for (const f of pages) {
      for (const [, href] of page(f).matchAll(/<(?:a|link)\b[^>]*\shref="([^"]+)"/g)) {
        if (/^(https?:|mailto:)/.test(href!) || href!.startsWith('api/')) continue
        const [target = '', anchor] = href!.split('#')
        const file = target === '' ? f : target
        if (!existsSync(path.join(out, file))) problems.push(`${f}: ${href} (no such file)`)
        else if (anchor && !ids.get(file)?.has(anchor)) problems.push(`${f}: ${href} (no such anchor)`)
      }
    }
    expect(problems).toEqual([])
  })

  test('a link to a missing lesson or anchor is reported with the lesson that makes it', async () => {
    const lessons = mkdtempSync(path.join(os.tmpdir(), 'katas-lessons-'))
    const out2 = mkdtempSync(path.join(os.tmpdir(), 'katas-site-'))
    try {
      writeFileSync(path.join(lessons, '00-pod-network.md'), readFileSync(path.join(FIXTURE_LESSONS, '00-pod-network.md'), 'utf8').replace(/\n## The idea[\s\S]*$/, '\n## A\n\n[gone](03-endpoints.md) and [nowhere](#b)\n'))
      const r = await buildSite(options(out2, lessons))
      expect(r.broken).toEqual([
        { from: path.relative(PACKAGE_ROOT, path.join(lessons, '00-pod-network.md')), href: '03-endpoints.html', reason: 'no lesson page 03-endpoints.html (is the lesson written?)' },
        { from: path.relative(PACKAGE_ROOT, path.join(lessons, '00-pod-network.md')), href: '#b', reason: '00-pod-network.html has no heading with the anchor #b' },
      ])
    } finally {
      rmSync(lessons, { recursive: true, force: true })
      rmSync(out2, { recursive: true, force: true })
    }
  }, 60_000)

  test('a lesson with bad front matter stops the build with one line naming the file and field', async () => {
    const lessons = mkdtempSync(path.join(os.tmpdir(), 'katas-lessons-'))
    const out2 = mkdtempSync(path.join(os.tmpdir(), 'katas-site-'))
    try {
      const fixture = readFileSync(path.join(FIXTURE_LESSONS, '03-endpoints.md'), 'utf8')
      writeFileSync(path.join(lessons, '03-endpoints.md'), fixture.replace(/objectives:\n(  - .*\n)+/, 'objectives: one\n'))
      const build = buildSite(options(out2, lessons))
      await expect(build).rejects.toThrow(SiteError)
      await expect(build).rejects.toThrow(/^[^\n]*03-endpoints\.md:10: front matter field "objectives": expected [^\n]*, got "one"$/)
    } finally {
      rmSync(lessons, { recursive: true, force: true })
      rmSync(out2, { recursive: true, force: true })
    }
  })

  test('the search index finds a term from lesson 05 and points at its section', () => {
    const data = JSON.parse(page('search-index.json')) as { fields: string[]; storeFields: string[]; index: object }
    const search = MiniSearch.loadJS(data.index as never, { fields: data.fields, storeFields: data.storeFields })
    const hits = search.search('ndots', { prefix: true })
    expect(hits[0]).toMatchObject({ lesson: 'Discovery by DNS', href: '05-dns.html' })
    expect(search.search('notReadyAddresses')[0]).toMatchObject({ href: '03-endpoints.html#the-idea' })
    // A line break in the Markdown is a space between words, in the index and in snippets.
    expect(JSON.stringify(data)).not.toMatch(/\.The zone is built/)
  })

  test('the print page holds every lesson with anchors made unique and lesson links kept in the page', () => {
    const html = page('print.html')
    for (const name of ['00-pod-network', '03-endpoints', '05-dns']) expect(html).toContain(`<article class="lesson print-lesson" id="${name}"`)
    // A heading keeps its id where the page links to it; nothing else on paper does.
    expect(html).toContain('id="05-dns--the-idea"')
    expect(html).toContain('href="#05-dns--the-idea"')
    expect(html).not.toContain('id="00-pod-network--the-idea"')
    expect(html).toContain('href="#03-endpoints--ready-and-not-ready"')
    expect(html).toContain('id="03-endpoints--ready-and-not-ready"')
  })

  test('the print page shows every answer and every frame, as images of the diagram files, with plain code', () => {
    const html = page('print.html')
    expect(html).toContain('<details class="reveal" open>')
    expect(html).toContain('<img src="diagrams/05-dns/lookup-1.svg" alt="The pod asks for order" loading="lazy">')
    expect(existsSync(path.join(out, 'diagrams', '05-dns', 'lookup-1.svg'))).toBe(true)
    expect(html).not.toContain('<svg xmlns')
    expect(html).not.toMatch(/class="hl-/)
    expect(html).toContain('$ katas kubectl apply -f lessons/05-dns/order.yaml')
  })

  test('the edit link points at the lesson source', () => {
    expect(page('05-dns.html')).toContain('href="https://example.org/edit/site/fixtures/lessons/05-dns.md">Edit this page</a>')
  })

  test('the 404 page links from the site root, so it works at any depth', () => {
    expect(page('404.html')).toContain('href="/assets/site.css"')
    expect(page('404.html')).toContain('This page does not exist')
  })

  test('every other page links relatively, so the site works under any path', () => {
    for (const f of readdirSync(out).filter((f) => f.endsWith('.html') && f !== '404.html')) {
      expect(page(f), f).not.toMatch(/\s(?:href|src)="\/(?!\/)/)
    }
  })

  test('a lesson opens with its prose; its goals, files and sources follow folded, before the first section', () => {
    const html = page('05-dns.html')
    const body = html.slice(html.indexOf('<div class="lesson-body">'))
    const facts = body.indexOf('<details class="lesson-facts">')
    expect(facts).toBeGreaterThan(body.indexOf('<p>'))
    expect(facts).toBeLessThan(body.indexOf('<h2 id="the-idea"'))
    expect(body).toContain('<h2 class="facts-title">You edit</h2>')
    expect(html.indexOf('<details class="lesson-facts">')).toBeGreaterThan(html.indexOf('<h1'))
  })

  test('the front page says what the course is, how to start, and how long the core path takes', () => {
    const html = page('index.html')
    const minutes = result.lessons === 3 ? [75, 60, 60] : []
    expect(minutes.length).toBe(3)
    expect(html).toContain('npm</span> install')
    expect(html).toContain('npm</span> start')
    expect(html).toMatch(/about \d+(?:¼|½|¾)? hours on the core path|about \d+ minutes on the core path/)
    expect(html).toContain('<a class="button" href="00-pod-network.html">')
    expect(html).toContain('<figure class="steps">')
    expect(html).toContain('id="workshops"')
    expect(html).toContain('docs/workshop.md')
  })


  test('the site is stale when a lesson is newer than the build, fresh otherwise', () => {
    expect(siteIsStale({ outDir: out }, [])).toBe(false)
    expect(siteIsStale({ outDir: path.join(out, 'missing') }, [])).toBe(true)
    const lessons = mkdtempSync(path.join(os.tmpdir(), 'katas-lessons-'))
    try {
      mkdirSync(path.join(lessons, 'x'))
      cpSync(path.join(FIXTURE_LESSONS, '00-pod-network.md'), path.join(lessons, 'x', 'a.md'))
      expect(siteIsStale({ outDir: out }, [lessons])).toBe(true)
    } finally {
      rmSync(lessons, { recursive: true, force: true })
    }
  })
})

describe('site/build under a sub-path', () => {
  test('with a base path, the 404 page links from it; the other pages do not change', async () => {
    const out2 = mkdtempSync(path.join(os.tmpdir(), 'katas-site-'))
    try {
      await buildSite({ ...options(out2), basePath: '/service-katas/' })
      const notFound = readFileSync(path.join(out2, '404.html'), 'utf8')
      expect(notFound).toContain('href="/service-katas/assets/site.css"')
      expect(notFound).toContain('<script src="/service-katas/assets/site.js">')
      expect(notFound).toContain('href="/service-katas/index.html"')
      const lesson = readFileSync(path.join(out2, '05-dns.html'), 'utf8')
      expect(lesson).toContain('<link rel="stylesheet" href="assets/site.css">')
      expect(lesson).not.toContain('/service-katas/')
    } finally {
      rmSync(out2, { recursive: true, force: true })
    }
  }, 60_000)

  test.each([
    { base: '', want: '/' },
    { base: '/', want: '/' },
    { base: 'service-katas', want: '/service-katas/' },
    { base: '/a/b/', want: '/a/b/' },
  ])('--base "$base" is the path $want', ({ base, want }) => {
    expect(normalizeBasePath(base)).toBe(want)
  })

  test('a base path that is not a URL path is refused with what was expected', () => {
    expect(() => normalizeBasePath('/a b/')).toThrow('expected a URL path such as /service-katas/, got "/a b/"')
  })
})

describe('site/csp', () => {
  test('scripts and styles come only from the site itself: no unsafe-inline, no unsafe-eval', () => {
    expect(CSP_DIRECTIVES['script-src']).toBe("'self'")
    expect(CSP_DIRECTIVES['style-src']).toBe("'self'")
    expect(cspMeta()).not.toMatch(/unsafe-(inline|eval|hashes)/)
    expect(cspHeader()).toContain("frame-ancestors 'none'")
  })

  test('the workspace page may style inline but runs only the site\'s scripts; its worker may evaluate but reach nothing', () => {
    expect(WORKSPACE_DIRECTIVES['script-src']).toBe("'self'")
    expect(cspMeta(WORKSPACE_DIRECTIVES)).not.toMatch(/unsafe-(eval|hashes)/)
    expect(WORKER_DIRECTIVES['default-src']).toBe("'none'")
    expect(WORKER_DIRECTIVES['script-src']).toBe("'unsafe-eval'")
    expect(WORKER_DIRECTIVES['connect-src']).toBeUndefined()
  })

  test('every written lesson has a workspace page, with its checks and data, and links to it', () => {
    for (const name of ['00-pod-network', '03-endpoints', '05-dns']) {
      expect(page(`${name}.html`)).toContain(`<a class="button" href="${name}.workspace.html">Do this kata in the browser</a>`)
      expect(page(`${name}.workspace.html`)).toContain(`data-src="workspace/${name}.json"`)
      expect(existsSync(path.join(out, 'workspace', `${name}.checks.js`))).toBe(true)
      // The code the learner only reads comes in a file of its own, fetched after the first verdict.
      const data = JSON.parse(readFileSync(path.join(out, 'workspace', `${name}.json`), 'utf8')) as KataData
      const texts = JSON.parse(readFileSync(path.join(out, 'workspace', data.texts), 'utf8')) as KataTexts
      expect(Object.keys(texts.stubs)).toEqual(data.modules)
      expect(Object.keys(texts.given).sort()).toEqual(Object.keys(data.given).sort())
      expect(Object.keys(data.stubs).every((m) => texts.stubs[m] === data.stubs[m])).toBe(true)
      expect(data.tasks.every((t) => t.hints.every((h, i) => h.text === undefined && typeof texts.hints[t.slug]?.[i] === 'string'))).toBe(true)
      // The deep tasks' checks come in a second, whole bundle (site/workspace/deep-only.ts).
      const first = statSync(path.join(out, 'workspace', data.bundle)).size
      expect(statSync(path.join(out, 'workspace', data.deepBundle!)).size, `${name}: the whole bundle holds more than the first`).toBeGreaterThan(first)
    }
    expect(existsSync(path.join(out, '01-service-object.workspace.html'))).toBe(false)
    expect(page('00-pod-network.html')).not.toContain('workspace.js')
  })

  test('no page has an inline script, an inline style or an event handler attribute', () => {
    for (const f of readdirSync(out).filter((x) => x.endsWith('.html'))) {
      const html = page(f)
      // A kata's workspace page lets CodeMirror style its editor; every other page has the site's policy.
      const csp = f.endsWith('.workspace.html') ? cspMeta(WORKSPACE_DIRECTIVES) : cspMeta()
      expect(html, f).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp}">`)
      expect(html.match(/<script\b[^>]*>/g)?.every((tag) => /\ssrc="/.test(tag)), f).toBe(true)
      expect(html, f).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/)
      expect(html, f).not.toMatch(/\sstyle="/)
      expect(html, f).not.toMatch(/<style\b/)
      expect(html, f).not.toMatch(/\son[a-z]+="/)
    }
  })
})

describe('site/api-docs', () => {
  test.each([
    { module: 'dns/records.ts', want: 'api/modules/dns_records.html' },
    { module: 'proxy/iptables/proxier.ts', want: 'api/modules/proxy_iptables_proxier.html' },
  ])('$module has its API page at $want', ({ module, want }) => {
    expect(apiPath(module)).toBe(want)
  })

  test('typedoc pages lose their inline script and get a CSP that still allows only the site\'s scripts', () => {
    const html = hardenApiPage('<html><head><script>document.body.style.display="none"</script><script defer src="../assets/main.js"></script></head></html>', '../../')
    expect(html).not.toContain('<script>')
    expect(html).toContain('<script defer src="../assets/main.js"></script>')
    expect(html).toContain(`content="${cspMeta(API_DIRECTIVES)}"`)
    expect(html).toContain('<script src="../../assets/site.js"></script>')
    expect(html).toContain('<link rel="stylesheet" href="../../assets/api.css">')
    expect(API_DIRECTIVES['script-src']).toBe("'self'")
  })

  test.each([
    {
      name: 'the stub banner is skipped; the module comment becomes paragraphs',
      source: '// ────────────────\n// Kata 05 · core path: you write\n// ────────────────\n// The cluster DNS zone as CoreDNS answers it:\n// a Service is a name.\n//\n// Second paragraph.\nimport x from "y"\n// not this',
      want: 'The cluster DNS zone as CoreDNS answers it: a Service is a name.\n\nSecond paragraph.',
    },
    { name: 'a file with no banner keeps its first comment', source: '// Given code.\nexport const a = 1', want: 'Given code.' },
    { name: 'a file with no comment has no description', source: 'export const a = 1', want: '' },
  ])('module description: $name', ({ source, want }) => {
    expect(moduleDescription(source)).toBe(want)
  })

  test('each module links back to the lesson of the first kata that edits it, with the functions its core path asks for', () => {
    const kata = (id: string, modules: string[], write: string[]) => ({ id, title: `Kata ${id}`, modules, tasks: [{ track: 'core', write: write.map((name) => ({ module: modules[0], name })) }] }) as unknown as Kata
    const k1 = kata('01', ['dns/records.ts'], ['parseRequest'])
    const k2 = kata('02', ['dns/records.ts', 'dns/resolver.ts'], ['lookup'])
    const chapter = { kata: k1, href: '01-x.html', front: { title: 'One' } } as unknown as Chapter
    const map = moduleLessons({ chapters: [chapter], drafts: [k2] })
    expect(map.get('dns/records.ts')).toEqual({ kata: k1, href: '01-x.html', title: 'One', writes: ['parseRequest'] })
    expect(map.get('dns/resolver.ts')).toMatchObject({ href: undefined, title: 'Kata 02', writes: [] })
    const page = hardenApiPage('<div class="tsd-page-title"><h1>Module dns/records</h1></div>', '../../', map.get('dns/records.ts'))
    expect(page).toContain('<p class="api-lesson"><a href="../../01-x.html">Lesson 01: One</a>. On the core path you write <code>parseRequest</code>; the rest is given code to read.</p>')
  })
})
