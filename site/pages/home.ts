// The front page, which has to explain the course in one screen: what the learner
// builds, the path (lessons → katas → the whole route), the two commands that start
// it, the time the core path takes (the lessons' own estimates, added up), a look at
// the watch screen and at a stepped diagram; then every lesson, and how a workshop
// uses the course.
import { existsSync, readFileSync } from 'node:fs'
import { ansiToHtml } from '../ansi.ts'
import type { Book, Chapter } from '../book.ts'
import { SITE_DESCRIPTION, SITE_TITLE } from '../config.ts'
import { escapeHtml } from '../html.ts'
import { WATCH_SCREEN } from '../screens/watch-screen.ts'
import { inlineText } from './lesson.ts'
import type { PageType, RenderedChapter, SiteContext } from './page-type.ts'

/** `645` → `about 10¾ hours`; under two hours in minutes. */
export function readingTime(minutes: number): string {
  if (minutes < 120) return `about ${minutes} minutes`
  const quarters = Math.round(minutes / 15)
  const hours = Math.floor(quarters / 4)
  const frac = ['', '¼', '½', '¾'][quarters % 4]
  return `about ${hours}${frac} hours`
}

/** The stepped diagram the front page shows: the last lesson's first one (the whole route), else any. */
export function homeDiagram(rendered: readonly RenderedChapter[]): string | undefined {
  for (const { html } of [...rendered].reverse()) {
    const figure = /<figure class="steps">[\s\S]*?<\/figure>/.exec(html)?.[0]
    if (figure) return figure
  }
  return undefined
}

const NUMBERS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']
const inWords = (n: number): string => NUMBERS[n] ?? String(n)

