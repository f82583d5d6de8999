// Label selectors: which objects a Service, a Deployment or `kubectl get -l` picks.
//
// Three ways to write one selector, one model underneath (a list of requirements,
// ANDed):
//   1. a map, `spec.selector` of a Service: `{app: order}` means `app=order`
//      (`selectorFromSet`);
//   2. a `LabelSelector` of the API (Deployments, ReplicaSets, NetworkPolicies):
//      `matchLabels` plus `matchExpressions` with In, NotIn, Exists, DoesNotExist
//      (`labelSelectorAsSelector`);
//   3. the string syntax of `kubectl get pods -l 'app=order,tier in (web,api)'`
//      (`parse`), whose canonical form is what `toString()` prints.
//
// @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
import type { LabelSelector } from 'kubernetes-types/meta/v1'
import { invalid, notSupported, type FieldError } from '../../lib/field/errors.ts'
import { Path } from '../../lib/field/path.ts'
import { isQualifiedName, isValidLabelValue } from '../../lib/validation/labels.ts'

/** A set of labels, as in `metadata.labels`. */
export type Labels = Readonly<Record<string, string>>

/**
 * The operators of a requirement, spelled as `selection.Operator` spells them.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/selection/operator.go
 */
export const selection = {
  DoesNotExist: '!',
  Equals: '=',
  DoubleEquals: '==',
  In: 'in',
  NotEquals: '!=',
  NotIn: 'notin',
  Exists: 'exists',
  GreaterThan: 'gt',
  LessThan: 'lt',
} as const

export type Operator = (typeof selection)[keyof typeof selection]

/** The binary operators, in the order the parser's error message lists them. */
export const binaryOperators: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt']
/** The unary operators: they take no values. */
export const unaryOperators: readonly Operator[] = ['exists', '!']
/** Every operator, in the order `Unsupported value` lists them. */
export const validRequirementOperators: readonly Operator[] = [...binaryOperators, ...unaryOperators]

/**
 * `newRequirement` refused its arguments. `errors` are the field errors; the
 * message is their aggregate, as Go prints `ErrorList.ToAggregate()`: one error
 * alone, several as `[e1, e2]`, duplicates dropped.
 */
