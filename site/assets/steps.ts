// Stepped diagrams: one frame at a time, stepped with the buttons or ←/→ while the
// figure has focus. The drawing always fits the column; "Enlarge" (or a tap on the
// drawing) opens it at full size (zoom.ts), where a phone can pan and pinch it.
import { $$ } from './dom.ts'

import { enabled, setEnabled, type Stepper } from './stepper.ts'

const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href

export function setupSteps(): void {
  const figures = $$<HTMLElement>('figure.steps')
  if (figures.length === 0) return
  let zoom: Promise<typeof import('./zoom.ts')> | undefined
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
    // The enlarged view is a module of its own, loaded the first time a reader asks for it.
    const open = (from: HTMLElement) => void (zoom ??= import(new URL('zoom.js', scriptUrl).href)).then((m) => m.openZoom(s, from))
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
