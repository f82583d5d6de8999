// Small DOM helpers the site's scripts share.

export function $$<T extends Element>(selector: string, scope: ParentNode = document): T[] {
  return [...scope.querySelectorAll<T>(selector)]
}

/** Announces a short message to screen readers, politely, through the page's one live region. */
export function announce(text: string): void {
  const live = document.getElementById('live-region')
  if (live) live.textContent = text
}

/** The prefix from this page to the site root ('' or '../'), as the page shell writes it. */
export const siteBase = (): string => document.body.dataset.base ?? ''

/** Adds a stylesheet of the site's own (for a part loaded on first use); resolves once it applies. */
export function stylesheet(href: string): Promise<void> {
  return new Promise((resolve) => {
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = href
    link.onload = link.onerror = () => resolve()
    document.head.append(link)
  })
}