/** The caption says what the screen shows, read from the screen itself: "two of four tasks green, and why the others are not". */
export function watchCaption(text: string): string {
  // eslint-disable-next-line no-control-regex
  const m = /(\d+) of (\d+) tasks green/.exec(text.replace(/\x1b\[[0-9;]*m/g, ''))
  if (!m) return 'The watch screen after a save.'
  const [green, all] = [Number(m[1]), Number(m[2])]
  const red = all - green
  const why = red === 1 ? 'why the other one is not' : 'why the others are not'
  return `The watch screen after a save: ${inWords(green)} of ${inWords(all)} tasks green, and ${why}.`
}

function watchScreen(): { html: string; caption: string } | undefined {
  if (!existsSync(WATCH_SCREEN)) return undefined
  const text = readFileSync(WATCH_SCREEN, 'utf8').trimEnd()
  return {
    html: `<div class="code terminal watch"><div class="code-head"><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span><span class="code-title">npm start</span></div><pre class="shiki" tabindex="0"><code>${ansiToHtml(text)}</code></pre></div>`,
    caption: watchCaption(text),
  }
}

function lessonCards(book: Book): string {
  const cards = [...book.chapters.map((c) => ({ kata: c.kata, chapter: c as Chapter | undefined })), ...book.drafts.map((k) => ({ kata: k, chapter: undefined }))]
    .sort((a, b) => a.kata.id.localeCompare(b.kata.id))
    .map(({ kata, chapter }) => {
      const title = escapeHtml(chapter?.front.title ?? kata.title)
      const summary = inlineText(chapter?.front.summary ?? '')
      const time = chapter?.front.time ? `<span class="card-time">${chapter.front.time} min</span>` : ''
      const head = chapter ? `<a href="${chapter.href}">${title}</a>` : `${title} <span class="badge">not written yet</span>`
      return `<li class="card${chapter ? '' : ' card-draft'}"><span class="num">${kata.id}</span><h3 class="card-title">${head}<span class="mark" data-kata="${kata.id}" aria-hidden="true"></span>${time}</h3>${summary ? `<p>${summary}</p>` : ''}</li>`
    })
  return `<ol class="cards">${cards.join('')}</ol>`
}

export function homeMain(site: Pick<SiteContext, 'book' | 'rendered' | 'options'>): string {
  const { book } = site
  const first = book.chapters[0]
  const last = book.chapters.at(-1)
  const minutes = book.chapters.reduce((sum, c) => sum + (c.front.time ?? 0), 0)
  const lessons = book.chapters.length + book.drafts.length
  const workshop = site.options.blobUrl?.replace('{path}', 'docs/workshop.md')
  const workshopLink = workshop ? `<a href="${escapeHtml(workshop)}" class="external" rel="noopener">the workshop guide</a>` : 'the workshop guide, <code>docs/workshop.md</code>'
  const diagram = homeDiagram(site.rendered)
  const screen = watchScreen()
  const time = minutes ? `<span aria-hidden="true"> · </span>${readingTime(minutes)} on the core path` : ''
  return `<article class="home">
<header class="hero">
<p class="eyebrow">A test-driven workbook<span aria-hidden="true"> · </span>${lessons} lessons and katas${time}</p>
<h1>Build Kubernetes Services to understand them</h1>
<p class="summary">You write a faithful model of them in TypeScript, one kata at a time — pod IPs, selectors, Endpoints, DNS, ClusterIP, NodePort, LoadBalancer — until <code>curl http://order.snackbar/</code> reaches a pod through your own code.</p>
</header>
<div class="home-grid">
<section class="home-path" aria-labelledby="the-path">
<h2 id="the-path" class="visually-hidden">The path</h2>
<ol class="path">
<li><strong>Read a lesson.</strong> The idea on real manifests, tried on a simulated cluster, drawn step by step.</li>
<li><strong>Do its kata.</strong> Write the few functions that carry the idea; the checks answer in Kubernetes terms.</li>
<li><strong>Follow the whole route.</strong> ${last ? `<a href="${last.href}">Kata ${last.kata.id}</a> composes` : 'The last kata composes'} your modules: a name or an address, to the pod that answers.</li>
</ol>
</section>
<section class="home-start" aria-labelledby="start">
<h2 id="start">Start</h2>
<p>In a clone of the course, with Node.js 20 or newer:</p>
<div class="code terminal"><pre class="shiki" tabindex="0"><code><span class="cmd"><span class="prompt" aria-hidden="true">$ </span><span class="hl-function">npm</span> install</span>
<span class="cmd"><span class="prompt" aria-hidden="true">$ </span><span class="hl-function">npm</span> start</span></code></pre></div>
<p><code>npm start</code> re-runs your kata's checks on every save and serves these lessons with your progress.</p>
${first ? `<p><a class="button" href="${first.href}">Start with lesson ${first.kata.id}: ${escapeHtml(first.front.title)} →</a></p>` : '<p>No lesson is written yet.</p>'}
</section>
</div>
<div class="home-shots">
${screen ? `<figure class="shot"><figcaption>${escapeHtml(screen.caption)}</figcaption>${screen.html}</figure>` : ''}
${diagram ? `<div class="shot"><p class="shot-caption">Every lesson draws its route step by step:</p>${diagram}</div>` : ''}
</div>
<section aria-labelledby="lessons"><h2 id="lessons">The lessons</h2>
${lessonCards(book)}
</section>
<section class="workshop" aria-labelledby="workshops"><h2 id="workshops">Workshops</h2>
<p>An instructor can start the room at any kata: <code>katas start 05</code> fills the earlier katas with the reference code, marked as given, so a two-hour session on DNS and ClusterIP needs nothing before it. <code>katas grade</code> grades every learner's checkout, with Exercism, JUnit and CSV results. Agendas for two hours, half a day and a day, what to prepare and how to grade: ${workshopLink}.</p>
</section>
</article>`
}

export const homePage: PageType = {
  name: 'home',
  pages: (site) => [
    { file: 'index.html', shell: { title: SITE_TITLE, description: SITE_DESCRIPTION, href: 'index.html', main: homeMain(site), bodyClass: 'page-home', styles: ['assets/home.css'] } },
  ],
}
