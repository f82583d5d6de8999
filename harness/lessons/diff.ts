// A unified diff of two short texts (a try-it block against the model's
// output), line by line, from their longest common subsequence.

/** `diff -u`-style lines: ` ` kept, `-` only in `expected` (the lesson), `+` only in `actual` (the model). */
export function unifiedDiff(expected: string, actual: string, labels = { expected: 'lesson', actual: 'model' }): string {
  const a = expected.split('\n')
  const b = actual.split('\n')
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out = [`--- ${labels.expected}`, `+++ ${labels.actual}`]
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(` ${a[i]}`)
      i++
      j++
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`-${a[i]}`)
      i++
    } else {
      out.push(`+${b[j]}`)
      j++
    }
  }
  return out.join('\n')
}