export class InvalidRequirementError extends Error {
  override name = 'InvalidRequirementError'
  constructor(readonly errors: readonly FieldError[]) {
    const messages = [...new Set(errors.map(String))]
    super(messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`)
  }
}

/** A selector string that `parse` cannot read; the message is the parser's. */
export class SelectorParseError extends Error {
  override name = 'SelectorParseError'
}

/** A `matchExpressions` operator other than In, NotIn, Exists and DoesNotExist. */
export class InvalidSelectorOperatorError extends Error {
  override name = 'InvalidSelectorOperatorError'
  constructor(readonly operator: string) {
    super(`${JSON.stringify(operator)} is not a valid pod selector operator`)
  }
}

/**
 * One condition on one label key: `app=order`, `tier in (web,api)`, `!canary`.
 *
 * Build it with `newRequirement`, which validates; the constructor does not
 * (like a Go struct literal).
 *
 * Matching rules (`Requirement.Matches`):
 * 1. `=`, `==`, `in`: the key is present and its value is one of `values`.
 * 2. `!=`, `notin`: the key is absent, or its value is none of `values` — so a
 *    pod without the label at all matches `tier!=web` and `tier notin (web)`.
 * 3. `exists`: the key is present (any value, even ""); `!`: the key is absent.
 * 4. `gt`, `lt`: the key is present, its value and the single requirement value
 *    both parse as base-10 64-bit integers, and the inequality holds; anything
 *    else does not match.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export class Requirement {
  constructor(
    readonly key: string,
    readonly operator: Operator,
    /** In the order given; `parse` gives them sorted and without duplicates. */
    readonly values: readonly string[],
  ) {}

  /**
   * Whether these labels satisfy the requirement (`Requirement.Matches`):
   * 1. `=`, `==`, `in`: the key is present and its value is one of `values`
   *    (`x=""` matches `{x: ""}`, not a pod without `x`);
   * 2. `!=`, `notin`: the key is absent, or its value is none of `values` — a pod
   *    without a `tier` label matches `tier!=web` and `tier notin (web)`;
   * 3. `exists`: the key is present, whatever its value (even `""`); `!`: the key is absent;
   * 4. `gt`, `lt`: the key is present, its value and the one requirement value
   *    both read as base-10 64-bit integers (`parseInt64` below: `007` is 7, `v2`
   *    is not a number), and the strict inequality holds (`1` is not `gt 1`);
   *    anything else does not match.
   *
   * `labels` undefined is a pod without any labels. A key is looked up as the
   * labels' own property: `constructor` is a label key like any other.
   */
  matches(labels: Labels | undefined): boolean {
    const has = labels !== undefined && Object.hasOwn(labels, this.key)
    // Stryker disable next-line StringLiteral: the value of a missing key is never read (every branch tests has first)
    const value = has ? labels[this.key]! : ''
    switch (this.operator) {
      case '=':
      case '==':
      case 'in':
        return has && this.values.includes(value)
      case '!=':
      case 'notin':
        return !has || !this.values.includes(value)
      case 'exists':
        return has
      case '!':
        return !has
      case 'gt':
      case 'lt': {
        // Stryker disable next-line ConditionalExpression,LogicalOperator: a missing key reads as '', which parseInt64 refuses, and newRequirement gives gt/lt exactly one value
        if (!has || this.values.length !== 1) return false
        const actual = parseInt64(value)
        const limit = parseInt64(this.values[0]!)
        // Stryker disable next-line ConditionalExpression,LogicalOperator: undefined is neither > nor < a bigint, and newRequirement makes the limit an integer
        if (actual === undefined || limit === undefined) return false
        return this.operator === 'gt' ? actual > limit : actual < limit
      }
      // Stryker disable next-line ConditionalExpression: unreachable, the Operator type and newRequirement admit only the nine operators above
      default:
        // Stryker disable next-line BooleanLiteral: unreachable, as above
        return false
    }
  }

  /**
   * The requirement in the string syntax: `x=a`, `x==a`, `x!=a`, `x in (a,b)`,
   * `x notin (a,b)`, `x>1`, `x<1`, `x`, `!x`. Values of `in`/`notin` are printed
   * sorted, so the output does not depend on the order they were given in.
   */
  toString(): string {
    const prefix = this.operator === '!' ? '!' : ''
    let op: string
    switch (this.operator) {
      case 'exists':
      case '!':
        return `${prefix}${this.key}`
      case 'in':
        op = ' in '
        break
      case 'notin':
        op = ' notin '
        break
      case 'gt':
        op = '>'
        break
      case 'lt':
        op = '<'
        break
      default:
        op = this.operator
    }
    // Go skips the sort for a single value; sorting one value changes nothing.
    const values = [...this.values].sort(compareStrings).join(',')
    return this.operator === 'in' || this.operator === 'notin' ? `${this.key}${op}(${values})` : `${this.key}${op}${values}`
  }
}

/** Go's `strconv.ParseInt(s, 10, 64)`: an optional sign, decimal digits, in int64 range. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const n = BigInt(s)
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined
}

/** Go compares strings byte by byte; for the ASCII of labels that is code-unit order. */
function compareStrings(a: string, b: string): number {
  if (a < b) return -1
  // Stryker disable next-line ConditionalExpression,EqualityOperator: only Array.prototype.sort calls this, and V8's sort only asks whether the result is below 0
  return a > b ? 1 : 0
}

/** A label key error, at `path` (`<nil>` when there is none, as in the parser). */
function validateLabelKey(key: string, path: Path | undefined): FieldError | undefined {
  const errs = isQualifiedName(key)
  return errs.length ? invalid(path ?? '<nil>', key, errs.join('; ')) : undefined
}

/**
 * Builds a validated requirement, or throws `InvalidRequirementError` listing
 * every problem, in this order (`NewRequirement`):
 * 1. the key must be a qualified name (`key: Invalid value: …`);
 * 2. `in`/`notin` need at least one value
 *    (`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
 *    `=`/`==`/`!=` exactly one (`exact-match compatibility requires one single value`);
 *    `exists`/`!` none (`values set must be empty for exists and does not exist`);
 *    `gt`/`lt` exactly one (`for 'Gt', 'Lt' operators, exactly one value is required`)
 *    that is an integer (`values[i]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`);
 *    any other operator: `operator: Unsupported value: "op": supported values: "in", "notin", …`;
 * 3. every value must be a valid label value (`values[i][key]: Invalid value: …`).
 *
 * `values` of `null` stands for a Go nil slice: it renders as `null` instead of `[]`.
 * The empty string is a valid value.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function newRequirement(key: string, op: Operator, values: readonly string[] | null = []): Requirement {
  const vals = values ?? []
  const errs: FieldError[] = []
  const keyErr = validateLabelKey(key, Path.of('key'))
  if (keyErr) errs.push(keyErr)

  const valuePath = Path.of('values')
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalid(valuePath, values, "for 'in', 'notin' operators, values set can't be empty"))
      break
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalid(valuePath, values, 'exact-match compatibility requires one single value'))
      break
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalid(valuePath, values, 'values set must be empty for exists and does not exist'))
      break
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalid(valuePath, values, "for 'Gt', 'Lt' operators, exactly one value is required"))
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
        }
      })
      break
    default:
      errs.push(notSupported(Path.of('operator'), op, validRequirementOperators))
  }

  vals.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v)
    if (valueErrs.length) errs.push(invalid(valuePath.index(i).key(key), v, valueErrs.join('; ')))
  })
  if (errs.length) throw new InvalidRequirementError(errs)
  return new Requirement(key, op, [...vals])
}

