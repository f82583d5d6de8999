// Markdown in, HTML out, one table per plugin (VitePress's plugin tests, markdown-it's fixtures).
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pageEnv, type PageEnv, type RenderContext } from '../context.ts'
import { CodeHighlighter } from '../highlight.ts'
import { createMarkdownRenderer } from '../markdown.ts'
import { SiteError } from '../errors.ts'
import { parseFenceInfo } from './code-blocks.ts'
import { parseCalloutInfo } from './callouts.ts'
import { lessonHref } from './lesson-links.ts'

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'lessons')
let highlighter: CodeHighlighter
let site: RenderContext

beforeAll(async () => {
  highlighter = await CodeHighlighter.create(['yaml', 'ts'])
  site = { highlighter, lessonsDir: FIXTURES, apiHref: (m) => (m === 'dns/records.ts' ? 'api/modules/dns_records.html' : undefined) }
}, 30_000)
afterAll(() => highlighter.dispose())

function render(markdown: string, env: PageEnv = pageEnv('lessons/05-dns.md', 0, 'x')): { html: string; env: PageEnv } {
  const html = createMarkdownRenderer(site).render(markdown, env)
  return { html, env }
}

describe('site/plugins/heading-anchors', () => {
  test.each([
    { name: 'a heading gets its GitHub slug as id and a link to itself', md: '## Ready and not ready', want: ['<h2 id="ready-and-not-ready">', 'href="#ready-and-not-ready"'] },
    { name: 'punctuation and code are slugged the way GitHub does', md: '### Task 1: `recordsFor` answers A/AAAA', want: ['id="task-1-recordsfor-answers-aaaaa"'] },
    { name: 'a repeated heading gets a numbered id', md: '## Try it\n\n## Try it', want: ['id="try-it"', 'id="try-it-1"'] },
  ])('$name', ({ md, want }) => {
    const { html } = render(md)
    for (const w of want) expect(html).toContain(w)
  })

  test('the outline lists ## and ### headings, not #### ones', () => {
    const { env } = render('## The idea\n\n### Detail\n\n#### Minor')
    expect(env.outline).toEqual([
      { level: 2, slug: 'the-idea', text: 'The idea' },
      { level: 3, slug: 'detail', text: 'Detail' },
    ])
  })
})

describe('site/plugins/code-blocks', () => {
  test.each([
    { info: 'yaml title="lessons/03-endpoints/order.yaml"', want: { lang: 'yaml', flags: [], title: 'lessons/03-endpoints/order.yaml' } },
    { info: 'yaml invalid', want: { lang: 'yaml', flags: ['invalid'], title: undefined } },
    { info: 'console norun', want: { lang: 'console', flags: ['norun'], title: undefined } },
    { info: '', want: { lang: 'text', flags: [], title: undefined } },
  ])('parses the info string "$info"', ({ info, want }) => {
    expect(parseFenceInfo(info)).toEqual(want)
  })

  test.each([
    { name: 'a titled fence shows its file name and a copy button', md: '```yaml title="lessons/05-dns/order.yaml"\nkind: Service\n```', want: ['<span class="code-title">lessons/05-dns/order.yaml</span>', 'class="copy"', 'class="shiki'] },
    { name: 'a console block is a terminal with the prompt apart from the command', md: '```console\n$ katas kubectl get svc\nNAME\n```', want: ['class="code terminal"', '<span class="prompt" aria-hidden="true">$ </span>', '<span class="out">NAME</span>', 'Try it'] },
    { name: 'a norun console block is labelled for a real cluster', md: '```console norun\n$ kubectl get svc\n```', want: ['terminal-norun', 'On a real cluster'] },
    { name: 'an invalid manifest carries a badge', md: '```yaml invalid\nkind: Service\n```', want: ['badge-invalid', 'refused by the API server'] },
    { name: 'a language shiki does not know is escaped plain text', md: '```zzz\n<b>&\n```', want: ['&lt;b&gt;&amp;'] },
  ])('$name', ({ md, want }) => {
    const { html } = render(md)
    for (const w of want) expect(html).toContain(w)
  })

  test('highlighted code carries classes, never a style attribute (the CSP allows no inline styles)', () => {
    const { html } = render('```ts\nconst a: number = 1\n```\n\n```console\n$ katas curl http://x/\n```')
    expect(html).toMatch(/class="hl-[0-9a-z]+"/)
    expect(html).not.toContain('style=')
  })
})

