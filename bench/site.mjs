#!/usr/bin/env node
/**
 * The site generator against VitePress 1.x: `node bench/site.mjs [--runs N]`
 * (also `npm run bench -- --only site`). Prints medians of:
 *   - the lesson site built from `lessons/` — the pages VitePress builds too: lessons,
 *     front page, print page, search index, assets — ours from scratch (build/.cache/
 *     removed before each run: no highlighted blocks, no asset bundles; the generator is
 *     the bundle `npm install` made in dist/site-bundle/) and with its caches warm, vs
 *     `vitepress build` of the same lessons with a minimal config in build/bench-vitepress/
 *     (target ≥ 8× faster), ours from scratch and VitePress taking turns;
 *   - our build with the kata workspaces (each kata's checks bundled for the browser,
 *     which VitePress has no counterpart for), and with typedoc's API pages, from scratch;
 *   - bytes a reader transfers for one lesson page, gzip -6: the HTML and every CSS,
 *     JS and font file it links or preloads (target ≤ 1/5 of VitePress's, ≈ 15 KB);
 *   - how many JS files each site has, and how many one lesson page loads;
 *   - the all-in-one print page: its size and element count (target ≤ 300 KB).
 * Each build runs as a whole process (node directly, no npx), one warm-up first; each
 * line gives the wall clock and the CPU seconds the build's processes used (Linux), since
 * on a shared machine the wall clock also measures whatever else runs.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import YAML from 'yaml'
import { ensurePeers, VITEPRESS_BIN } from './peers/peers.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? '') || 3
const LESSONS = path.join(ROOT, 'lessons')
const OURS = path.join(ROOT, 'build', 'bench-site')
const VP = path.join(ROOT, 'build', 'bench-vitepress')
const VP_DIST = path.join(VP, 'docs', '.vitepress', 'dist')

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2
}

/**
 * CPU seconds (user + system) of the children this process has waited for, from
 * /proc (Linux; NaN elsewhere). On a shared machine the wall clock measures the
 * neighbours too; the CPU a build used does not depend on them.
 */
function childCpu() {
  if (!existsSync('/proc/self/stat')) return NaN
  // Fields after the command's closing parenthesis: state is field 3, cutime 16, cstime 17.
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\)\s+/s, '').split(' ')
  return (Number(fields[13]) + Number(fields[14])) / 100
}

/**
 * @typedef {{ argv: string[], cwd: string, before?: () => void }} Job
 * @typedef {{ median: number, min: number, max: number, cpu: number, ok: boolean }} Timing
 */

/**
 * Runs each job `RUNS` times after one warm-up, taking turns (one run of each, then the
 * next round): a machine that slows down for a while slows every job alike, so the
 * ratios hold. Seconds (wall and CPU), and whether every run exited 0.
 * @param {Job[]} jobs @returns {Timing[]}
 */
function timeSideBySide(jobs) {
  /** @type {{ times: number[], cpus: number[], ok: boolean }[]} */
  const runs = jobs.map(() => ({ times: [], cpus: [], ok: true }))
  for (let i = 0; i <= RUNS; i++) {
    jobs.forEach(({ argv, cwd, before }, j) => {
      before?.()
      const t0 = process.hrtime.bigint()
      const c0 = childCpu()
      const r = spawnSync(process.execPath, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
      const s = Number(process.hrtime.bigint() - t0) / 1e9
      const run = runs[j]
      if (!run) return
      if (r.status !== 0) {
        run.ok = false
        process.stderr.write(r.stderr.slice(-1500))
      }
      if (i === 0) return
      run.cpus.push(childCpu() - c0)
      run.times.push(s)
    })
  }
  return runs.map(({ times, cpus, ok }) => ({ median: median(times), min: Math.min(...times), max: Math.max(...times), cpu: median(cpus), ok }))
}

/** One job timed on its own. @param {string[]} argv @param {string} cwd @param {() => void} [before] @returns {Timing} */
const time = (argv, cwd, before) => /** @type {Timing} */ (timeSideBySide([{ argv, cwd, before }])[0])

/** A VitePress project over a copy of the lessons: title, index and a sidebar in course order, nothing else. */
function prepareVitePress() {
  rmSync(VP, { recursive: true, force: true })
  const docs = path.join(VP, 'docs')
  mkdirSync(path.join(docs, '.vitepress'), { recursive: true })
  cpSync(LESSONS, path.join(docs, 'lessons'), { recursive: true })
  const items = readdirSync(LESSONS)
    .filter((f) => /^\d\d-.*\.md$/.test(f))
    .sort()
    .map((f) => {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(path.join(LESSONS, f), 'utf8'))?.[1] ?? ''
      const title = String(YAML.parse(front)?.title ?? f)
      return { text: title, link: `/lessons/${f.replace(/\.md$/, '')}` }
    })
  writeFileSync(path.join(docs, 'index.md'), '# Service Katas\n\n[Start](/lessons/00-pod-network)\n')
  writeFileSync(
    path.join(docs, '.vitepress', 'config.mjs'),
    // Raw HTML in a lesson is text to our renderer (markdown-it html: false); the same here,
    // or Vue reads lesson 08's `<pending>` in a heading as an element and the build stops.
    `export default { markdown: { html: false }, title: 'Service Katas', description: 'Kubernetes Services, kata by kata.', themeConfig: { sidebar: [{ text: 'Lessons', items: ${JSON.stringify(items)} }] } }\n`,
  )
  return items.length
}