/** A label selector: matches label sets, prints itself in the string syntax. */
export interface Selector {
  /** Whether the selector matches these labels. */
  matches(labels: Labels | undefined): boolean
  /** Whether the selector is empty (matches everything). */
  empty(): boolean
  /** The string syntax, requirements sorted by key and joined with `,`; `""` for everything and nothing. */
  toString(): string
  /** A new selector with these requirements added, sorted by key. */
  add(...requirements: Requirement[]): Selector
  /** The requirements, sorted by key; `selectable` is false only for `nothing()`. */
  requirements(): { requirements: readonly Requirement[]; selectable: boolean }
}

/**
 * The selector behind `everything()`, `newSelector()`, `selectorFromSet`,
 * `labelSelectorAsSelector` and `parse`: requirements ANDed, the list kept
 * sorted by key (a stable sort) — Go's `internalSelector`.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export class InternalSelector implements Selector {
  constructor(private readonly reqs: readonly Requirement[]) {}

  /**
   * Whether these labels meet **every** requirement (`internalSelector.Matches`):
   * one requirement that fails rejects them, and a selector with no requirements
   * matches any labels, a pod without labels too.
   */
  matches(labels: Labels | undefined): boolean {
    return this.reqs.every((r) => r.matches(labels))
  }

  empty(): boolean {
    return this.reqs.length === 0
  }

  toString(): string {
    return this.reqs.map(String).join(',')
  }

  /** A new selector with these requirements added, sorted by key; requirements on one key keep their order (a stable sort). */
  add(...requirements: Requirement[]): Selector {
    return new InternalSelector(sortByKey([...this.reqs, ...requirements]))
  }

  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    return { requirements: this.reqs, selectable: true }
  }
}

// Go sorts with sort.Sort, which is only stable for short lists; the model
// always keeps requirements on the same key in the order they were given.
function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => compareStrings(a.key, b.key))
}

const NOTHING: Selector = {
  matches: () => false,
  empty: () => false,
  toString: () => '',
  add: () => NOTHING,
  requirements: () => ({ requirements: [], selectable: false }),
}

/**
 * The selector that matches every label set; `empty()` is true, `toString()` is `""`.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function everything(): Selector {
  return new InternalSelector([])
}

/**
 * The selector that matches nothing; `empty()` is false (it does restrict),
 * `toString()` is `""`, adding requirements leaves it nothing.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function nothing(): Selector {
  return NOTHING
}

/**
 * A selector with no requirements yet (`NewSelector`): matches everything until
 * requirements are added.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function newSelector(): Selector {
  return new InternalSelector([])
}

/**
 * The selector of a Service's `spec.selector` map (`SelectorFromSet`):
 * 1. one requirement per entry: the key, operator `=` (not `==`, not `in`) and
 *    values `[value]` — `{tier: ""}` is a requirement on the empty value, not one
 *    that the key be absent;
 * 2. the requirements sorted by key, whatever order the map lists them in, in an
 *    `InternalSelector` (so `toString()` prints `app=order,tier=web`, and
 *    requirements added later keep the list sorted);
 * 3. a missing (`null`/`undefined`) or empty map gives the selector with no
 *    requirements, as `everything()` does: `empty()`, printed as `""`, `selectable`,
 *    matching any labels.
 * No validation (the API server validated the Service): `new Requirement(key, '=', [value])`.
 *
 * Rule 3 is why "a Service with no selector selects no pods" is not a rule of
 * selectors: the endpoints controller checks `spec.selector == nil` and leaves
 * such a Service's Endpoints to the user before it ever builds one (kata 03).
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/labels.go
 */
