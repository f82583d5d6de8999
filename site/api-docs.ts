// The API pages: typedoc over stubs/ — the learner's API with its TSDoc — written to
// `api/` in the site, dressed as the rest of the site: the site's palette, top bar and
// theme toggle (site.js, api.css), each module with its description (the stub's header
// comment) and a link back to the lesson of its kata, and the landmarks and labels that
// typedoc's default theme lacks. Slow (a whole TypeScript program), so it is rebuilt
// only when a stub, the lessons' list or this post-processing changed.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata } from '../harness/course.ts'
import { filesUnder } from '../harness/files.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import type { Book } from './book.ts'
import { API_DIRECTIVES, cspMeta } from './csp.ts'
import { SITE_TITLE } from './config.ts'
import { escapeHtml } from './html.ts'

// Bump when the post-processing changes, so old API pages are rebuilt.
const VERSION = 6
const STAMP = '.api-stamp'

/** The API page of a workbook module: `dns/records.ts` → `api/modules/dns_records.html`. */
export function apiPath(modulePath: string): string {
  return `api/modules/${modulePath.replace(/\.ts$/, '').replace(/\//g, '_')}.html`
}

/** A module's own description: its header comment after the stub's "you write" banner, as Markdown paragraphs. */
export function moduleDescription(source: string): string {
  const lines = source.split('\n')
  let i = 0
  const banner = (l: string | undefined) => /^\/\/ ─{8,}/.test(l ?? '')
  if (banner(lines[0])) {
    i = lines.findIndex((l, k) => k > 0 && banner(l)) + 1
  }
  const comment: string[] = []
  for (; i < lines.length && lines[i]!.startsWith('//'); i++) comment.push(lines[i]!.replace(/^\/\/ ?/, ''))
  return comment
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n')
}

export interface ModuleLesson {
  kata: Kata
  /** The lesson's page, or undefined when it is not written yet. */
  href: string | undefined
  title: string
  /** Functions the core path asks for in this module. */
  writes: string[]
}

/** The kata (and its lesson) each module belongs to: the first kata that edits it or asks for a function in it. */
export function moduleLessons(book: Pick<Book, 'chapters' | 'drafts'>): Map<string, ModuleLesson> {
  const chapters = new Map(book.chapters.map((c) => [c.kata.id, c]))
  const katas = [...book.chapters.map((c) => c.kata), ...book.drafts].sort((a, b) => a.id.localeCompare(b.id))
  const out = new Map<string, ModuleLesson>()
  for (const kata of katas) {
    const chapter = chapters.get(kata.id)
    const core = kata.tasks.filter((t) => t.track === 'core')
    for (const m of new Set([...kata.modules, ...core.flatMap((t) => t.write.map((w) => w.module))])) {
      if (out.has(m)) continue
      const writes = [...new Set(core.flatMap((t) => t.write.filter((w) => w.module === m).map((w) => w.name)))]
      out.set(m, { kata, href: chapter?.href, title: chapter?.front.title ?? kata.title, writes })
    }
  }
  return out
}

function newestMtime(dir: string): number {
  return Math.max(0, ...filesUnder(dir).map((f) => statSync(path.join(dir, f)).mtimeMs))
}

function stampOf(stubsDir: string, lessons: Map<string, ModuleLesson>): string {
  return JSON.stringify({ VERSION, stubs: newestMtime(stubsDir), lessons: [...lessons].map(([m, l]) => [m, l.href, l.title, l.writes]) })
}

export function apiIsFresh(stubsDir: string, apiDir: string, lessons: Map<string, ModuleLesson>): boolean {
  const stamp = path.join(apiDir, STAMP)
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === stampOf(stubsDir, lessons)
}

const THEME_TOGGLE =
  '<button class="icon-button theme-toggle" type="button" aria-label="Dark theme" aria-pressed="false"><svg class="icon-moon" viewBox="0 0 24 24" aria-hidden="true"><path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"/></svg><svg class="icon-sun" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="4"/><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"/></svg></button>'

/** The lesson line under a module page's title. */
function lessonLine(lesson: ModuleLesson, up: string): string {
  const name = `Lesson ${lesson.kata.id}: ${escapeHtml(lesson.title)}`
  const link = lesson.href ? `<a href="${up}${lesson.href}">${name}</a>` : `${name} (not written yet)`
  const writes = lesson.writes.length ? ` On the core path you write ${lesson.writes.map((w) => `<code>${escapeHtml(w)}</code>`).join(', ')}; the rest is given code to read.` : ' Given code, to read.'
  return `<p class="api-lesson">${link}.${writes}</p>`
}

/**
 * One typedoc page made a page of the site. typedoc's pages start with an inline
 * script (a theme flash guard) that the CSP forbids: removed, and the site's script
 * sets the theme instead, from the same choice the lessons remember. `up` is the path
 * from the page to the site root (`../../`).
 */
