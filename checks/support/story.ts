// Rows of kata 09's deep-track tables that each tell a story of their own: a row builds
// its own cluster, acts on it as kubectl would, and asserts with its own messages, so
// that it alone answers for what it asks about.

export interface StoryRow {
  name: string
  run: () => void
}

/** What `fn` threw, as an uncaught error prints it (`NotFoundError: Error from server (NotFound): …`), or `nothing`. */
export function thrown(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  }
  return 'nothing'
}
