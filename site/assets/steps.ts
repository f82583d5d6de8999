// Stepped diagrams: one frame at a time, stepped with the buttons or ←/→ while the
// figure has focus. The drawing always fits the column; "Enlarge" (or a tap on the
// drawing) opens it at full size in a dialog, where a phone can pan and pinch it.
import { $$ } from './dom.ts'

interface Stepper {
  figure: HTMLElement
  frames: HTMLElement[]
  at: number
  show(i: number): void
}

/** A button that stays focusable at the end of its range: `disabled` would drop the focus to the page. */
function setEnabled(button: HTMLButtonElement, enabled: boolean): void {
  button.setAttribute('aria-disabled', String(!enabled))
}
const enabled = (button: HTMLButtonElement) => button.getAttribute('aria-disabled') !== 'true'

/** The frame's drawing with its ids renamed, so the copy's markers never point into the page's. */
function drawingOf(frame: HTMLElement): string {
  return (frame.querySelector('svg')?.outerHTML ?? '').replace(/(\sid="|url\(#|href="#)/g, '$1z-')
}

function zoomDialog(): { dialog: HTMLDialogElement; open(s: Stepper, from: HTMLElement): void } {
  const dialog = document.createElement('dialog')
  dialog.className = 'zoom'
  dialog.innerHTML =
    '<div class="zoom-bar"><p class="zoom-title"></p><button type="button" class="zoom-close">Close</button></div>' +
    '<div class="zoom-view" tabindex="0" role="region" aria-label="Diagram at full size"></div><p class="zoom-hint" hidden>Drag sideways, or turn your phone, to see the whole drawing.</p><p class="zoom-caption"></p>' +
    '<div class="steps-nav"><button type="button" class="steps-prev" aria-label="Previous step">←</button><span class="steps-count"></span><button type="button" class="steps-next" aria-label="Next step">→</button></div>'
  document.body.append(dialog)
  const q = <T extends Element>(s: string) => dialog.querySelector<T>(s)!
  const view = q<HTMLElement>('.zoom-view')
  const prev = q<HTMLButtonElement>('.steps-prev')
  const next = q<HTMLButtonElement>('.steps-next')
  let current: Stepper | undefined
  let opener: HTMLElement | undefined
  const render = () => {
    if (!current) return
    const { frames, at } = current
    view.innerHTML = drawingOf(frames[at]!)
    const svg = view.querySelector('svg')
    // Natural size: one unit of the drawing is one pixel, so its text keeps the size it was drawn at.
    const width = svg?.viewBox.baseVal.width ?? 720
    if (svg) svg.style.width = `${Math.max(width, Math.min(innerWidth - 32, width * 1.5))}px`
    q<HTMLElement>('.zoom-hint').hidden = view.scrollWidth <= view.clientWidth
    q('.zoom-caption').innerHTML = frames[at]!.querySelector('.step-caption')?.innerHTML ?? ''
    q('.steps-count').textContent = `Step ${at + 1} of ${frames.length}`
    setEnabled(prev, at > 0)
    setEnabled(next, at < frames.length - 1)
    q<HTMLElement>('.steps-nav').hidden = frames.length < 2
  }
  const step = (d: number) => {
    if (!current) return
    current.show(current.at + d)
    render()
  }
  prev.addEventListener('click', () => enabled(prev) && step(-1))
  next.addEventListener('click', () => enabled(next) && step(1))
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      // The view pans with the arrows when the drawing is wider than the screen.
      if (document.activeElement === view && view.scrollWidth > view.clientWidth) return
      e.preventDefault()
      step(e.key === 'ArrowRight' ? 1 : -1)
    }
  })
  q('.zoom-close').addEventListener('click', () => dialog.close())
  dialog.addEventListener('click', (e) => e.target === dialog && dialog.close())
  dialog.addEventListener('close', () => opener?.focus())
  return {
    dialog,
    open(s, from) {
      current = s
      opener = from
      q('.zoom-title').textContent = s.figure.querySelector('.steps-title')?.textContent ?? 'Diagram'
      dialog.setAttribute('aria-label', q('.zoom-title').textContent ?? 'Diagram')
      dialog.showModal()
      render()
      view.focus()
    },
  }
}

export function setupSteps(): void {
  const figures = $$<HTMLElement>('figure.steps')
  if (figures.length === 0) return
  let zoom: ReturnType<typeof zoomDialog> | undefined
  for (const figure of figures) {
    const frames = $$<HTMLElement>('.step', figure)
    const q = <T extends Element>(s: string) => figure.querySelector<T>(s)
    const nav = q<HTMLElement>('.steps-nav')
    const prev = q<HTMLButtonElement>('.steps-prev')
    const next = q<HTMLButtonElement>('.steps-next')
    const count = q<HTMLElement>('.steps-count')
    const enlarge = q<HTMLButtonElement>('.steps-zoom')
    if (!nav || !prev || !next || !count || !enlarge || frames.length === 0) continue
    const s: Stepper = {
      figure,
      frames,
      at: 0,
      show(i) {
        s.at = Math.max(0, Math.min(frames.length - 1, i))
        frames.forEach((f, k) => (f.hidden = k !== s.at))
        count.textContent = `Step ${s.at + 1} of ${frames.length}`
        setEnabled(prev, s.at > 0)
        setEnabled(next, s.at < frames.length - 1)
      },
    }
    figure.classList.add('stepping')
    nav.hidden = false
    prev.addEventListener('click', () => enabled(prev) && s.show(s.at - 1))
    next.addEventListener('click', () => enabled(next) && s.show(s.at + 1))
    const open = (from: HTMLElement) => (zoom ??= zoomDialog()).open(s, from)
    enlarge.addEventListener('click', () => open(enlarge))
    figure.addEventListener('click', (e) => {
      if ((e.target as Element).closest('.step-svg')) open(enlarge)
    })
    figure.addEventListener('keydown', (e) => {
      if ((e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || (e.target as Element).closest('a')) return
      e.preventDefault()
      s.show(s.at + (e.key === 'ArrowRight' ? 1 : -1))
    })
    s.show(0)
  }
}
