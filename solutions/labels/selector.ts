// SEED — kata 02's helper replaces this file with the full module; keep these exports and signatures.
/** A set of labels, as in `metadata.labels`. */
export type Labels = Readonly<Record<string, string>>

export interface Selector {
  /** Whether the selector matches these labels. */
  matches(labels: Labels | undefined): boolean
  /** Whether the selector is empty (matches everything). */
  empty(): boolean
  toString(): string
}

/** The selector of a Service: every key must be present with an equal value. */
export function selectorFromSet(set: Labels | undefined | null): Selector {
  const entries = Object.entries(set ?? {})
  return {
    matches: (labels) => entries.every(([k, v]) => labels?.[k] === v),
    empty: () => entries.length === 0,
    toString: () => entries.map(([k, v]) => `${k}=${v}`).sort().join(','),
  }
}
