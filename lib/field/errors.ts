// Field errors: the `<path>: <body>` lines the API server returns for an invalid object.
// @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/validation/field/errors.go
import type { Path } from './path.ts'

export type ErrorType =
  | 'FieldValueRequired'
  | 'FieldValueForbidden'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueTooLong'
  | 'InternalError'

const TYPE_TEXT: Record<ErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueForbidden: 'Forbidden',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotFound: 'Not found',
  FieldValueTooLong: 'Too long',
  InternalError: 'Internal error',
}

/** Marks a number that Go holds as `int` (rendered as JSON), not `int32`/`int64`. */
export type BadValue = string | number | boolean | null | undefined | readonly unknown[] | Record<string, unknown>

/**
 * Renders a bad value as `Error()` does since Kubernetes 1.34: strings quoted
 * (`"abc"`), numbers and booleans plain, everything else as compact JSON.
 */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v === undefined || v === null) return 'null'
  return JSON.stringify(v)
}

export class FieldError {
  constructor(
    readonly type: ErrorType,
    readonly field: string,
    readonly badValue: unknown,
    readonly detail: string,
    /** Whether the body shows the value (Required, Forbidden, TooLong and Internal do not). */
    private readonly showValue: boolean,
  ) {}

  /** The body without the field: `Invalid value: 0: must be between 1 and 65535, inclusive`. */
  errorBody(): string {
    let s = TYPE_TEXT[this.type]
    if (this.showValue) s += `: ${this.type === 'FieldValueNotSupported' ? renderValue(this.badValue) : renderValue(this.badValue)}`
    if (this.detail) s += `: ${this.detail}`
    return s
  }

  /** `spec.ports[1].name: Required value` */
  toString(): string {
    return `${this.field}: ${this.errorBody()}`
  }
}

const at = (p: Path | string) => p.toString()

export function required(p: Path | string, detail = ''): FieldError {
  return new FieldError('FieldValueRequired', at(p), '', detail, false)
}

export function forbidden(p: Path | string, detail: string): FieldError {
  return new FieldError('FieldValueForbidden', at(p), '', detail, false)
}

export function invalid(p: Path | string, value: unknown, detail: string): FieldError {
  return new FieldError('FieldValueInvalid', at(p), value, detail, true)
}

export function duplicate(p: Path | string, value: unknown): FieldError {
  return new FieldError('FieldValueDuplicate', at(p), value, '', true)
}

export function notFound(p: Path | string, value: unknown): FieldError {
  return new FieldError('FieldValueNotFound', at(p), value, '', true)
}

export function tooLong(p: Path | string, maxLength: number): FieldError {
  return new FieldError('FieldValueTooLong', at(p), '', `may not be more than ${maxLength} bytes`, false)
}

export function internalError(p: Path | string, err: string): FieldError {
  return new FieldError('InternalError', at(p), '', err, false)
}

/**
 * `Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`. Callers pass
 * the values sorted, as the API server does with `sets.List`.
 */
export function notSupported(p: Path | string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length ? `supported values: ${validValues.map((v) => JSON.stringify(v)).join(', ')}` : ''
  return new FieldError('FieldValueNotSupported', at(p), value, detail, true)
}

export type ErrorList = FieldError[]

/**
 * What kubectl prints for an Invalid status: one cause on one line, several as a
 * bulleted list after a line that ends in `": "`. Duplicates are dropped.
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.33.0/pkg/cmd/util/helpers.go (checkErr)
 */
export function formatInvalid(kind: string, name: string, errs: readonly FieldError[]): string {
  const lines = [...new Set(errs.map(String))]
  const prefix = `The ${kind} "${name}" is invalid: `
  if (lines.length === 1) return `${prefix}${lines[0]}`
  return `${prefix}\n${lines.map((l) => `* ${l}`).join('\n')}`
}
