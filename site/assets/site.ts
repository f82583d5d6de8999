// The site's behaviour, as one classic script in <head>: the theme is set before
// the first paint, everything else once the page is parsed. No framework.
import type { SearchHit } from './search.ts'

const THEME_KEY = 'katas-theme'
type Theme = 'light' | 'dark'

const root = document.documentElement
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href
const systemDark = matchMedia('(prefers-color-scheme: dark)')

function storedTheme(): Theme | null {
  try {
    const t = localStorage.getItem(THEME_KEY)
    return t === 'light' || t === 'dark' ? t : null
  } catch {
    return null
  }
}

function applyTheme(theme: Theme): void {
  root.dataset.theme = theme
  const toggle = document.querySelector<HTMLButtonElement>('.theme-toggle')
  toggle?.setAttribute('aria-pressed', String(theme === 'dark'))
}

// Before the first paint: the reader's choice, else the system's.
applyTheme(storedTheme() ?? (systemDark.matches ? 'dark' : 'light'))
systemDark.addEventListener('change', (e) => {
  if (!storedTheme()) applyTheme(e.matches ? 'dark' : 'light')
})

function $$<T extends Element>(selector: string, scope: ParentNode = document): T[] {
  return [...scope.querySelectorAll<T>(selector)]
}

/** Announces a short message to screen readers. */
function announce(text: string): void {
  const live = document.getElementById('live-region')
  if (live) live.textContent = text
}

function setupTheme(): void {
  const toggle = document.querySelector<HTMLButtonElement>('.theme-toggle')
  applyTheme(root.dataset.theme === 'dark' ? 'dark' : 'light')
  toggle?.addEventListener('click', () => {
    const next: Theme = root.dataset.theme === 'dark' ? 'light' : 'dark'
    try {
      localStorage.setItem(THEME_KEY, next)
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    applyTheme(next)
  })
}

function setupMenu(): void {
  const button = document.querySelector<HTMLButtonElement>('.menu-button')
  const sidebar = document.getElementById('sidebar')
  if (!button || !sidebar) return
  const set = (open: boolean) => {
    document.body.classList.toggle('nav-open', open)
    button.setAttribute('aria-expanded', String(open))
    button.setAttribute('aria-label', open ? 'Hide the lessons' : 'Show the lessons')
  }
  button.addEventListener('click', () => set(!document.body.classList.contains('nav-open')))
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('nav-open')) {
      set(false)
      button.focus()
    }
  })
  sidebar.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) set(false)
  })
  // A click beside the open menu closes it.
  document.addEventListener('click', (e) => {
    const target = e.target as Element
    if (document.body.classList.contains('nav-open') && !sidebar.contains(target) && !button.contains(target)) set(false)
  })
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

/** ←/→ go to the previous/next lesson (mdBook); `/` opens the search. */
function setupKeys(openSearch: () => void): void {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || typing(e.target)) return
    if (document.querySelector('dialog[open]')) return
    if (e.key === '/') {
      e.preventDefault()
      openSearch()
      return
    }
    const rel = e.key === 'ArrowLeft' ? 'prev' : e.key === 'ArrowRight' ? 'next' : ''
    const link = rel && document.querySelector<HTMLLinkElement>(`link[rel="${rel}"]`)
    if (link) {
      e.preventDefault()
      location.href = link.href
    }
  })
}

/** The text a copy button copies: for a terminal, the command without its `$ ` prompt. */
function codeText(block: Element): string {
  const code = block.querySelector('pre')
  if (!code) return ''
  if (block.classList.contains('terminal')) {
    return $$('.line.cmd', code)
      .map((line) => (line.textContent ?? '').replace(/^\$ /, ''))
      .join('\n')
  }
  return code.textContent ?? ''
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text)
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'visually-hidden'
  document.body.append(area)
  area.select()
  document.execCommand('copy')
  area.remove()
}

function setupCopy(): void {
  document.addEventListener('click', async (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button.copy')
    const block = button?.closest('.code')
    if (!button || !block) return
    const label = button.querySelector('.copy-label')
    try {
      await copyText(codeText(block))
      button.classList.add('copied')
      if (label) label.textContent = 'Copied'
      announce('Copied to the clipboard')
    } catch {
      if (label) label.textContent = 'Press Ctrl+C'
    }
    setTimeout(() => {
      button.classList.remove('copied')
      if (label) label.textContent = 'Copy'
    }, 1600)
  })
}

/** Stepped diagrams: one frame at a time, stepped with the buttons or ←/→ while the figure has focus. */
function setupSteps(): void {
  for (const figure of $$<HTMLElement>('figure.steps')) {
    const frames = $$<HTMLElement>('.step', figure)
    const nav = figure.querySelector<HTMLElement>('.steps-nav')
    const prev = figure.querySelector<HTMLButtonElement>('.steps-prev')
    const next = figure.querySelector<HTMLButtonElement>('.steps-next')
    const count = figure.querySelector<HTMLElement>('.steps-count')
    if (frames.length < 2 || !nav || !prev || !next || !count) continue
    let at = 0
    const show = (i: number) => {
      at = Math.max(0, Math.min(frames.length - 1, i))
      frames.forEach((f, k) => (f.hidden = k !== at))
      count.textContent = `Step ${at + 1} of ${frames.length}`
      prev.disabled = at === 0
      next.disabled = at === frames.length - 1
    }
    figure.classList.add('stepping')
    nav.hidden = false
    prev.addEventListener('click', () => show(at - 1))
    next.addEventListener('click', () => show(at + 1))
    figure.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
      e.preventDefault()
      show(at + (e.key === 'ArrowRight' ? 1 : -1))
    })
    show(0)
  }
  // Printing shows every frame.
  addEventListener('beforeprint', () => $$<HTMLElement>('figure.steps .step').forEach((f) => (f.hidden = false)))
}

