// Errors the learner can act on: one line saying what is wrong, one saying what to run.

export class UserError extends Error {
  override name = 'UserError'
  constructor(
    message: string,
    /** What to run or do next. */
    readonly hint?: string,
    /** 2: usage or environment (the grader and scripts rely on it). */
    readonly exitCode = 2,
  ) {
    super(message)
  }
}
