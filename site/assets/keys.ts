// The site's keys (mdBook's): ←/→ go to the previous/next lesson, `/` opens the search.
// Arrows belong to whatever has focus first: a code block, a table or the sidebar
// scrolls with them, a diagram steps with them, a form control edits with them.

/** True when the element, or one around it, takes the arrow keys itself. */
export function takesArrows(start: Element | null): boolean {
  for (let el = start; el && el !== document.body && el !== document.documentElement; el = el.parentElement) {
    if (el.matches('input, textarea, select, [contenteditable], figure.steps, dialog, details, [role=region]')) return true
    const s = getComputedStyle(el)
    if (/auto|scroll/.test(s.overflowX + s.overflowY)) return true
  }
  return false
}

export function setupKeys(openSearch: () => void): void {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return
    if (document.querySelector('dialog[open]')) return
    const focus = e.target instanceof Element ? e.target : null
    if (e.key === '/' && !focus?.matches('input, textarea, select, [contenteditable]')) {
      e.preventDefault()
      openSearch()
      return
    }
    const rel = e.key === 'ArrowLeft' ? 'prev' : e.key === 'ArrowRight' ? 'next' : ''
    const link = rel ? document.querySelector<HTMLLinkElement>(`link[rel="${rel}"]`) : null
    if (link && !takesArrows(focus)) {
      e.preventDefault()
      location.href = link.href
    }
  })
}
