// Inlining a diagram's SVG into the page, so its `currentColor` and `var(--diagram-*)`
// follow the page's theme. The file is checked first: no scripts, no event handlers,
// no outside references (docs/lesson-format.md, "Stepped diagrams").

const FORBIDDEN: [RegExp, string][] = [
  [/<script\b/i, 'a <script> element'],
  [/\son[a-z]+\s*=/i, 'an event handler attribute'],
  [/<foreignObject\b/i, 'a <foreignObject> element'],
  [/(?:href|src)\s*=\s*["'](?!#)[^"']+["']/i, 'a reference to another file'],
  [/url\(\s*['"]?(?!#)[^)]*\)/i, 'a url() outside the file'],
]

/** Why this SVG cannot be inlined, or undefined when it can. */
export function svgProblem(svg: string): string | undefined {
  if (!/<svg\b/i.test(svg)) return 'no <svg> element'
  if (!/<svg\b[^>]*\sviewBox=/i.test(svg)) return 'no viewBox on the <svg> element'
  for (const [pattern, what] of FORBIDDEN) if (pattern.test(svg)) return `${what} (diagrams must be self-contained)`
  return undefined
}

/**
 * The SVG ready to inline: prolog and comments dropped, ids prefixed so two
 * diagrams on a page never collide, fixed sizes removed so CSS sizes it, and
 * labelled as one image. What only a standalone file needs goes: the namespace, the
 * <title> the label replaces, the font the page already sets, the colours standing in
 * for the page's `--diagram-*` palette, and line breaks between elements.
 */
export function inlineSvg(svg: string, idPrefix: string, label: string): string {
  let out = svg
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<svg\b[^>]*?>)\s*<title\b[^>]*>[\s\S]*?<\/title>/i, '$1')
    .replace(/var\((--diagram-[\w-]+),\s*#[0-9a-fA-F]{3,8}\)/g, 'var($1)')
    // A line break inside <text> is a space in the drawing: those stay.
    .replace(/(<text\b[\s\S]*?<\/text>)|>\s*\n\s*</g, (all, text?: string) => text ?? '><')
    .trim()
  const ids = new Set([...out.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!))
  for (const id of ids) {
    const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    out = out
      .replace(new RegExp(`(\\sid=")${esc}"`, 'g'), `$1${idPrefix}-${id}"`)
      .replace(new RegExp(`url\\(#${esc}\\)`, 'g'), `url(#${idPrefix}-${id})`)
      .replace(new RegExp(`(href=")#${esc}"`, 'g'), `$1#${idPrefix}-${id}"`)
  }
  return out.replace(/<svg\b([^>]*)>/i, (_all, attrs: string) => {
    const kept = attrs.replace(/\s(?:xmlns|width|height|role|aria-label|aria-labelledby|font-family)="[^"]*"/g, '')
    return `<svg${kept} role="img" aria-label="${label.replace(/"/g, '&quot;')}">`
  })
}
