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
