// Escaping for text and attribute values written into HTML.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

const TEXT_ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&gt;': '>' }

/**
 * A finished page with the quotes and `>` of its text written as themselves: only `<`
 * and `&` must be escaped in text (attribute values keep their escapes). The same page,
 * a few kilobytes lighter where code and transcripts quote a lot.
 */
export function unescapeTextQuotes(html: string): string {
  // An escape is in a tag (an attribute value) when the last `<` before it comes after the
  // last `>`. Looking back from each escape is cheaper than matching every tag of the page.
  return html.replace(/&(?:quot|#39|gt);/g, (m: string, at: number) => (html.lastIndexOf('<', at) > html.lastIndexOf('>', at) ? m : (TEXT_ENTITIES[m] ?? m)))
}
