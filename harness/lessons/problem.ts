// One thing wrong with a lesson, printed as `file:line: message`.

export interface Problem {
  /** The lesson (or file) as a path relative to the project root: `lessons/03-endpoints.md`. */
  file: string
  /** 1-based line in that file. */
  line: number
  message: string
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.message}`
}

/** Problems in file, then line order (stable for equal lines). */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
}
