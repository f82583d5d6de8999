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
import type { FieldError } from '../../lib/field/errors.ts'
// Given helpers you will want (see the lesson):
//   invalid, notSupported from '../../lib/field/errors.ts'; Path from '../../lib/field/path.ts';
//   isQualifiedName, isValidLabelValue from '../../lib/validation/labels.ts'.

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
    // TODO(kata 02): apply the rules above; decide first whether the labels carry the key.
    throw new Error('kata 02-label-selectors: Requirement.matches is not implemented yet — see lessons/02-label-selectors.md')
  }

  /**
   * The requirement in the string syntax: `x=a`, `x==a`, `x!=a`, `x in (a,b)`,
   * `x notin (a,b)`, `x>1`, `x<1`, `x`, `!x`. Values of `in`/`notin` are printed
   * sorted, so the output does not depend on the order they were given in.
   */
  toString(): string {
    // TODO(kata 02): print the requirement in the string syntax.
    throw new Error('kata 02-label-selectors: Requirement.toString is not implemented yet — see lessons/02-label-selectors.md')
  }
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
  // TODO(kata 02): validate key, operator and values, collecting every field error, then throw or build.
  throw new Error('kata 02-label-selectors: newRequirement is not implemented yet — see lessons/02-label-selectors.md')
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
    // TODO(kata 02): true when every requirement matches the labels.
    throw new Error('kata 02-label-selectors: InternalSelector.matches is not implemented yet — see lessons/02-label-selectors.md')
  }

  empty(): boolean {
    // TODO(kata 02): no requirements at all.
    throw new Error('kata 02-label-selectors: InternalSelector.empty is not implemented yet — see lessons/02-label-selectors.md')
  }

  toString(): string {
    // TODO(kata 02): the requirements' strings joined with ",".
    throw new Error('kata 02-label-selectors: InternalSelector.toString is not implemented yet — see lessons/02-label-selectors.md')
  }

  /** A new selector with these requirements added, sorted by key; requirements on one key keep their order (a stable sort). */
  add(...requirements: Requirement[]): Selector {
    // TODO(kata 02): a new InternalSelector with the requirements added, sorted by key (stable).
    throw new Error('kata 02-label-selectors: InternalSelector.add is not implemented yet — see lessons/02-label-selectors.md')
  }

  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    // TODO(kata 02): the requirements as they are, selectable.
    throw new Error('kata 02-label-selectors: InternalSelector.requirements is not implemented yet — see lessons/02-label-selectors.md')
  }
}

/**
 * The selector that matches every label set; `empty()` is true, `toString()` is `""`.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function everything(): Selector {
  // TODO(kata 02): a selector with no requirements.
  throw new Error('kata 02-label-selectors: everything is not implemented yet — see lessons/02-label-selectors.md')
}

/**
 * The selector that matches nothing; `empty()` is false (it does restrict),
 * `toString()` is `""`, adding requirements leaves it nothing.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function nothing(): Selector {
  // TODO(kata 02): a selector that matches no label set at all.
  throw new Error('kata 02-label-selectors: nothing is not implemented yet — see lessons/02-label-selectors.md')
}

/**
 * A selector with no requirements yet (`NewSelector`): matches everything until
 * requirements are added.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/labels/selector.go
 */
export function newSelector(): Selector {
  // TODO(kata 02): an empty selector you can add requirements to (kept sorted by key).
  throw new Error('kata 02-label-selectors: newSelector is not implemented yet — see lessons/02-label-selectors.md')
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
  // TODO(kata 02): one key=value requirement per entry, sorted by key, in an InternalSelector.
  throw new Error('kata 02-label-selectors: selectorFromSet is not implemented yet — see lessons/02-label-selectors.md')
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
  // TODO(kata 02): convert matchLabels and matchExpressions into requirements.
  throw new Error('kata 02-label-selectors: labelSelectorAsSelector is not implemented yet — see lessons/02-label-selectors.md')
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
  // TODO(kata 02): lex the string into tokens, then parse requirements with the exact error messages.
  throw new Error('kata 02-label-selectors: parse is not implemented yet — see lessons/02-label-selectors.md')
}
