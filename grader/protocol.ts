// What a grading child process and the grader say to each other, over the IPC channel.

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
  /** Paths the learner's code tried to write outside its private tmpfs, refused. */
  refused?: string[]
  seconds: number
}

/** One kata of a job: its pristine check file and the source it runs with. */
export interface KataJob {
  /** The kata (`NN-slug`) to run. */
  kata: string
  /** The pristine check file: its path is the module's id, its source comes with the job. */
  checkFile: string
  /** The check file's source as it runs, canaries included (grader/canaries.ts). */
  checkSource: string
}

export interface WorkerJob {
  /** The katas to run, one check file each, one after another (each in its own fork). */
  katas: KataJob[]
  /** The graded copy of the workspace, as the child sees it (grader/prepare.ts). */
  root: string
  /** A read-only copy the child first copies to `root` (its private tmpfs, in a sandbox). */
  stage?: string
  /** Trees a workspace module must never import. */
  forbidden: string[]
  outputCap: number
  /** A file the checks' process appends the check it starts to (grader/setup.ts). */
  progress: string
}

export type WorkerMessage =
  | { type: 'start'; kata: string }
  | { type: 'end'; run: KataRun }
  /**
   * The run ended; `errors` are vitest's errors outside any check (a worker that died);
   * `changed`, the workspace files the checks' code added, removed or rewrote while they ran.
   */
  | { type: 'done'; errors: string[]; changed: string[] }
  | { type: 'fatal'; message: string }
  /** The answer to `where`: the check running now. */
  | { type: 'running'; check?: string }

/** What the grader asks a child: which check is running (before it kills a kata that ran out of time). */
export type GraderMessage = { type: 'where' }
