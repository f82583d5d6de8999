// A stepped diagram enlarged: the current frame at its natural size (one unit of the
// drawing is one pixel, so its text keeps the size it was drawn at) in a full-screen
// dialog, stepped like the figure; a phone pans it sideways. Loaded on first use.
import { stylesheet } from './dom.ts'
import { enabled, setEnabled, type Stepper } from './stepper.ts'

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

let dialog: ReturnType<typeof zoomDialog> | undefined

const styled = stylesheet(new URL('zoom.css', import.meta.url).href)

export async function openZoom(s: Stepper, from: HTMLElement): Promise<void> {
  await styled
  ;(dialog ??= zoomDialog()).open(s, from)
}