export function selectorFromSet(set: Labels | undefined | null): Selector {
  const reqs = Object.keys(set ?? {})
    .sort(compareStrings)
    .map((k) => new Requirement(k, '=', [set![k]!]))
  return new InternalSelector(reqs)
}

/**
 * Converts the API's `LabelSelector` of a Deployment, ReplicaSet or Job
 * (`LabelSelectorAsSelector`):
 * 1. `null`/`undefined` → `nothing()` (matches no labels, not `empty()`);
 *    no matchLabels and no matchExpressions (`{}`, or both empty) → `everything()`;
 * 2. each `matchLabels` entry, in key order → `newRequirement(key, '=', [value])`;
 * 3. then each `matchExpressions` entry → `newRequirement(key, op, values)` with
 *    `In`→`in`, `NotIn`→`notin`, `Exists`→`exists`, `DoesNotExist`→`!`
 *    (case-sensitive); any other operator (`in`, `Gt`, …) throws
 *    `InvalidSelectorOperatorError` (`"Gt" is not a valid pod selector operator`);
 *    `values` missing or empty is passed as `null` (Go's nil slice), so the error
 *    prints `values: Invalid value: null: for 'in', 'notin' operators, …`;
 * 4. `newRequirement` validates keys and values: the first requirement that fails
 *    throws its `InvalidRequirementError`, unchanged;
 * 5. the result holds every requirement sorted by key (`newSelector().add(…)`):
 *    `{matchLabels: {foo: bar}, matchExpressions: [baz In [qux, norf]]}` prints as
 *    `baz in (norf,qux),foo=bar`.
 * The model reads `matchLabels` in key order; Go iterates the map in random order.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/apis/meta/v1/helpers.go
 */
export function labelSelectorAsSelector(ps: LabelSelector | null | undefined): Selector {
  if (ps === null || ps === undefined) return nothing()
  const matchLabels = ps.matchLabels ?? {}
  const matchExpressions = ps.matchExpressions ?? []
  // Stryker disable next-line ConditionalExpression: newSelector().add() of no requirements is everything()
  if (Object.keys(matchLabels).length + matchExpressions.length === 0) return everything()
  const reqs: Requirement[] = []
  for (const k of Object.keys(matchLabels).sort(compareStrings)) {
    reqs.push(newRequirement(k, '=', [matchLabels[k]!]))
  }
  for (const expr of matchExpressions) {
    const op = Object.hasOwn(LABEL_SELECTOR_OPERATORS, expr.operator) ? LABEL_SELECTOR_OPERATORS[expr.operator] : undefined
    if (op === undefined) throw new InvalidSelectorOperatorError(expr.operator)
    reqs.push(newRequirement(expr.key, op, expr.values?.length ? [...expr.values] : null))
  }
  return newSelector().add(...reqs)
}

const LABEL_SELECTOR_OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
}

// ---------------------------------------------------------------------------
// The string syntax: a lexer that cuts tokens, a recursive-descent parser.

type Token =
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar'

/** The literal of every token but identifiers and the end of the string. */
const STRING_TO_TOKEN: Readonly<Record<string, Token>> = {
  ')': 'ClosedPar',
  ',': 'Comma',
  '!': 'DoesNotExist',
  '==': 'DoubleEquals',
  '=': 'Equals',
  '>': 'GreaterThan',
  in: 'In',
  '<': 'LessThan',
  '!=': 'NotEquals',
  notin: 'NotIn',
  '(': 'OpenPar',
}

