// API status errors: what the API server answers when a request fails, and what
// kubectl prints for it. Given code — the katas build the field errors, this file
// only wraps them the way `k8s.io/apimachinery/pkg/api/errors` does.
// @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/api/errors/errors.go
import { formatInvalid, type FieldError } from '../field/errors.ts'

export type StatusReason = 'Invalid' | 'InternalError'

/** A failed API request: HTTP code, reason and message, as in a `Status` object. */
export class StatusError extends Error {
  override name = 'StatusError'
  constructor(
    /** HTTP status code: 422 for Invalid, 500 for InternalError. */
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    /** The field errors of an Invalid status (`details.causes`). */
    readonly causes: readonly FieldError[] = [],
    /** Kind and name of the object, for an Invalid status. */
    readonly details?: { kind: string; name: string },
  ) {
    super(message)
  }

  /** What `kubectl create`/`apply` prints for this status. */
  kubectl(): string {
    if (this.reason === 'Invalid' && this.details) return formatInvalid(this.details.kind, this.details.name, this.causes)
    return `Error from server (${this.reason}): ${this.message}`
  }
}

/**
 * `NewInvalid`: HTTP 422, message `<Kind> "<name>" is invalid: <errors>` — one error as
 * it is, several as `[e1, e2]` (duplicates dropped).
 */
export function newInvalid(kind: string, name: string, errs: readonly FieldError[]): StatusError {
  const lines = [...new Set(errs.map(String))]
  const aggregate = lines.length === 1 ? lines[0]! : `[${lines.join(', ')}]`
  return new StatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${aggregate}`, errs, { kind, name })
}

/** `NewInternalError`: HTTP 500, message `Internal error occurred: <err>`. */
export function newInternalError(err: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${err}`)
}