/** The HTML of one page plus every same-site CSS, JS and font file it links, raw and gzip -6. @param {string} dist @param {string} pageFile */
function pageWeight(dist, pageFile) {
  const html = readFileSync(path.join(dist, pageFile))
  const text = html.toString('utf8')
  const refs = new Set()
  for (const m of text.matchAll(/<(?:link|script)\b[^>]*\s(?:href|src)="([^"]+)"/g)) {
    const ref = m[1] ?? ''
    if (/^https?:/.test(ref) || !/\.(css|js|woff2?)(\?|$)/.test(ref)) continue
    refs.add(ref.startsWith('/') ? ref.slice(1) : path.join(path.dirname(pageFile), ref))
  }
  let raw = html.length
  let gz = gzipSync(html, { level: 6 }).length
  let js = 0
  for (const ref of refs) {
    const file = path.join(dist, ref.replace(/\?.*$/, ''))
    if (!existsSync(file)) continue
    const body = readFileSync(file)
    raw += body.length
    gz += gzipSync(body, { level: 6 }).length
    if (ref.endsWith('.js')) js++
  }
  return { raw, gz, js, files: refs.size + 1 }
}

/** @param {string} dir @returns {number} */
const countJs = (dir) => (readdirSync(dir, { recursive: true }) /** @type {string[]} */).filter((f) => String(f).endsWith('.js')).length

const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`
const s = (/** @type {{median: number, min: number, max: number, cpu: number}} */ r) => `median ${r.median.toFixed(3)} s (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)}, n=${RUNS}), CPU ${r.cpu.toFixed(2)} s`

ensurePeers()
const lessons = prepareVitePress()
console.log(`site build: ${lessons} lessons from lessons/, ${RUNS} runs each after one warm-up\n`)
const run = path.join(ROOT, 'site', 'run.mjs')
// From scratch, as a fresh clone builds: every build cache removed first, none written.
const scratch = () => rmSync(path.join(ROOT, 'build', '.cache'), { recursive: true, force: true })
const lessonSite = ['--no-api', '--no-workspace', '--out', OURS]
// Ours from scratch and VitePress, in turns.
const [ours, vp] = /** @type {[Timing, Timing]} */ (
  timeSideBySide([
    { argv: [run, ...lessonSite, '--no-cache'], cwd: ROOT, before: scratch },
    { argv: [VITEPRESS_BIN, 'build', 'docs'], cwd: VP },
  ])
)
console.log(`${'ours: build:site from scratch (lesson site)'.padEnd(46)} ${s(ours)}`)
// A rebuild: the generator bundle, highlighted blocks and asset bundles from build/.cache/, as in `katas serve` after an edit.
const warm = time([run, ...lessonSite], ROOT)
console.log(`${'ours: build:site, caches warm'.padEnd(46)} ${s(warm)}`)
console.log(`${'VitePress 1.x: vitepress build (same lessons)'.padEnd(46)} ${s(vp)}${vp.ok ? '' : '  [EXIT NOT 0]'}`)
console.log(`${''.padEnd(46)} → VitePress / ours = ${(vp.median / ours.median).toFixed(1)}× from scratch, ${(vp.median / warm.median).toFixed(1)}× with warm caches (target ≥ 8×)`)
console.log(`${''.padEnd(46)} → in CPU seconds: ${(vp.cpu / ours.cpu).toFixed(1)}× from scratch, ${(vp.cpu / warm.cpu).toFixed(1)}× with warm caches`)
const withWorkspace = time([run, '--no-api', '--no-cache', '--out', OURS], ROOT, scratch)
console.log(`${'ours with the kata workspaces (from scratch)'.padEnd(46)} ${s(withWorkspace)}`)
console.log(`${''.padEnd(46)} → VitePress (no workspaces) / ours with them = ${(vp.median / withWorkspace.median).toFixed(2)}×`)
const withApi = time([run, '--no-cache', '--out', OURS], ROOT, () => {
  scratch()
  rmSync(path.join(OURS, 'api'), { recursive: true, force: true })
})
console.log(`${'ours with workspaces and typedoc API pages'.padEnd(46)} ${s(withApi)}`)
console.log(`${''.padEnd(46)} → VitePress (no API) / ours with API = ${(vp.median / withApi.median).toFixed(2)}×`)

const page = readdirSync(LESSONS).find((f) => f.startsWith('05-') && f.endsWith('.md'))?.replace(/\.md$/, '.html') ?? '00-pod-network.html'
const a = pageWeight(OURS, page)
const b = existsSync(VP_DIST) ? pageWeight(VP_DIST, path.join('lessons', page)) : undefined
console.log(`\none lesson page (${page}): HTML + linked CSS, JS and fonts`)
console.log(`${'ours'.padEnd(46)} ${kb(a.gz)} gzip (${kb(a.raw)} raw), ${a.files} files, ${a.js} JS`)
if (b) {
  console.log(`${'VitePress'.padEnd(46)} ${kb(b.gz)} gzip (${kb(b.raw)} raw), ${b.files} files, ${b.js} JS`)
  console.log(`${''.padEnd(46)} → ours / VitePress = ${(a.gz / b.gz).toFixed(3)} (target ≤ 0.200, ≈ 15 KB)`)
  const vpFonts = readdirSync(VP_DIST, { recursive: true }).filter((f) => String(f).endsWith('.woff2')).length
  console.log(`\nJS files in the whole site: ours ${countJs(path.join(OURS, 'assets'))} (search.js loads only when searching), VitePress ${countJs(VP_DIST)}; web fonts: ours 0, VitePress ${vpFonts}`)
}
const print = readFileSync(path.join(OURS, 'print.html'))
const elements = (print.toString('utf8').match(/<[a-z][a-z0-9-]*\b/g) ?? []).length
console.log(`\nprint page (print.html): ${kb(print.length)} raw, ${kb(gzipSync(print, { level: 6 }).length)} gzip, ${elements} elements (target ≤ 300 KB)`)
if (!ours.ok || !warm.ok || !vp.ok || !withWorkspace.ok || !withApi.ok) process.exitCode = 1