function tokenOf(literal: string): Token | undefined {
  return Object.hasOwn(STRING_TO_TOKEN, literal) ? STRING_TO_TOKEN[literal] : undefined
}

interface Scanned {
  tok: Token
  literal: string
}

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n'
const SPECIAL_SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<'])
const isSpecialSymbol = (ch: string) => SPECIAL_SYMBOLS.has(ch)

/**
 * Cuts a selector string into tokens: whitespace separates; a run of the special
 * characters `=!(),><` gives the longest operator it starts with; anything else
 * up to the next special character or whitespace is an identifier, or the
 * keyword `in` / `notin`.
 */
function lex(s: string): Scanned[] {
  const items: Scanned[] = []
  let pos = 0
  // Go's lexer reads byte 0 as the end of the string.
  const read = () => (pos < s.length ? s[pos++]! : '\0')
  for (;;) {
    let ch = read()
    while (isWhitespace(ch)) ch = read()
    if (ch === '\0') {
      items.push({ tok: 'EndOfString', literal: '' })
      return items
    }
    pos--
    if (isSpecialSymbol(ch)) {
      let buffer = ''
      let last: Scanned | undefined
      for (;;) {
        const c = read()
        if (c === '\0') break
        // Stryker disable next-line ConditionalExpression,BlockStatement: no token starts with a special character and goes on with another, so the else-if below stops the run the same way
        if (!isSpecialSymbol(c)) {
          pos--
          break
        }
        buffer += c
        const tok = tokenOf(buffer)
        if (tok) last = { tok, literal: buffer }
        else {
          // Go stops only once a token was read; every single special character is one.
          pos--
          break
        }
      }
      // Every single special character is a token, so `last` is always set.
      items.push(last!)
    } else {
      let buffer = ''
      for (;;) {
        const c = read()
        if (c === '\0') break
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          pos--
          break
        }
        buffer += c
      }
      items.push({ tok: tokenOf(buffer) ?? 'Identifier', literal: buffer })
    }
  }
}

/** `in` and `notin` read as plain words, as keys and values are read. */
function asWord(item: Scanned): Scanned {
  return item.tok === 'In' || item.tok === 'NotIn' ? { tok: 'Identifier', literal: item.literal } : item
}

// Go's parser passes a context to lookahead and consume: KeyAndOperator where an
// operator stands, Values everywhere else. Here `lookahead`/`consume` read in the
// Values context and `consumeOperator` in the KeyAndOperator one.
class Parser {
  private position = 0
  constructor(private readonly items: readonly Scanned[]) {}

  lookahead(): Scanned {
    return asWord(this.items[this.position]!)
  }

  consume(): Scanned {
    return asWord(this.items[this.position++]!)
  }