export function hardenApiPage(html: string, up: string, lesson?: ModuleLesson): string {
  let out = html
    .replace(/<script>[^<]*<\/script>/g, '')
    .replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${cspMeta(API_DIRECTIVES)}"><link rel="icon" href="${up}assets/favicon.svg" type="image/svg+xml"><script src="${up}assets/site.js"></script>`)
    .replace('</head>', `<link rel="stylesheet" href="${up}assets/api.css"></head>`)
    // The top bar: the site's brand and theme toggle around typedoc's own search.
    .replace(/<a href="[^"]*" class="title">[^<]*<\/a>/, `<a href="${up}index.html" class="title brand"><span class="brand-mark" aria-hidden="true">⎈</span>${SITE_TITLE}</a><a href="${up}api/index.html" class="api-home">API</a>`)
    .replace(/<div id="tsd-toolbar-links">[\s\S]*?<\/div>/, `<div id="tsd-toolbar-links"><a href="${up}index.html">Lessons</a></div>`)
    .replace(/(<a href="#" class="tsd-widget menu")/, `${THEME_TOGGLE}$1`)
    // Landmarks: the content is the main one; the sidebars are labelled.
    .replace('<div class="col-content">', '<div class="col-content" role="main" id="content">')
    .replace('<div class="col-sidebar">', '<div class="col-sidebar" role="complementary" aria-label="On this page and the modules">')
    .replace('<nav id="tsd-sidebar-links" class="tsd-navigation">', '<nav id="tsd-sidebar-links" class="tsd-navigation" aria-label="Site">')
    .replace(/<nav class="tsd-navigation">(?=<a href="[^"]*">)/, '<nav class="tsd-navigation" aria-label="Modules">')
    // A link inside a <summary> is a control inside a control: the heading's permalink goes.
    .replace(/<a href="#[^"]*" aria-label="Permalink" class="tsd-anchor-icon"><svg[^>]*><use[^>]*><\/use><\/svg><\/a>(<\/h[1-6]><\/summary>)/g, '$1')
    // Settings: the theme is the site's toggle; member visibility has nothing to filter.
    .replace(/<div class="tsd-navigation settings">[\s\S]*?<\/details><\/div>\n?/, '')
    .replace(/href="(?:\.\.\/)*index\.html" class="tsd-nav-link">Lessons</, `href="${up}index.html" class="tsd-nav-link">Lessons<`)
  if (lesson) out = out.replace(/(<h1>[^<]*<\/h1><\/div>)/, `$1\n${lessonLine(lesson, up)}`)
  return headingsInOrder(out)
}

/**
 * typedoc's headings may skip levels (a class's `@see` is an <h4> right under its
 * <h1>, parameters an <h4> under an <h2>); a screen reader's outline should not.
 * Each heading is lowered to at most one below the one before it.
 */
export function headingsInOrder(html: string): string {
  let prev = 0
  return html.replace(/<h([1-6])\b([^>]*)>([\s\S]*?)<\/h\1>/g, (_all, n: string, attrs: string, inner: string) => {
    const level = Math.min(Number(n), prev + 1)
    prev = level
    return `<h${level}${attrs}>${inner}</h${level}>`
  })
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.html'))
    .map((d) => path.join(d.parentPath, d.name))
}

export async function buildApiDocs(stubsDir: string, apiDir: string, book: Pick<Book, 'chapters' | 'drafts'>): Promise<'built' | 'fresh'> {
  const lessons = moduleLessons(book)
  if (apiIsFresh(stubsDir, apiDir, lessons)) return 'fresh'
  const modules = filesUnder(stubsDir).filter((f) => f.endsWith('.ts'))
  const { Application, Comment, LogLevel, ReflectionKind } = await import('typedoc')
  const app = await Application.bootstrapWithPlugins({
    entryPoints: [stubsDir],
    entryPointStrategy: 'expand',
    tsconfig: path.join(PACKAGE_ROOT, 'site', 'api.tsconfig.json'),
    name: `${SITE_TITLE} API`,
    readme: 'none',
    skipErrorChecking: true,
    disableSources: true,
    hideGenerator: true,
    excludePrivate: true,
    excludeInternal: true,
    // Modules are links in the sidebar, not disclosures with a link inside.
    navigationLeaves: modules.map((m) => m.replace(/\.ts$/, '')),
    visibilityFilters: {},
    logLevel: LogLevel.Error,
    validation: { notExported: false, invalidLink: false },
  })
  const project = await app.convert()
  if (!project) throw new Error(`typedoc could not read ${stubsDir}`)
  for (const reflection of project.getReflectionsByKind(ReflectionKind.Module)) {
    const file = path.join(stubsDir, `${reflection.name}.ts`)
    if (reflection.comment || !existsSync(file)) continue
    const text = moduleDescription(readFileSync(file, 'utf8'))
    if (text) reflection.comment = new Comment([{ kind: 'text', text }])
  }
  await app.generateDocs(project, apiDir)
  for (const file of htmlFiles(apiDir)) {
    const rel = path.relative(apiDir, file).split(path.sep).join('/')
    const up = '../'.repeat(rel.split('/').length)
    const module = /^modules\/(.+)\.html$/.exec(rel)?.[1]
    const lesson = module ? [...lessons].find(([m]) => apiPath(m) === `api/${rel}`)?.[1] : undefined
    writeFileSync(file, hardenApiPage(readFileSync(file, 'utf8'), up, lesson))
  }
  writeFileSync(path.join(apiDir, STAMP), stampOf(stubsDir, lessons))
  return 'built'
}
