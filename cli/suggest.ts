// Did-you-mean: the known name nearest to what was typed, if it is near enough.

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]!
}

/** A name that contains what was typed, else the nearest within a third of its length (at least 2 edits). */
export function closestTo(typed: string, names: readonly string[]): string | undefined {
  const part = names.find((n) => typed.length >= 3 && n.includes(typed))
  if (part) return part
  let best: string | undefined
  let bestD = Infinity
  for (const n of names) {
    const d = distance(typed, n)
    if (d < bestD) (best = n), (bestD = d)
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}