  /** The token where an operator stands: there `in` and `notin` are keywords. */
  consumeOperator(): Scanned {
    return this.items[this.position++]!
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = []
    for (;;) {
      const { tok, literal } = this.lookahead()
      switch (tok) {
        case 'Identifier':
        case 'DoesNotExist': {
          let r: Requirement
          try {
            r = this.parseRequirement()
          } catch (err) {
            throw new SelectorParseError(`unable to parse requirement: ${(err as Error).message}`)
          }
          reqs.push(r)
          const next = this.consume()
          if (next.tok === 'EndOfString') return reqs
          if (next.tok === 'Comma') {
            const after = this.lookahead()
            if (after.tok !== 'Identifier' && after.tok !== 'DoesNotExist') {
              throw new SelectorParseError(`found '${after.literal}', expected: identifier after ','`)
            }
            break
          }
          throw new SelectorParseError(`found '${next.literal}', expected: ',' or 'end of string'`)
        }
        case 'EndOfString':
          return reqs
        default:
          throw new SelectorParseError(`found '${literal}', expected: !, identifier, or 'end of string'`)
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator()
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, [])
    const op = this.parseOperator()
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue()
    return newRequirement(key, op, [...values].sort(compareStrings))
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | undefined } {
    let operator: Operator | undefined
    let item = this.consume()
    if (item.tok === 'DoesNotExist') {
      operator = '!'
      item = this.consume()
    }
    if (item.tok !== 'Identifier') throw new Error(`found '${item.literal}', expected: identifier`)
    const keyErr = validateLabelKey(item.literal, undefined)
    if (keyErr) throw new Error(keyErr.toString())
    const next = this.lookahead().tok
    if ((next === 'EndOfString' || next === 'Comma') && operator !== '!') operator = 'exists'
    return { key: item.literal, operator }
  }

  private parseOperator(): Operator {
    const { tok, literal } = this.consumeOperator()
    switch (tok) {
      case 'In':
        return 'in'
      case 'Equals':
        return '='
      case 'DoubleEquals':
        return '=='
      case 'GreaterThan':
        return 'gt'
      case 'LessThan':
        return 'lt'
      case 'NotIn':
        return 'notin'
      case 'NotEquals':
        return '!='
      default:
        throw new Error(`found '${literal}', expected: ${binaryOperators.join(', ')}`)
    }
  }

  /** `(a,b,c)`: a set, so duplicates collapse; empty entries are the value "". */
  private parseValues(): Set<string> {
    const open = this.consume()
    if (open.tok !== 'OpenPar') throw new Error(`found '${open.literal}' expected: '('`)
    const { tok, literal } = this.lookahead()
    switch (tok) {
      case 'Identifier':
      case 'Comma': {
        const s = this.parseIdentifiersList()
        // Stryker disable next-line StringLiteral: parseIdentifiersList returns only before a ')', so this message is never built
        if (this.consume().tok !== 'ClosedPar') throw new Error(`found '${literal}', expected: ')'`)
        return s
      }
      case 'ClosedPar':
        this.consume()
        return new Set([''])
      default:
        throw new Error(`found '${literal}', expected: ',', ')' or identifier`)
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>()
    for (;;) {
      const { tok, literal } = this.consume()
      switch (tok) {
        case 'Identifier': {
          s.add(literal)
          const next = this.lookahead()
          if (next.tok === 'Comma') continue
          if (next.tok === 'ClosedPar') return s
          throw new Error(`found '${next.literal}', expected: ',' or ')'`)
        }
        case 'Comma': {
          if (s.size === 0) s.add('') // "(,"
          const next = this.lookahead().tok
          if (next === 'ClosedPar') {
            s.add('') // ",)"
            return s
          }
          if (next === 'Comma') {
            this.consume()
            s.add('') // ",,"
          }
          continue
        }
        default:
          throw new Error(`found '${literal}', expected: ',', or identifier`)
      }
    }
  }

  /** The one value after `=`, `==`, `!=`, `>`, `<`; nothing before `,` or the end means "". */
  private parseExactValue(): Set<string> {
    const next = this.lookahead().tok
    if (next === 'EndOfString' || next === 'Comma') return new Set([''])
    const { tok, literal } = this.consume()
    if (tok === 'Identifier') return new Set([literal])
    throw new Error(`found '${literal}', expected: identifier`)
  }
}

/**
 * Parses the string syntax of `kubectl get -l` (`labels.Parse`):
 *
 *     <selector>    ::= <requirement> | <requirement> "," <selector>
 *     <requirement> ::= [!] KEY [ <set-based> | <exact-match> ]
 *     <set-based>   ::= "" | ("in" | "notin") "(" VALUE { "," VALUE } ")"
 *     <exact-match> ::= ("=" | "==" | "!=" | ">" | "<") VALUE
 *
 * Rules:
 * 1. a bare `KEY` is `exists`, `!KEY` is does-not-exist; whitespace around tokens is ignored;
 * 2. `in`/`notin` are operators only after a key; as keys or values they are plain words;
 * 3. values of `in`/`notin` form a set (sorted, duplicates dropped); an empty entry, `()`
 *    or a missing value after `=` is the empty string;
 * 4. keys and values are validated as by `newRequirement`;
 * 5. the requirements are sorted by key, so the result does not depend on the order written;
 * 6. errors throw `SelectorParseError` with the parser's message: a requirement that does
 *    not parse is `unable to parse requirement: ` and why (e.g. `found '', expected: identifier`);
 *    after a requirement, `found ',', expected: identifier after ','` or
 *    `found 'b', expected: ',' or 'end of string'`; where a requirement should start,
 *    `found ')', expected: !, identifier, or 'end of string'`. An empty string is `everything()`.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function parse(selector: string): Selector {
  return newSelector().add(...new Parser(lex(selector)).parse())
}
