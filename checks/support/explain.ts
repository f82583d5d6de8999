// Small formatters for failure messages written in Kubernetes terms.

/** `{app: order, tier: web}`, the way a learner reads a selector or label set. */
export function labelsText(labels: Record<string, string> | undefined | null): string {
  if (!labels || Object.keys(labels).length === 0) return '{}'
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`
}

/** A list shown one item a line, indented, for multi-line messages. */
export function bullets(items: readonly string[]): string {
  return items.length === 0 ? '  (none)' : items.map((s) => `  ${s}`).join('\n')
}

/** Compares two lists and says what is missing and what is extra. */
export function listDiff(want: readonly string[], got: readonly string[]): string {
  const missing = want.filter((w) => !got.includes(w))
  const extra = got.filter((g) => !want.includes(g))
  const parts: string[] = []
  if (missing.length) parts.push(`missing:\n${bullets(missing)}`)
  if (extra.length) parts.push(`unexpected:\n${bullets(extra)}`)
  if (!parts.length && want.join('\n') !== got.join('\n')) parts.push(`same entries, wrong order:\n${bullets(got)}`)
  return parts.join('\n')
}