describe('site/plugins/callouts', () => {
  test.each([
    { info: 'note Where the model simplifies', want: { kind: 'note', title: 'Where the model simplifies' } },
    { info: 'misconception "A targetPort must match a containerPort"', want: { kind: 'misconception', title: 'A targetPort must match a containerPort' } },
    { info: 'predict', want: { kind: 'predict', title: '' } },
  ])('parses "$info"', ({ info, want }) => {
    expect(parseCalloutInfo(info)).toEqual(want)
  })

  test.each([
    { kind: 'note', md: '::: note Where the model simplifies\nText.\n:::', want: ['<aside class="callout callout-note" aria-label="Note: Where the model simplifies">', '<span class="callout-title">Where the model simplifies</span>', '<p>Text.</p>'] },
    { kind: 'caution', md: '::: caution\nCareful.\n:::', want: ['callout-caution', '>Caution<'] },
    { kind: 'misconception', md: '::: misconception "Pods keep their IP"\nThey do not.\n:::', want: ['callout-misconception', '>Pods keep their IP<'] },
    { kind: 'predict', md: '::: predict\nWhat will `env` show?\n:::', want: ['callout-predict', 'Predict, then run', '<code>env</code>'] },
  ])('renders a $kind callout as a labelled aside', ({ md, want }) => {
    const { html } = render(md)
    for (const w of want) expect(html).toContain(w)
    expect(html).toContain('</div></aside>')
  })

  test('an unknown container kind is left as text', () => {
    expect(render('::: warning\nx\n:::').html).toContain('<p>::: warning')
  })
})

describe('site/plugins/stepped-diagrams', () => {
  const steps = '::: steps How a name becomes an address\n![The pod asks for order](05-dns/lookup-1.svg)\nThe resolver appends the search domain.\n\n![CoreDNS finds the Service](05-dns/lookup-2.svg)\nCoreDNS looks it up.\n:::'

  test('each frame is its SVG inlined, labelled with its alt text, with its caption', () => {
    const { html } = render(steps)
    expect(html).toContain('<figure class="steps"><figcaption class="steps-title">How a name becomes an address</figcaption>')
    expect(html.match(/<li class="step">/g)).toHaveLength(2)
    expect(html).toContain('role="img" aria-label="The pod asks for order"')
    expect(html).toContain('<span class="step-num">2</span> CoreDNS looks it up.')
    // The page's palette colours it; what only the file on its own needs is gone.
    expect(html).toContain('fill="var(--diagram-fill)"')
    expect(html).not.toMatch(/<title|aria-labelledby|xmlns=|font-family=/)
    expect(html).not.toContain('<img')
  })

  test('the figure has step buttons and an Enlarge button; the drawing is not a scroll box', () => {
    const { html } = render(steps)
    expect(html).toContain('<button type="button" class="steps-zoom">Enlarge</button>')
    expect(html).toContain('<div class="step-svg" data-src="05-dns/lookup-1.svg">')
  })

  test('SVG ids are prefixed per frame, so two diagrams on a page never share one', () => {
    const { html } = render(steps)
    expect(html).toContain('id="x-d1-f1-arrow"')
    expect(html).toContain('url(#x-d1-f2-arrow)')
    expect(html).not.toContain('id="arrow"')
  })

  test.each([
    { name: 'a missing frame file', md: '::: steps T\n![a](05-dns/nope.svg)\nc\n:::', error: /lessons\/05-dns\.md:2: steps: the frame 05-dns\/nope\.svg does not exist/ },
    { name: 'a frame without an image', md: '::: steps T\nJust text.\n:::', error: /lessons\/05-dns\.md:2: steps: expected each frame to start with !\[alt text\]/ },
  ])('$name is an error naming the file and line', ({ md, error }) => {
    expect(() => render(md)).toThrow(SiteError)
    expect(() => render(md)).toThrow(error)
  })
})

