// Label key and value syntax, with the exact messages the API server and the
// label-selector parser return. Given code: several katas validate labels
// (Service selectors in kata 01, selector requirements in kata 02).
//
// Each function returns the list of problems (empty when the value is valid),
// like the Go helpers; callers join them with "; " into one field error.
//
// Version note: Kubernetes releases have worded two of these texts differently
// over time. This file uses "must be no more than 63 characters" and "a qualified
// name …" for a key with more than one '/'; the newest apimachinery
// (pkg/api/validate/content/kube.go) says "… 63 bytes" and "a valid label key …".
// @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/validation/validation.go

const utf8 = new TextEncoder()

/** Go's `len(s)`: the length in bytes, not in characters. */
function byteLength(s: string): number {
  return utf8.encode(s).length
}

/** `must be non-empty` */
export function emptyError(): string {
  return 'must be non-empty'
}

/** `must be no more than 63 characters` */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`
}

/**
 * `<msg> (e.g. 'MyName',  or 'my.name', regex used for validation is '<re>')`.
 * Note the two spaces before `or`: every example is followed by `', '`.
 */
export function regexError(msg: string, re: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${re}')`
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${re}')`
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const DNS1123_SUBDOMAIN_MAX = 253
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`)

/** A DNS (RFC 1123) subdomain such as `example.com`: the optional prefix of a label key. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX))
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'))
  return errs
}

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const QUALIFIED_NAME_MAX = 63
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`)

/**
 * A label key: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63
 * characters of `[A-Za-z0-9_.-]` that starts and ends with an alphanumeric.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name: string
  if (parts.length === 1) {
    name = parts[0]!
  } else if (parts.length === 2) {
    const prefix = parts[0]!
    name = parts[1]!
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`)
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`))
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`)
  else if (byteLength(name) > QUALIFIED_NAME_MAX) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX)}`)
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`)
  }
  return errs
}

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
/** A label value is at most 63 characters. */
export const LABEL_VALUE_MAX_LENGTH = 63
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`)

/** A label value: empty, or up to 63 characters of `[A-Za-z0-9_.-]` starting and ending alphanumeric. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH))
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'))
  return errs
}
