// A terminal's coloured output as HTML: anser parses the ANSI escapes, each colour
// and decoration becomes a class (`a-red`, `a-bold`), never a style attribute, so the
// page's Content-Security-Policy needs no inline styles and the palette is the site's.
import Anser from 'anser'
import { escapeHtml } from './html.ts'

const COLOURS = new Set(['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'])

function classes(fg: string, decorations: readonly string[]): string[] {
  // anser names the 16 colours `ansi-red`, `ansi-bright-red`; the bright ones use the same class.
  const colour = fg.replace(/^ansi-/, '').replace(/^bright-/, '')
  return [...(COLOURS.has(colour) ? [`a-${colour}`] : []), ...decorations.filter((d) => d === 'bold' || d === 'dim' || d === 'italic' || d === 'underline').map((d) => `a-${d}`)]
}

/** `text` with its ANSI escapes as `<span class="a-…">`; everything else escaped. */
export function ansiToHtml(text: string): string {
  return Anser.ansiToJson(text, { use_classes: true, remove_empty: true })
    .map((entry) => {
      const cls = classes(entry.fg ?? '', entry.decorations ?? [])
      const body = escapeHtml(entry.content)
      return cls.length ? `<span class="${cls.join(' ')}">${body}</span>` : body
    })
    .join('')
}
