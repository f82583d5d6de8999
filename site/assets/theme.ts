// Light or dark: the reader's choice (remembered), else the system's. Applied before
// the first paint, so a dark page never flashes white.
const THEME_KEY = 'katas-theme'
type Theme = 'light' | 'dark'

const root = document.documentElement
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
  document.querySelector('.theme-toggle')?.setAttribute('aria-pressed', String(theme === 'dark'))
}

export function applyThemeEarly(): void {
  applyTheme(storedTheme() ?? (systemDark.matches ? 'dark' : 'light'))
  systemDark.addEventListener('change', (e) => {
    if (!storedTheme()) applyTheme(e.matches ? 'dark' : 'light')
  })
}

export function setupTheme(): void {
  applyTheme(root.dataset.theme === 'dark' ? 'dark' : 'light')
  document.querySelector('.theme-toggle')?.addEventListener('click', () => {
    const next: Theme = root.dataset.theme === 'dark' ? 'light' : 'dark'
    try {
      localStorage.setItem(THEME_KEY, next)
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    applyTheme(next)
  })
}
