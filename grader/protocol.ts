// What a grading child process reports to the grader, over the IPC channel.

/** One check as it ran: its name, its task, and how it ended. */
export interface CheckRun {
  /** The check's own name (the `test(…)` title). */
  name: string
  /** 1-based task number, from the `task N (slug): …` describe title. */
  task: number
  status: 'pass' | 'fail' | 'error'
  message?: string
  /** What the learner's code printed during the check, capped. */
  output?: string
  /** Where the check is written in the pristine check file. */
  line?: number
}

/** One kata's check file, run to its end. */
export interface KataRun {
  kata: string
  checks: CheckRun[]
  /** The check file could not run at all: a syntax error, a throw at import. */
  loadError?: string
  seconds: number
}

export interface WorkerJob {
  /** The graded copy of the workspace (grader/layout.ts). */
  root: string
  /** Kata names (`NN-slug`) to run. */
  katas: string[]
  /** Trees a workspace module must never import. */
  forbidden: string[]
  /** Check files that may run at once; 1 after a crash, so blame is exact. */
  maxWorkers: number
  outputCap: number
  /** A file each worker appends the check it starts to (grader/sandbox.ts). */
  progress: string
}

export type WorkerMessage =
  | { type: 'start'; kata: string }
  | { type: 'end'; run: KataRun }
  /** The run ended; `errors` are vitest's errors outside any check (a worker that died). */
  | { type: 'done'; errors: string[] }
  | { type: 'fatal'; message: string }
