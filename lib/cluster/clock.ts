// The course cluster's clock: seconds since the cluster was created, and the
// Kubernetes timestamps they stand for. Given code, shared by the cluster model and
// its data path (kata 09) so that both print the same times.

/** The model's clock starts here: `creationTimestamp` of everything created at time 0. */
export const EPOCH = '2026-01-01T00:00:00Z'

const EPOCH_MS = Date.parse(EPOCH)
let last: { seconds: number; text: string } | undefined

/** `2026-01-01T00:00:10Z`: seconds on the model's clock as a Kubernetes (RFC 3339) timestamp. */
export function timestamp(seconds: number): string {
  if (last?.seconds === seconds) return last.text
  const text = new Date(EPOCH_MS + Math.round(seconds * 1000)).toISOString().replace(/\.000Z$/, 'Z')
  last = { seconds, text }
  return text
}