describe('site/plugins/predictions', () => {
  const predict = '::: predict\nWhat will `env` show?\n:::\n\n'
  test.each([
    {
      name: 'the try-it block and the explanation wait behind "Show what happens", up to the next heading',
      md: `${predict}\`\`\`console\n$ katas kubectl exec client -- env\nPATH=/bin\n\`\`\`\n\nNo ORDER variables.\n\n## The rules\n\nRules.`,
      hidden: ['PATH=/bin', 'No ORDER variables.'],
      shown: ['What will', 'Rules.'],
    },
    {
      name: 'a manifest between the question and the try-it block stays in view',
      md: `${predict}\`\`\`yaml\nkind: Service\n\`\`\`\n\n\`\`\`console\n$ katas kubectl apply -f x.yaml\nrefused\n\`\`\`\n`,
      hidden: ['refused'],
      shown: ['Service'],
    },
    {
      name: 'a diagram after the answer is not part of it',
      md: `${predict}\`\`\`console\n$ katas curl http://x/\nanswer\n\`\`\`\n\n::: steps T\n![a](05-dns/lookup-1.svg)\nc\n:::\n`,
      hidden: ['answer'],
      shown: ['<figure class="steps">'],
    },
  ])('$name', ({ md, hidden, shown }) => {
    const { html } = render(md)
    const [before = '', rest = ''] = html.split('<details class="reveal"><summary>Show what happens</summary>')
    const [inside = '', after = ''] = rest.split('</details>')
    for (const h of hidden) expect(inside).toContain(h)
    for (const w of shown) expect(before + after).toContain(w)
  })

  test('a predict callout with no try-it block after it hides nothing', () => {
    expect(render(`::: predict\nGuess.\n:::\n\nText.`).html).not.toContain('<details')
  })
})

describe('site/plugins/lesson-links', () => {
  test.each([
    { href: '03-endpoints.md#ready-and-not-ready', want: '03-endpoints.html#ready-and-not-ready' },
    { href: './00-pod-network.md', want: '00-pod-network.html' },
    { href: 'https://kubernetes.io/docs/', want: undefined },
    { href: 'notes.md', want: undefined },
  ])('$href → $want', ({ href, want }) => {
    expect(lessonHref(href)).toBe(want)
  })

  test('a lesson link is rewritten and recorded for the link check; an outside link is marked', () => {
    const { html, env } = render('[E](03-endpoints.md#the-idea) and [k8s](https://kubernetes.io/) and [up](#top)')
    expect(html).toContain('href="03-endpoints.html#the-idea"')
    expect(html).toContain('<a href="https://kubernetes.io/" class="external" rel="noopener">')
    expect(env.links).toEqual(['03-endpoints.html#the-idea', '#top'])
  })
})

describe('site/plugins/module-links', () => {
  test.each([
    { name: 'a module with an API page links to it', md: 'Edit `dns/records.ts`.', want: '<a class="module-link" href="api/modules/dns_records.html"><code>dns/records.ts</code></a>' },
    { name: 'other code stays plain', md: 'Run `katas hint 05`.', want: '<code>katas hint 05</code>' },
  ])('$name', ({ md, want }) => {
    expect(render(md).html).toContain(want)
  })
})

describe('site/markdown', () => {
  test('raw HTML in a lesson is shown as text, never rendered (html: false)', () => {
    const { html } = render('<script>alert(1)</script>\n\nText <b onclick="x()">bold</b>')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b onclick')
    expect(html).toContain('&lt;script&gt;')
  })
})

describe('site/highlight', () => {
  test('a block highlighted once comes back from the cache file without its grammar', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'katas-hl-'))
    try {
      const file = path.join(dir, 'highlight.json')
      const first = await CodeHighlighter.create(['yaml'], file)
      const html = first.html('kind: Service', 'yaml')
      expect(html).toContain('class="hl-')
      first.saveCache()
      first.dispose()
      // No grammar loaded: only the cache can colour it.
      const second = await CodeHighlighter.create([], file)
      expect(second.html('kind: Service', 'yaml')).toBe(html)
      expect(second.html('kind: Pod', 'yaml')).toBe('<pre class="shiki" tabindex="0"><code>kind: Pod</code></pre>')
      second.dispose()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
