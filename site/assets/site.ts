// The site's behaviour, as one small classic script in <head>: the theme is set before
// the first paint, everything else once the page is parsed. No framework; the search
// (search.ts) is a module loaded the first time the reader searches.
import { $$, siteBase } from './dom.ts'
import { setupCopy } from './copy.ts'
import { setupKeys } from './keys.ts'
import { setupSteps } from './steps.ts'
import { applyThemeEarly, setupTheme } from './theme.ts'

const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href
applyThemeEarly()

function setupMenu(): void {
  const button = document.querySelector<HTMLButtonElement>('.menu-button')
  const sidebar = document.getElementById('sidebar')
  if (!button || !sidebar) return
  const set = (open: boolean) => {
    document.body.classList.toggle('nav-open', open)
    button.setAttribute('aria-expanded', String(open))
    button.setAttribute('aria-label', open ? 'Hide the lessons' : 'Show the lessons')
  }
  const isOpen = () => document.body.classList.contains('nav-open')
  button.addEventListener('click', () => set(!isOpen()))
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen()) {
      set(false)
      button.focus()
    }
  })
  // A click on a link, or beside the open menu, closes it.
  document.addEventListener('click', (e) => {
    const target = e.target as Element
    if (isOpen() && (target.closest('#sidebar a') || (!sidebar.contains(target) && !button.contains(target)))) set(false)
  })
}

function setupSearch(): () => void {
  const dialog = document.querySelector<HTMLDialogElement>('dialog.search-dialog')
  if (!dialog) return () => {}
  let attached: Promise<void> | undefined
  const open = () => {
    if (dialog.open) return
    dialog.showModal()
    dialog.querySelector('input')?.select()
    attached ??= import(new URL('search.js', scriptUrl).href).then((m: typeof import('./search.ts')) => m.attach(dialog, siteBase()))
  }
  dialog.addEventListener('click', (e) => e.target === dialog && dialog.close())
  document.querySelector('.search-button')?.addEventListener('click', open)
  return open
}

/** The outline: the page's `##` and `###` headings, with the section being read marked. */
function setupOutline(): void {
  const aside = document.querySelector<HTMLElement>('aside.outline')
  const targets = $$<HTMLElement>('.lesson-body :is(h2, h3)[id]')
  if (!aside || targets.length === 0) return
  const links = targets.map((h) => {
    const li = document.createElement('li')
    li.className = `outline-${h.tagName[1]}`
    const a = document.createElement('a')
    a.href = `#${h.id}`
    // The heading's text without its "#" link.
    const text = h.cloneNode(true) as HTMLElement
    text.querySelector('.anchor')?.remove()
    a.textContent = text.textContent ?? ''
    li.append(a)
    aside.querySelector('ol')?.append(li)
    return a
  })
  aside.hidden = false
  const update = () => {
    let current = 0
    targets.forEach((t, i) => t.getBoundingClientRect().top < 120 && (current = i))
    links.forEach((a, i) => a.classList.toggle('active', i === current))
  }
  addEventListener('scroll', update, { passive: true })
  update()
}

/** Printing shows every diagram frame and every answer. */
function setupPrint(): void {
  for (const b of $$<HTMLButtonElement>('.print-button')) b.addEventListener('click', () => print())
  addEventListener('beforeprint', () => {
    for (const f of $$<HTMLElement>('.step')) f.hidden = false
    for (const d of $$<HTMLDetailsElement>('details')) d.open = true
  })
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
  // Progress exists only on the learner's machine, served by `katas serve` or `npm start`.
  if (/^(127\.0\.0\.1|localhost|\[::1\])$/.test(location.hostname) && document.querySelector('[data-kata]')) {
    void import(new URL('status.js', scriptUrl).href).then((m: typeof import('./status.ts')) => m.setupStatus())
  }
  setupPrint()
})