/** The outline marks the section being read. */
function setupOutline(): void {
  const links = $$<HTMLAnchorElement>('.outline a')
  if (links.length === 0) return
  const targets = links.map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1))))
  const update = () => {
    let current = 0
    targets.forEach((t, i) => {
      if (t && t.getBoundingClientRect().top < 120) current = i
    })
    links.forEach((a, i) => a.classList.toggle('active', i === current))
  }
  addEventListener('scroll', update, { passive: true })
  update()
}

interface KataStatus {
  status: 'not-started' | 'failing' | 'passed'
  tasksPassed: number
  tasksTotal: number
}

interface StatusFile {
  served: boolean
  current?: string
  katas?: Record<string, KataStatus>
}

const STATUS_TEXT: Record<KataStatus['status'], string> = { passed: 'green', failing: 'in progress', 'not-started': 'not started' }

/** When served by `katas serve`/`npm start`: the learner's check status, from the workspace. */
async function refreshStatus(): Promise<void> {
  const base = document.body.dataset.base ?? ''
  let data: StatusFile
  try {
    const response = await fetch(`${base}status.json`, { cache: 'no-store' })
    if (!response.ok) return
    data = (await response.json()) as StatusFile
  } catch {
    return
  }
  if (!data.served || !data.katas) return
  for (const mark of $$<HTMLElement>('.mark[data-kata]')) {
    const s = data.katas[mark.dataset.kata ?? '']
    mark.className = `mark${s ? ` mark-${s.status}` : ''}${mark.dataset.kata === data.current ? ' mark-current' : ''}`
    mark.title = s ? `Kata ${STATUS_TEXT[s.status]}: ${s.tasksPassed} of ${s.tasksTotal} tasks green` : ''
  }
  for (const text of $$<HTMLElement>('[data-kata-text]')) {
    const s = data.katas[text.dataset.kataText ?? '']
    text.textContent = s ? ` (kata ${STATUS_TEXT[s.status]})` : ''
  }
  for (const box of $$<HTMLElement>('.kata-status[data-kata]')) {
    const s = data.katas[box.dataset.kata ?? '']
    if (!s) continue
    box.hidden = false
    box.className = `kata-status kata-status-${s.status}`
    box.textContent =
      s.status === 'passed'
        ? `✓ Your kata is green: ${s.tasksPassed} of ${s.tasksTotal} tasks.`
        : s.status === 'failing'
          ? `Your kata: ${s.tasksPassed} of ${s.tasksTotal} tasks green. Save a file to re-run the checks.`
          : `Your kata is not started yet: ${s.tasksTotal} tasks to go.`
  }
}

function setupStatus(): void {
  if (!location.protocol.startsWith('http')) return
  void refreshStatus()
  setInterval(() => {
    if (document.visibilityState === 'visible') void refreshStatus()
  }, 4000)
}

function setupSearch(): () => void {
  const dialog = document.querySelector<HTMLDialogElement>('dialog.search-dialog')
  const input = dialog?.querySelector<HTMLInputElement>('input[type=search]')
  const list = dialog?.querySelector<HTMLUListElement>('.search-results')
  const button = document.querySelector<HTMLButtonElement>('.search-button')
  if (!dialog || !input || !list) return () => {}
  const base = document.body.dataset.base ?? ''
  let searcher: Promise<(q: string) => SearchHit[]> | undefined
  const load = () => {
    searcher ??= import(new URL('search.js', scriptUrl).href).then((m: typeof import('./search.ts')) =>
      m.loadSearch(new URL(`${base}search-index.json`, location.href).href),
    )
    return searcher
  }
  const render = async () => {
    const query = input.value.trim()
    list.replaceChildren()
    if (!query) return
    const hits = (await load())(query)
    if (input.value.trim() !== query) return
    if (hits.length === 0) {
      const li = document.createElement('li')
      li.className = 'search-empty'
      li.textContent = `No results for “${query}”`
      list.append(li)
      return
    }
    for (const hit of hits) {
      const li = document.createElement('li')
      const a = document.createElement('a')
      a.href = `${base}${hit.href}`
      const heading = document.createElement('span')
      heading.className = 'hit-heading'
      heading.textContent = hit.heading
      const lesson = document.createElement('span')
      lesson.className = 'hit-lesson'
      lesson.textContent = hit.lesson
      a.append(heading, lesson)
      li.append(a)
      list.append(li)
    }
  }
  const open = () => {
    if (dialog.open) return
    dialog.showModal()
    input.select()
    void load()
  }
  input.addEventListener('input', () => void render())
  dialog.addEventListener('keydown', (e) => {
    const links = $$<HTMLAnchorElement>('a', list)
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
  // A click on the backdrop closes the dialog.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close()
  })
  list.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) dialog.close()
  })
  button?.addEventListener('click', open)
  return open
}

function setupPrint(): void {
  for (const b of $$<HTMLButtonElement>('.print-button')) b.addEventListener('click', () => print())
}

document.addEventListener('DOMContentLoaded', () => {
  const live = document.createElement('div')
  live.id = 'live-region'
  live.className = 'visually-hidden'
  live.setAttribute('aria-live', 'polite')
  document.body.append(live)
  setupTheme()
  setupMenu()
  setupKeys(setupSearch())
  setupCopy()
  setupSteps()
  setupOutline()
  setupStatus()
  setupPrint()
})
