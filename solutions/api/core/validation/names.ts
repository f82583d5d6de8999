// Name syntax the Service validation needs beyond label keys and values: the
// Service's own name (a DNS-1035 label), port names (DNS-1123 labels), named
// target ports (IANA service names) and port numbers, each returning the list
// of problems with the API server's exact wording (an empty list when valid).
//
// Label keys, label values and DNS-1123 subdomains are given in
// lib/validation/labels.ts, together with `regexError` (the `', '`-then-`' or '`
// quirk that puts two spaces before `or`) and `maxLenError`.
import { maxLenError, regexError } from '../../../../lib/validation/labels.ts'

const utf8 = new TextEncoder()
/** Go's `len(s)` counts bytes. */
const byteLength = (s: string) => utf8.encode(s).length

/** `IsDNS1035Label`'s message, before the examples and the regex. */
export const DNS1035_LABEL_ERR_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
/** `IsDNS1123Label`'s message, before the examples and the regex. */
export const DNS1123_LABEL_ERR_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
/** A DNS label (either RFC) is at most 63 bytes. */
export const DNS_LABEL_MAX_LENGTH = 63
/** An IANA service name (a named port) is at most 15 characters. */
export const PORT_NAME_MAX_LENGTH = 15

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?'
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`)
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`)
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*$`)

/**
 * `IsDNS1035Label`: the syntax of a Service name, which becomes a DNS label
 * (`order.snackbar.svc.cluster.local`) and the prefix of environment variables
 * (`ORDER_SERVICE_HOST`), so it must start with a letter. Returns the problems, in order:
 *
 * 1. More than 63 bytes (`DNS_LABEL_MAX_LENGTH`; `byteLength(value)`, as Go counts) →
 *    `maxLenError(63)`: `must be no more than 63 characters`.
 * 2. Not `[a-z]([-a-z0-9]*[a-z0-9])?` (`DNS1035_LABEL_RE`: starts with a letter, ends with
 *    a letter or digit; `--` inside is fine) → `regexError(DNS1035_LABEL_ERR_MSG,
 *    DNS1035_LABEL_FMT, 'my-name', 'abc-123')`, which reads `a DNS-1035 label must consist
 *    of lower case alphanumeric characters or '-', start with an alphabetic character, and
 *    end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for
 *    validation is '[a-z]([-a-z0-9]*[a-z0-9])?')` (two spaces before `or`).
 *
 * Both checks run, so a long name with a bad character gets two messages; a valid name, none.
 *
 * @example isDNS1035Label('order') // []
 * @example isDNS1035Label('1abc') // ["a DNS-1035 label must consist of … regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/validation/validation.go
 */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS_LABEL_MAX_LENGTH))
  if (!DNS1035_LABEL_RE.test(value)) {
    errs.push(regexError(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'))
  }
  return errs
}

/**
 * `IsDNS1123Label`: the syntax of a Service port name and of a namespace.
 *
 * 1. More than 63 bytes → `must be no more than 63 characters`.
 * 2. Not `[a-z0-9]([-a-z0-9]*[a-z0-9])?`: if it would be a valid DNS-1123
 *    *subdomain* the only problem is the dots → `must not contain dots`;
 *    otherwise `regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc')`:
 *    `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',
 *    and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',
 *    regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`.
 *
 * @example isDNS1123Label('a.b') // ['must not contain dots']
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/validation/validation.go
 */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS_LABEL_MAX_LENGTH))
  if (!DNS1123_LABEL_RE.test(value)) {
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'))
  }
  return errs
}

/**
 * `IsValidPortName`: an IANA service name, the syntax of a *named* `targetPort`
 * (and of a container port's name). Every failing rule adds its message, in this order:
 *
 * 1. more than 15 characters → `must be no more than 15 characters`;
 * 2. a character outside `[-a-z0-9]` → `must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`;
 * 3. no letter `[a-z]` → `must contain at least one letter (a-z)`;
 * 4. `--` inside → `must not contain consecutive hyphens`;
 * 5. `-` first or last → `must not begin or end with a hyphen`.
 *
 * Upper case is refused even though RFC 6335 is case-insensitive: `HTTP` breaks
 * rules 2 and 3.
 *
 * @example isValidPortName('http') // []
 * @example isValidPortName('12345') // ['must contain at least one letter (a-z)']
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/validation/validation.go
 */
export function isValidPortName(port: string): string[] {
  const errs: string[] = []
  if (byteLength(port) > PORT_NAME_MAX_LENGTH) errs.push(maxLenError(PORT_NAME_MAX_LENGTH))
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)')
  if (port.includes('--')) errs.push('must not contain consecutive hyphens')
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen')
  return errs
}

/**
 * `IsValidPortNum`: a port number is 1–65535, both ends included; 0 is not a port.
 *
 * @example isValidPortNum(0) // ['must be between 1 and 65535, inclusive']
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/validation/validation.go
 */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive']
}

/**
 * `ValidateServiceName` (= `apimachinery`'s `NameIsDNS1035Label`): the problems
 * with a Service's `metadata.name`, or with its `metadata.generateName` when
 * `prefix` is true. A prefix may end in `-` (the server appends five random
 * characters), so a trailing `-` is read as a letter before checking.
 *
 * @example validateServiceName('order-', true) // []
 * @example validateServiceName('order-', false) // [the DNS-1035 message]
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/api/validation/generic.go
 */
export function validateServiceName(name: string, prefix: boolean): string[] {
  // maskTrailingDash: "abc-" is checked as "abc" plus a letter.
  const checked = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name
  return isDNS1035Label(checked)
}
