// Kata 02: label selectors — requirements ANDed, the map of a Service, the
// matchExpressions of a Deployment, and the string syntax of `kubectl get -l`.
//
// Core tasks observe the learner's function through the given code around it:
// matching through newRequirement, newSelector and parse; the map and the
// LabelSelector through the requirements they build and their canonical string.
// Vectors from apimachinery pkg/labels/selector_test.go (TestSelectorParse,
// TestDeterministicParse, TestSelectorMatches, TestSetMatches, TestEverything,
// TestRequirementConstructor, TestToString, TestRequirementSelectorMatching,
// TestSetSelectorParser) and pkg/apis/meta/v1/helpers_test.go
// (TestLabelSelectorAsSelector); error texts from selector.go and helpers.go.
import fc from 'fast-check'
import type { Pod } from 'kubernetes-types/core/v1'
import type { LabelSelector } from 'kubernetes-types/meta/v1'
import { expect, test } from 'vitest'
import {
  everything,
  InvalidRequirementError,
  InvalidSelectorOperatorError,
  labelSelectorAsSelector,
  newRequirement,
  newSelector,
  nothing,
  parse,
  SelectorParseError,
  selectorFromSet,
  type Labels,
  type Operator,
  type Selector,
} from '@impl/labels/selector.ts'
import { labelsText } from './support/explain.ts'
import { pod } from './support/fixtures.ts'
import { selectionMessage } from './support/label-selectors.ts'
import { table } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('02-label-selectors')

// Details of the API server's label key and value messages (apimachinery validation.go).
const LABELVAL =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
const LABELKEY_NAME =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const DNS1123S =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const OPERATORS = '"in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"'

/** What `f` threw; fails the check when it returned instead. */
function thrown(f: () => unknown, what: string): Error {
  let value: unknown
  try {
    value = f()
  } catch (err) {
    return err as Error
  }
  throw new Error(`${what} returned ${String(value)} instead of throwing`)
}

function selected(sel: Selector, pods: readonly Pod[]): string[] {
  return pods.filter((p) => sel.matches(p.metadata?.labels)).map((p) => p.metadata!.name!)
}

function matchText(sel: string, labels: Labels | undefined, got: boolean, want: boolean): string {
  return `selector "${sel}" on labels ${labelsText(labels)}: matches() = ${got}, want ${want}`
}

/** The pods of the snackbar namespace most tables run against. */
const snackbar: Pod[] = [
  pod({ name: 'order-web', labels: { app: 'order', tier: 'web' } }),
  pod({ name: 'order-api', labels: { app: 'order', tier: 'api' } }),
  pod({ name: 'cart-web', labels: { app: 'cart', tier: 'web' } }),
  pod({ name: 'order-web-canary', labels: { app: 'order', tier: 'web', track: 'canary' } }),
  pod({ name: 'debug', labels: {} }),
]

task('requirements', () => {
  // Requirement.Matches, one operator at a time.
  const matching: { name: string; key: string; op: Operator; values: string[]; labels: Labels; want: boolean }[] = [
    { name: 'in matches a pod whose value is listed', key: 'x', op: 'in', values: ['foo', 'bar'], labels: { x: 'foo' }, want: true },
    { name: 'in does not match a value that is not listed', key: 'x', op: 'in', values: ['foo', 'bar'], labels: { x: 'baz' }, want: false },
    { name: 'in does not match a pod without the key', key: 'x', op: 'in', values: ['foo'], labels: { y: 'foo' }, want: false },
    { name: '= matches the exact value', key: 'x', op: '=', values: ['y'], labels: { x: 'y' }, want: true },
    { name: '== means the same as =', key: 'x', op: '==', values: ['y'], labels: { x: 'y' }, want: true },
    { name: '= with an empty value matches a pod whose label is empty', key: 'x', op: '=', values: [''], labels: { x: '' }, want: true },
    { name: '= with an empty value does not match a pod without the key', key: 'x', op: '=', values: [''], labels: {}, want: false },
    { name: '!= does not match the excluded value', key: 'x', op: '!=', values: ['y'], labels: { x: 'y' }, want: false },
    { name: '!= matches another value', key: 'x', op: '!=', values: ['y'], labels: { x: 'z' }, want: true },
    { name: '!= matches a pod that does not carry the key at all', key: 'x', op: '!=', values: ['y'], labels: { z: 'y' }, want: true },
    { name: 'notin does not match a listed value', key: 'x', op: 'notin', values: ['a', 'b'], labels: { x: 'b' }, want: false },
    { name: 'notin matches a value that is not listed', key: 'x', op: 'notin', values: ['a', 'b'], labels: { x: 'c' }, want: true },
    { name: 'notin matches a pod that does not carry the key at all', key: 'x', op: 'notin', values: ['a'], labels: { y: 'z' }, want: true },
    { name: 'exists matches any value, even the empty string', key: 'x', op: 'exists', values: [], labels: { x: '' }, want: true },
    { name: 'exists does not match a pod without the key', key: 'x', op: 'exists', values: [], labels: { y: 'z' }, want: false },
    { name: '! (does not exist) matches a pod without the key', key: 'x', op: '!', values: [], labels: { y: 'z' }, want: true },
    { name: '! (does not exist) does not match a pod with the key, whatever its value', key: 'x', op: '!', values: [], labels: { x: '' }, want: false },
    { name: 'gt compares numbers, not strings: 10 > 9', key: 'x', op: 'gt', values: ['9'], labels: { x: '10' }, want: true },
    { name: 'gt is strict: 1 is not greater than 1', key: 'x', op: 'gt', values: ['1'], labels: { x: '1' }, want: false },
    { name: 'gt does not match a label value that is not an integer', key: 'z', op: 'gt', values: ['1'], labels: { z: 'v2' }, want: false },
    { name: 'lt reads leading zeros as a number: 007 < 8', key: 'x', op: 'lt', values: ['8'], labels: { x: '007' }, want: true },
    { name: 'lt does not match a pod without the key', key: 'x', op: 'lt', values: ['8'], labels: {}, want: false },
    { name: 'lt is strict: 8 is not less than 8', key: 'x', op: 'lt', values: ['8'], labels: { x: '8' }, want: false },
    { name: 'lt does not match a label value that only starts with a number: 5x', key: 'x', op: 'lt', values: ['8'], labels: { x: '5x' }, want: false },
    { name: 'gt reads a leading + as strconv.ParseInt does: +5 > 4', key: 'x', op: 'gt', values: ['4'], labels: { x: '+5' }, want: true },
    { name: 'gt does not match a label value beyond int64: 9223372036854775808', key: 'x', op: 'gt', values: ['1'], labels: { x: '9223372036854775808' }, want: false },
    { name: 'lt reads the smallest int64 as a number: -9223372036854775808 < 1', key: 'x', op: 'lt', values: ['1'], labels: { x: '-9223372036854775808' }, want: true },
    { name: 'lt does not match a label value below int64: -9223372036854775809', key: 'x', op: 'lt', values: ['1'], labels: { x: '-9223372036854775809' }, want: false },
  ]
  table(matching, ({ key, op, values, labels, want }) => {
    const r = newRequirement(key, op, values)
    const got = r.matches(labels)
    expect(got, matchText(String(r), labels, got, want)).toBe(want)
  })

  // A pod without any labels (metadata.labels left out) is read as no labels at all.
  const unlabelled: { name: string; key: string; op: Operator; values: string[]; want: boolean }[] = [
    { name: 'on a pod without any labels, x=a does not match', key: 'x', op: '=', values: ['a'], want: false },
    { name: 'on a pod without any labels, x in (a) does not match', key: 'x', op: 'in', values: ['a'], want: false },
    { name: 'on a pod without any labels, x exists does not match', key: 'x', op: 'exists', values: [], want: false },
    { name: 'on a pod without any labels, x gt 1 does not match', key: 'x', op: 'gt', values: ['1'], want: false },
    { name: 'on a pod without any labels, x!=a matches', key: 'x', op: '!=', values: ['a'], want: true },
    { name: 'on a pod without any labels, x notin (a) matches', key: 'x', op: 'notin', values: ['a'], want: true },
    { name: 'on a pod without any labels, !x matches', key: 'x', op: '!', values: [], want: true },
  ]
  table(unlabelled, ({ key, op, values, want }) => {
    const r = newRequirement(key, op, values)
    const got = r.matches(undefined)
    expect(got, matchText(String(r), undefined, got, want)).toBe(want)
  })

  test('a requirement on a key named like an Object property, constructor=x, does not match a pod without it', () => {
    const r = newRequirement('constructor', '=', ['x'])
    expect(r.matches({ app: 'order' }), matchText('constructor=x', { app: 'order' }, true, false)).toBe(false)
    expect(r.matches({ constructor: 'x' }), matchText('constructor=x', { constructor: 'x' }, false, true)).toBe(true)
    const exists = newRequirement('toString', 'exists', [])
    expect(exists.matches({}), matchText('toString', {}, true, false)).toBe(false)
  })

  // TestRequirementSelectorMatching: requirements ANDed in one selector.
  const selectors: { name: string; labels: Labels; reqs: [string, Operator, string[]][]; want: boolean }[] = [
    { name: 'x in (foo) and y notin (alpha) both hold for {x: foo, y: baz}', labels: { x: 'foo', y: 'baz' }, reqs: [['x', 'in', ['foo']], ['y', 'notin', ['alpha']]], want: true },
    { name: 'one failing requirement rejects the labels: y in (alpha) fails for {x: foo, y: baz}', labels: { x: 'foo', y: 'baz' }, reqs: [['x', 'in', ['foo']], ['y', 'in', ['alpha']]], want: false },
    { name: 'x notin ("") holds when x is absent, and y exists holds for an empty y', labels: { y: '' }, reqs: [['x', 'notin', ['']], ['y', 'exists', []]], want: true },
    { name: '!x and y exist both hold for {y: ""}', labels: { y: '' }, reqs: [['x', '!', []], ['y', 'exists', []]], want: true },
    { name: '!y fails for {y: ""}: an empty value is still a value', labels: { y: '' }, reqs: [['x', 'notin', ['']], ['y', '!', []]], want: false },
    { name: 'x in ("") does not match a pod without x', labels: { y: 'baz' }, reqs: [['x', 'in', ['']]], want: false },
    { name: 'z gt 1 holds for {z: 2}', labels: { z: '2' }, reqs: [['z', 'gt', ['1']]], want: true },
    { name: 'z gt 1 does not hold for {z: v2}', labels: { z: 'v2' }, reqs: [['z', 'gt', ['1']]], want: false },
  ]
  table(selectors, ({ labels, reqs, want }) => {
    const sel = newSelector().add(...reqs.map(([k, op, v]) => newRequirement(k, op, v)))
    const got = sel.matches(labels)
    expect(got, matchText(String(sel), labels, got, want)).toBe(want)
  })

  // TestSelectorMatches
  const matches: { selector: string; labels: Labels; want: boolean }[] = [
    { selector: '', labels: { x: 'y' }, want: true },
    { selector: 'x=y', labels: { x: 'y' }, want: true },
    { selector: 'x=y,z=w', labels: { x: 'y', z: 'w' }, want: true },
    { selector: 'x!=y,z!=w', labels: { x: 'z', z: 'a' }, want: true },
    { selector: 'notin=in', labels: { notin: 'in' }, want: true },
    { selector: 'x', labels: { x: 'z' }, want: true },
    { selector: '!x', labels: { y: 'z' }, want: true },
    { selector: 'x>1', labels: { x: '2' }, want: true },
    { selector: 'x<1', labels: { x: '0' }, want: true },
    { selector: 'x=z', labels: {}, want: false },
    { selector: 'x=y', labels: { x: 'z' }, want: false },
    { selector: 'x=y,z=w', labels: { x: 'w', z: 'w' }, want: false },
    { selector: 'x!=y,z!=w', labels: { x: 'z', z: 'w' }, want: false },
    { selector: 'x', labels: { y: 'z' }, want: false },
    { selector: '!x', labels: { x: 'z' }, want: false },
    { selector: 'x>1', labels: { x: '0' }, want: false },
    { selector: 'x<1', labels: { x: '2' }, want: false },
    { selector: 'foo=bar', labels: { foo: 'bar', baz: 'blah' }, want: true },
    { selector: 'baz=blah', labels: { foo: 'bar', baz: 'blah' }, want: true },
    { selector: 'foo=bar,baz=blah', labels: { foo: 'bar', baz: 'blah' }, want: true },
    { selector: 'foo=blah', labels: { foo: 'bar', baz: 'blah' }, want: false },
    { selector: 'baz=bar', labels: { foo: 'bar', baz: 'blah' }, want: false },
    { selector: 'foo=bar,foobar=bar,baz=blah', labels: { foo: 'bar', baz: 'blah' }, want: false },
  ]
  table(
    matches.map((c) => ({ ...c, name: `"${c.selector}" ${c.want ? 'matches' : 'does not match'} ${labelsText(c.labels)}` })),
    ({ selector, labels, want }) => {
      const got = parse(selector).matches(labels)
      expect(got, matchText(selector, labels, got, want)).toBe(want)
    },
  )

  test('kubectl get pods -l "tier!=web" also lists the pods that have no tier label', () => {
    const want = ['order-api', 'debug']
    const got = selected(parse('tier!=web'), snackbar)
    expect(got, selectionMessage('"tier!=web"', snackbar, got, want)).toEqual(want)
  })

  test('kubectl get pods -l "app=order,tier=web" lists only the pods that carry both labels', () => {
    const want = ['order-web', 'order-web-canary']
    const got = selected(parse('app=order,tier=web'), snackbar)
    expect(got, selectionMessage('"app=order,tier=web"', snackbar, got, want, { app: 'order', tier: 'web' })).toEqual(want)
  })

  test('kubectl get pods -l "app=order,track notin (canary)" keeps the pods without a track label', () => {
    const want = ['order-web', 'order-api']
    const got = selected(parse('app=order,track notin (canary)'), snackbar)
    expect(got, selectionMessage('"app=order,track notin (canary)"', snackbar, got, want)).toEqual(want)
  })

  test('a new selector with no requirements matches everything and is empty', () => {
    const sel = newSelector()
    expect(sel.empty()).toBe(true)
    expect(sel.matches({ app: 'order' })).toBe(true)
    expect(sel.add(newRequirement('app', '=', ['order'])).empty(), 'after add(app=order)').toBe(false)
  })

  test('everything() matches any labels, is empty, and prints as ""', () => {
    // TestEverything
    const sel = everything()
    expect(sel.matches({ x: 'y' }), 'everything() on {x: y}').toBe(true)
    expect(sel.matches(undefined), 'everything() on a pod without labels').toBe(true)
    expect(sel.empty(), 'everything().empty()').toBe(true)
    expect(sel.toString()).toBe('')
  })
})

task('map-selectors', () => {
  // SelectorFromSet, read back through the given requirements() of the selector.
  const structure: { name: string; selector: Record<string, string>; want: [string, Operator, string[]][] }[] = [
    { name: 'each entry of the map is one key=value requirement: {app: order, tier: web} is app=order and tier=web', selector: { app: 'order', tier: 'web' }, want: [['app', '=', ['order']], ['tier', '=', ['web']]] },
    { name: 'the requirements come sorted by key, whatever order the map lists them in', selector: { tier: 'web', app: 'order', release: 'v1' }, want: [['app', '=', ['order']], ['release', '=', ['v1']], ['tier', '=', ['web']]] },
    { name: 'a value "" is a requirement on the empty value, not a requirement that the key be absent', selector: { tier: '' }, want: [['tier', '=', ['']]] },
    { name: 'a map key named like an Object property is an ordinary key: {constructor: x} is constructor=x', selector: { constructor: 'x' }, want: [['constructor', '=', ['x']]] },
    { name: 'a prefixed key stays whole: {app.kubernetes.io/name: order} is one requirement', selector: { 'app.kubernetes.io/name': 'order' }, want: [['app.kubernetes.io/name', '=', ['order']]] },
  ]
  table(structure, ({ selector, want }) => {
    const { requirements, selectable } = selectorFromSet(selector).requirements()
    const got = requirements.map((r) => [r.key, r.operator, [...r.values]])
    expect(got, `selectorFromSet(${labelsText(selector)}).requirements(), as [key, operator, values]`).toEqual(want)
    expect(selectable, `selectorFromSet(${labelsText(selector)}).requirements().selectable`).toBe(true)
  })

  test('a Service selector map prints as key=value pairs sorted by key', () => {
    expect(selectorFromSet({ tier: 'web', app: 'order' }).toString()).toBe('app=order,tier=web')
  })

  test('a missing selector map (nil) gives the selector with no requirements, like an empty map: "selects nothing" is the controller\'s rule, not the selector\'s', () => {
    for (const set of [undefined, null, {}]) {
      const sel = selectorFromSet(set)
      const { requirements, selectable } = sel.requirements()
      expect(sel.empty(), `selectorFromSet(${JSON.stringify(set)}).empty(): a selector with no requirements does not restrict`).toBe(true)
      expect(requirements.length, `selectorFromSet(${JSON.stringify(set)}) requirements`).toBe(0)
      expect(selectable, `selectorFromSet(${JSON.stringify(set)}).requirements().selectable: only nothing() is not selectable`).toBe(true)
      expect(sel.toString(), `selectorFromSet(${JSON.stringify(set)}).toString()`).toBe('')
    }
  })

  test('a non-empty map selector is not empty: empty() means "does not restrict"', () => {
    expect(selectorFromSet({ app: 'order' }).empty()).toBe(false)
  })

  test('a map selector is a selector like any other: a requirement added later is sorted in by key', () => {
    const sel = selectorFromSet({ tier: 'web', app: 'order' }).add(newRequirement('release', 'exists', []))
    expect(sel.toString(), 'selectorFromSet({tier: web, app: order}).add(release)').toBe('app=order,release,tier=web')
  })
})

task('label-selector-api', () => {
  // TestLabelSelectorAsSelector
  const matchLabels = { foo: 'bar' }
  const matchExpressions = [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }]
  const cases: { name: string; in: LabelSelector; want: string }[] = [
    { name: 'matchLabels {foo: bar} is foo=bar', in: { matchLabels }, want: 'foo=bar' },
    { name: 'matchExpressions baz In [qux, norf] is baz in (norf,qux)', in: { matchExpressions }, want: 'baz in (norf,qux)' },
    { name: 'matchLabels and matchExpressions together are ANDed and sorted by key', in: { matchLabels, matchExpressions }, want: 'baz in (norf,qux),foo=bar' },
    {
      name: 'NotIn, Exists and DoesNotExist become notin, a bare key and !key',
      in: {
        matchExpressions: [
          { key: 'track', operator: 'NotIn', values: ['canary'] },
          { key: 'tier', operator: 'Exists' },
          { key: 'debug', operator: 'DoesNotExist' },
        ],
      },
      want: '!debug,tier,track notin (canary)',
    },
  ]
  table(cases, ({ in: ps, want }) => {
    expect(labelSelectorAsSelector(ps).toString(), `labelSelectorAsSelector(${JSON.stringify(ps)})`).toBe(want)
  })

  test('a missing LabelSelector (nil) selects nothing', () => {
    const sel = labelSelectorAsSelector(undefined)
    expect(sel.matches({ x: 'y' }), 'nil LabelSelector on {x: y}').toBe(false)
    expect(sel.empty()).toBe(false)
    expect(labelSelectorAsSelector(null).matches({}), 'null LabelSelector on {}').toBe(false)
  })

  test('an empty LabelSelector {} gives the selector with no requirements, which selects everything', () => {
    for (const ps of [{}, { matchLabels: {}, matchExpressions: [] }] as LabelSelector[]) {
      const sel = labelSelectorAsSelector(ps)
      expect(sel.empty(), `labelSelectorAsSelector(${JSON.stringify(ps)}).empty()`).toBe(true)
      expect(sel.requirements(), `labelSelectorAsSelector(${JSON.stringify(ps)}).requirements()`).toEqual({ requirements: [], selectable: true })
    }
  })

  test('a Deployment selector prints the way kubectl describe shows it', () => {
    const ps: LabelSelector = { matchLabels: { app: 'order' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }
    expect(labelSelectorAsSelector(ps).toString()).toBe('app=order,tier in (api,web)')
  })

  const errors: { name: string; in: LabelSelector; type: typeof InvalidRequirementError | typeof InvalidSelectorOperatorError; want: string }[] = [
    {
      name: 'Exists with values is refused',
      in: { matchExpressions: [{ key: 'baz', operator: 'Exists', values: ['qux', 'norf'] }] },
      type: InvalidRequirementError,
      want: 'values: Invalid value: ["qux","norf"]: values set must be empty for exists and does not exist',
    },
    {
      name: 'In without values is refused, and the missing list prints as null',
      in: { matchExpressions: [{ key: 'baz', operator: 'In' }] },
      type: InvalidRequirementError,
      want: "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    },
    {
      name: 'NotIn with an empty values list is refused the same way: the copied list is nil',
      in: { matchExpressions: [{ key: 'baz', operator: 'NotIn', values: [] }] },
      type: InvalidRequirementError,
      want: "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    },
    {
      name: 'matchExpressions operators are spelled In, NotIn, Exists, DoesNotExist: "in" is refused',
      in: { matchExpressions: [{ key: 'baz', operator: 'in', values: ['a'] }] },
      type: InvalidSelectorOperatorError,
      want: '"in" is not a valid pod selector operator',
    },
    {
      name: 'Gt exists in the string syntax but not in matchExpressions',
      in: { matchExpressions: [{ key: 'baz', operator: 'Gt', values: ['1'] }] },
      type: InvalidSelectorOperatorError,
      want: '"Gt" is not a valid pod selector operator',
    },
    {
      name: 'a matchLabels value is validated like any requirement value',
      in: { matchLabels: { app: 'order web' } },
      type: InvalidRequirementError,
      want: `values[0][app]: Invalid value: "order web": ${LABELVAL}`,
    },
    {
      name: 'matchLabels are read in key order: of two bad values, the one under the first key is reported',
      in: { matchLabels: { tier: 'web api', app: 'order web' } },
      type: InvalidRequirementError,
      want: `values[0][app]: Invalid value: "order web": ${LABELVAL}`,
    },
    {
      name: 'a matchExpressions key is validated like any requirement key',
      in: { matchExpressions: [{ key: 'tier/', operator: 'Exists' }] },
      type: InvalidRequirementError,
      want: `key: Invalid value: "tier/": name part must be non-empty; ${LABELKEY_NAME}`,
    },
  ]
  table(errors, ({ in: ps, type, want }) => {
    const err = thrown(() => labelSelectorAsSelector(ps), `labelSelectorAsSelector(${JSON.stringify(ps)})`)
    expect(err, `labelSelectorAsSelector must throw ${type.name}, threw ${err.name}: ${err.message}`).toBeInstanceOf(type)
    expect(err.name, 'the name of the error class, as an uncaught error prints it').toBe(type.name)
    expect(err.message).toBe(want)
  })
})

task('selecting-pods', () => {
  // The Service's map and the Deployment's LabelSelector over the snackbar pods:
  // the kata's functions together, as the endpoints controller and the
  // Deployment controller use them.
  const cases: { name: string; selector: Record<string, string>; pods: Pod[]; want: string[] }[] = [
    {
      name: 'a pod must carry every label of the selector',
      selector: { app: 'order', tier: 'web' },
      pods: snackbar,
      want: ['order-web', 'order-web-canary'],
    },
    {
      name: 'a pod that lacks one of the selector keys is not selected, even when the other keys match',
      selector: { app: 'order', track: 'canary' },
      pods: snackbar,
      want: ['order-web-canary'],
    },
    {
      name: 'label values compare exactly and case-sensitively: Order is not order, order-v2 is not order',
      selector: { app: 'order' },
      pods: [
        pod({ name: 'order-1', labels: { app: 'Order' } }),
        pod({ name: 'order-2', labels: { app: 'order-v2' } }),
        pod({ name: 'order-3', labels: { App: 'order' } }),
      ],
      want: [],
    },
    {
      name: 'extra labels on a pod do not stop it from being selected',
      selector: { app: 'order' },
      pods: snackbar,
      want: ['order-web', 'order-api', 'order-web-canary'],
    },
    {
      name: 'a selector value "" picks only pods that carry the key with an empty value, not pods without the key',
      selector: { tier: '' },
      pods: [pod({ name: 'blank', labels: { tier: '' } }), pod({ name: 'none', labels: {} }), pod({ name: 'web', labels: { tier: 'web' } })],
      want: ['blank'],
    },
    {
      name: 'an empty map selects every pod, which is why the endpoints controller checks for a missing selector first',
      selector: {},
      pods: snackbar,
      want: snackbar.map((p) => p.metadata!.name!),
    },
  ]
  table(cases, ({ selector, pods, want }) => {
    const got = selected(selectorFromSet(selector), pods)
    expect(got, selectionMessage(labelsText(selector), pods, got, want, selector)).toEqual(want)
  })

  // TestSetMatches
  const setMatches: { name: string; selector: Record<string, string> }[] = [
    { name: 'the map {} matches the labels {foo: bar, baz: blah}', selector: {} },
    { name: 'the map {foo: bar} matches the labels {foo: bar, baz: blah}', selector: { foo: 'bar' } },
    { name: 'the map {baz: blah} matches the labels {foo: bar, baz: blah}', selector: { baz: 'blah' } },
    { name: 'the map {foo: bar, baz: blah} matches the labels {foo: bar, baz: blah}', selector: { foo: 'bar', baz: 'blah' } },
  ]
  table(setMatches, ({ selector }) => {
    const labels = { foo: 'bar', baz: 'blah' }
    expect(selectorFromSet(selector).matches(labels), matchText(labelsText(selector), labels, false, true)).toBe(true)
  })

  test('a map selector does not match a pod that has no labels at all', () => {
    const sel = selectorFromSet({ app: 'order' })
    expect(sel.matches(undefined), matchText('{app: order}', undefined, true, false)).toBe(false)
    expect(sel.matches({}), matchText('{app: order}', {}, true, false)).toBe(false)
  })

  test('a key named like an Object property is just a label key: {constructor: x} does not match a pod without it', () => {
    const sel = selectorFromSet({ constructor: 'x' })
    expect(sel.matches({ app: 'order' }), matchText('{constructor: x}', { app: 'order' }, true, false)).toBe(false)
    expect(sel.matches({ constructor: 'x' }), matchText('{constructor: x}', { constructor: 'x' }, false, true)).toBe(true)
  })

  test('a missing selector map (nil) also gives a selector that matches everything: "selects nothing" is the controller\'s rule, not the selector\'s', () => {
    for (const set of [undefined, null, {}]) {
      const sel = selectorFromSet(set)
      expect(sel.empty(), `selectorFromSet(${JSON.stringify(set)}).empty()`).toBe(true)
      expect(sel.matches({ app: 'order' }), `selectorFromSet(${JSON.stringify(set)}) on {app: order}`).toBe(true)
      expect(sel.matches(undefined), `selectorFromSet(${JSON.stringify(set)}) on a pod without labels`).toBe(true)
      expect(sel.toString(), `selectorFromSet(${JSON.stringify(set)}).toString()`).toBe('')
    }
  })

  test('a Deployment selector with matchLabels and matchExpressions picks its pods, including those that lack a NotIn key', () => {
    const ps: LabelSelector = {
      matchLabels: { app: 'order' },
      matchExpressions: [
        { key: 'track', operator: 'NotIn', values: ['canary'] },
        { key: 'tier', operator: 'Exists' },
      ],
    }
    const want = ['order-web', 'order-api']
    const got = selected(labelSelectorAsSelector(ps), snackbar)
    expect(got, selectionMessage('"app=order,tier,track notin (canary)"', snackbar, got, want, { app: 'order' })).toEqual(want)
  })

  test('an empty LabelSelector {} selects everything', () => {
    for (const ps of [{}, { matchLabels: {}, matchExpressions: [] }] as LabelSelector[]) {
      const sel = labelSelectorAsSelector(ps)
      expect(sel.matches({ x: 'y' }), `${JSON.stringify(ps)} on {x: y}`).toBe(true)
      expect(sel.empty(), `${JSON.stringify(ps)}.empty()`).toBe(true)
    }
  })
})

task('requirement-validation', () => {
  // TestRequirementConstructor, valid rows, and more.
  const valid: { name: string; key: string; op: Operator; values: string[] }[] = [
    { name: 'in with one value is a valid requirement', key: 'x', op: 'in', values: ['foo'] },
    { name: 'notin with one value is a valid requirement', key: 'x', op: 'notin', values: ['foo'] },
    { name: 'exists with no values is a valid requirement', key: 'x', op: 'exists', values: [] },
    { name: 'does-not-exist (!) with no values is a valid requirement', key: 'x', op: '!', values: [] },
    { name: 'a key may start with a digit: 1foo', key: '1foo', op: 'in', values: ['bar'] },
    { name: 'a key may be all digits: 1234', key: '1234', op: 'in', values: ['bar'] },
    { name: 'gt with one integer value is a valid requirement', key: 'y', op: 'gt', values: ['1'] },
    { name: 'lt with one integer value is a valid requirement', key: 'z', op: 'lt', values: ['6'] },
    { name: 'a key may carry a DNS subdomain prefix: app.kubernetes.io/name', key: 'app.kubernetes.io/name', op: '=', values: ['order'] },
    { name: 'the empty string is a valid value', key: 'x', op: '=', values: [''] },
    { name: 'in keeps its values in the order given', key: 'x', op: 'in', values: ['def', 'abc'] },
  ]
  table(valid, ({ key, op, values }) => {
    const r = newRequirement(key, op, values)
    expect({ key: r.key, operator: r.operator, values: [...r.values] }, `newRequirement(${JSON.stringify(key)}, ${op}, ${JSON.stringify(values)})`).toEqual({
      key,
      operator: op,
      values,
    })
  })

  // TestRequirementConstructor, invalid rows; messages from NewRequirement.
  const invalid: { name: string; key: string; op: Operator; values: string[]; want: string | RegExp }[] = [
    {
      name: 'in needs at least one value',
      key: 'x',
      op: 'in',
      values: [],
      want: "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    },
    {
      name: 'notin needs at least one value',
      key: 'x',
      op: 'notin',
      values: [],
      want: "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    },
    {
      name: 'gt needs an integer: bar is refused at values[0]',
      key: 'foo',
      op: 'gt',
      values: ['bar'],
      want: `values[0]: Invalid value: "bar": for 'Gt', 'Lt' operators, the value must be an integer`,
    },
    {
      name: 'lt needs an integer: blah is refused at values[0]',
      key: 'barz',
      op: 'lt',
      values: ['blah'],
      want: `values[0]: Invalid value: "blah": for 'Gt', 'Lt' operators, the value must be an integer`,
    },
    {
      name: 'gt takes exactly one value',
      key: 'x',
      op: 'gt',
      values: ['1', '2'],
      want: `values: Invalid value: ["1","2"]: for 'Gt', 'Lt' operators, exactly one value is required`,
    },
    {
      name: 'a negative number is an integer but not a label value, so gt -1 is refused',
      key: 'x',
      op: 'gt',
      values: ['-1'],
      want: `values[0][x]: Invalid value: "-1": ${LABELVAL}`,
    },
    {
      name: 'a key longer than 63 characters is refused',
      key: 'a'.repeat(254),
      op: 'exists',
      values: [],
      // The unit is "characters" in older releases and "bytes" in newer ones.
      want: new RegExp(`^key: Invalid value: "a{254}": name part must be no more than 63 (characters|bytes)$`),
    },
    {
      name: '= takes exactly one value',
      key: 'x',
      op: '=',
      values: ['a', 'b'],
      want: 'values: Invalid value: ["a","b"]: exact-match compatibility requires one single value',
    },
    {
      name: '!= with no value is refused (the parser supplies "" for "x!=")',
      key: 'x',
      op: '!=',
      values: [],
      want: 'values: Invalid value: []: exact-match compatibility requires one single value',
    },
    {
      name: 'exists takes no values',
      key: 'x',
      op: 'exists',
      values: ['a'],
      want: 'values: Invalid value: ["a"]: values set must be empty for exists and does not exist',
    },
    {
      name: 'an unknown operator is listed with the supported ones',
      key: 'x',
      op: 'foo' as Operator,
      values: [],
      want: `operator: Unsupported value: "foo": supported values: ${OPERATORS}`,
    },
    {
      name: 'requirement operators are lower case: In is the API spelling, not an operator',
      key: 'x',
      op: 'In' as Operator,
      values: ['a'],
      want: `operator: Unsupported value: "In": supported values: ${OPERATORS}`,
    },
    {
      name: 'a value with a space is not a label value; the error names the index and the key',
      key: 'x',
      op: '=',
      values: ['a b'],
      want: `values[0][x]: Invalid value: "a b": ${LABELVAL}`,
    },
    {
      name: 'a value both too long and badly formed gives both messages joined by "; "',
      key: 'x',
      op: '=',
      values: [`${'a'.repeat(63)}-`],
      // The unit is "characters" in older releases and "bytes" in newer ones.
      want: new RegExp(`^values\\[0\\]\\[x\\]: Invalid value: "a{63}-": must be no more than 63 (characters|bytes); ${LABELVAL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    },
    {
      name: 'a key with an empty name part gives both name-part messages joined by "; "',
      key: 'example.com/',
      op: 'exists',
      values: [],
      want: `key: Invalid value: "example.com/": name part must be non-empty; ${LABELKEY_NAME}`,
    },
    {
      name: 'a key prefix must be a lower-case DNS subdomain',
      key: 'Example.com/app',
      op: 'exists',
      values: [],
      want: `key: Invalid value: "Example.com/app": prefix part ${DNS1123S}`,
    },
    {
      name: 'every problem is reported, the key first, as one aggregate in brackets',
      key: '-x',
      op: 'in',
      values: [],
      want: `[key: Invalid value: "-x": ${LABELKEY_NAME}, values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty]`,
    },
  ]
  table(invalid, ({ key, op, values, want }) => {
    const err = thrown(() => newRequirement(key, op, values), `newRequirement(${JSON.stringify(key)}, ${JSON.stringify(op)}, ${JSON.stringify(values)})`)
    expect(err, `newRequirement must throw InvalidRequirementError, threw ${err.name}: ${err.message}`).toBeInstanceOf(InvalidRequirementError)
    expect(err.name, 'the name of the error class, as an uncaught error prints it').toBe('InvalidRequirementError')
    if (typeof want === 'string') expect(err.message).toBe(want)
    else expect(err.message).toMatch(want)
  })

  test('exists and ! need no values argument at all: newRequirement("x", "exists") is valid', () => {
    for (const op of ['exists', '!'] as const) {
      const r = newRequirement('x', op)
      expect([...r.values], `newRequirement("x", ${JSON.stringify(op)}).values`).toEqual([])
    }
  })

  test('the field errors behind an aggregate stay available, one per problem', () => {
    const err = thrown(() => newRequirement('-x', 'in', []), 'newRequirement("-x", in, [])')
    expect(err).toBeInstanceOf(InvalidRequirementError)
    expect((err as InvalidRequirementError).errors.map((e) => e.field)).toEqual(['key', 'values'])
  })
})

task('selectors', () => {
  test('nothing() matches no labels at all, is not empty, prints as "" and stays nothing when requirements are added', () => {
    const sel = nothing()
    expect(sel.matches({ x: 'y' }), 'nothing() on {x: y}').toBe(false)
    expect(sel.matches({}), 'nothing() on {}').toBe(false)
    expect(sel.empty(), 'nothing().empty()').toBe(false)
    expect(sel.toString()).toBe('')
    expect(sel.requirements(), 'nothing().requirements(): no requirements, not selectable').toEqual({ requirements: [], selectable: false })
    expect(sel.add(newRequirement('x', 'exists', [])).matches({ x: 'y' }), 'nothing().add(x) on {x: y}').toBe(false)
  })

  test('add returns a new selector sorted by key and leaves the one it was called on as it was', () => {
    const base = newSelector().add(newRequirement('tier', 'in', ['web']))
    const more = base.add(newRequirement('app', '=', ['order']), newRequirement('tier', 'exists', []))
    expect(base.toString(), 'the selector add was called on').toBe('tier in (web)')
    expect(more.requirements().requirements.map(String), 'after add(app=order, tier): sorted by key, two on tier in the order added').toEqual(['app=order', 'tier in (web)', 'tier'])
  })

  test('everything() and newSelector() have no requirements and are selectable', () => {
    for (const [what, sel] of [['everything()', everything()], ['newSelector()', newSelector()]] as const) {
      expect(sel.requirements(), `${what}.requirements()`).toEqual({ requirements: [], selectable: true })
      expect(sel.toString(), `${what}.toString()`).toBe('')
    }
  })
})

task('canonical-string', () => {
  // TestToString: requirements already in key order, printed joined with ",".
  const toString: { name: string; reqs: [string, Operator, string[]][]; want: string }[] = [
    { name: 'in, notin and exists print as "x in (abc,def),y notin (jkl),z"', reqs: [['x', 'in', ['abc', 'def']], ['y', 'notin', ['jkl']], ['z', 'exists', []]], want: 'x in (abc,def),y notin (jkl),z' },
    { name: 'notin, != and does-not-exist print as "x notin (abc,def),y!=jkl,!z"', reqs: [['x', 'notin', ['abc', 'def']], ['y', '!=', ['jkl']], ['z', '!', []]], want: 'x notin (abc,def),y!=jkl,!z' },
    { name: 'the empty value prints as nothing between the parentheses', reqs: [['x', 'notin', ['abc']], ['y', 'in', ['jkl', 'mno']], ['z', 'notin', ['']]], want: 'x notin (abc),y in (jkl,mno),z notin ()' },
    { name: '=, == and != print without spaces, and two requirements on one key keep their order', reqs: [['x', '=', ['abc']], ['y', '==', ['jkl']], ['z', '!=', ['a']], ['z', 'exists', []]], want: 'x=abc,y==jkl,z!=a,z' },
    { name: 'gt and lt print as > and <', reqs: [['x', 'gt', ['2']], ['y', 'lt', ['8']], ['z', 'exists', []]], want: 'x>2,y<8,z' },
    { name: 'requirements print sorted by key whatever order they were added in', reqs: [['tier', 'in', ['web']], ['app', '=', ['order']], ['release', 'exists', []]], want: 'app=order,release,tier in (web)' },
  ]
  table(toString, ({ reqs, want }) => {
    const sel = newSelector().add(...reqs.map(([k, op, v]) => newRequirement(k, op, v)))
    expect(sel.toString()).toBe(want)
  })

  test('in prints its values sorted but leaves the requirement\'s own values untouched', () => {
    const r = newRequirement('x', 'in', ['def', 'abc'])
    expect(r.toString()).toBe('x in (abc,def)')
    expect([...r.values], 'values after toString()').toEqual(['def', 'abc'])
  })

  // Valid selectors, generated: keys include `in` and `notin`, values include "".
  const keys = ['app', 'tier', 'track', 'example.com/team', 'x', 'in', 'notin']
  const words = ['', 'order', 'web', 'Order', 'in', 'notin', '1', '007', 'a.b_c-d']
  const key = fc.constantFrom(...keys)
  const word = fc.constantFrom(...words)
  const number = fc.nat({ max: 1000 }).map(String)
  const requirement = fc.oneof(
    fc.tuple(key, fc.constantFrom<Operator>('=', '==', '!='), word.map((w) => [w])),
    fc.tuple(key, fc.constantFrom<Operator>('in', 'notin'), fc.uniqueArray(fc.oneof(word, number), { minLength: 1, maxLength: 3 })),
    fc.tuple(key, fc.constantFrom<Operator>('exists', '!'), fc.constant<string[]>([])),
    fc.tuple(key, fc.constantFrom<Operator>('gt', 'lt'), number.map((n) => [n])),
  )
  const labelSet = fc.dictionary(key, fc.oneof(word, number), { maxKeys: 5 })

  test('for any valid selector, parse(selector.toString()) prints the same string and matches the same label sets', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 4 }), fc.array(labelSet, { minLength: 1, maxLength: 6 }), (reqs, labelSets) => {
        const sel = newSelector().add(...reqs.map(([k, op, v]) => newRequirement(k, op, v)))
        const printed = sel.toString()
        const again = parse(printed)
        expect(again.toString(), `parse(${JSON.stringify(printed)}).toString()`).toBe(printed)
        for (const labels of labelSets) {
          expect(again.matches(labels), `"${printed}" on ${labelsText(labels)}, parsed back vs built`).toBe(sel.matches(labels))
        }
      }),
      { seed: 2, numRuns: 200 },
    )
  })
})

task('parse', () => {
  // TestSelectorParse: good strings print back with their spaces removed.
  const good = ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']
  table(
    good.map((s) => ({ name: `"${JSON.stringify(s).slice(1, -1)}" parses and prints back without its spaces`, s })),
    ({ s }) => {
      expect(parse(s).toString(), `parse(${JSON.stringify(s)}).toString()`).toBe(s.replaceAll(' ', ''))
    },
  )

  // TestSetSelectorParser (valid rows) and more: the canonical form of what was parsed.
  const canonical: { name: string; input: string; want: string }[] = [
    { name: 'a carriage return is whitespace: "\\rx" is x exists', input: '\rx', want: 'x' },
    { name: 'a key with a DNS prefix and dashes parses as exists', input: 'this-is-a-dns.domain.com/key-with-dash', want: 'this-is-a-dns.domain.com/key-with-dash' },
    { name: 'a prefixed key takes in (so,what)', input: 'this-is-another-dns.domain.com/key-with-dash in (so,what)', want: 'this-is-another-dns.domain.com/key-with-dash in (so,what)' },
    { name: 'values may contain dots and start with digits', input: '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', want: '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)' },
    { name: 'spaces and tabs around in are ignored', input: 'foo  in\t (abc)', want: 'foo in (abc)' },
    { name: 'a newline around notin is ignored', input: 'x notin\n (abc)', want: 'x notin (abc)' },
    { name: 'runs of tabs around notin are ignored', input: 'x  notin\t\t\t(abc,def)', want: 'x notin (abc,def)' },
    { name: 'a trailing comma inside parentheses adds the empty value', input: 'x in (abc,)', want: 'x in (,abc)' },
    { name: 'empty parentheses are the one empty value', input: 'x in ()', want: 'x in ()' },
    { name: 'a space inside empty parentheses changes nothing', input: 'x notin ( )', want: 'x notin ()' },
    { name: 'a leading comma inside parentheses adds the empty value', input: 'x notin (, a)', want: 'x notin (,a)' },
    { name: 'requirements come out sorted by key, set values sorted, ",," is the empty value', input: 'x notin (abc,,def),bar,z in (),w', want: 'bar,w,x notin (,abc,def),z in ()' },
    { name: 'a bare key before a set requirement is exists', input: 'x,y in (a)', want: 'x,y in (a)' },
    { name: 'equality, inequality and a set requirement combine', input: 'x=a,y!=b,z in (h,i,j)', want: 'x=a,y!=b,z in (h,i,j)' },
    { name: 'x<7 is lt', input: 'x<7', want: 'x<7' },
    { name: 'a trailing space after a key is ignored', input: 'a ', want: 'a' },
    { name: 'in and notin inside a value list are plain values', input: 'a in (x,y,notin, z,in)', want: 'a in (in,notin,x,y,z)' },
    { name: 'duplicate values collapse: the values form a set', input: 'x in (b,a,b)', want: 'x in (a,b)' },
    { name: '== is kept as written', input: 'x==a', want: 'x==a' },
    { name: 'in and notin are plain words where a key or a value is expected', input: 'notin=in,in in (notin)', want: 'in in (notin),notin=in' },
  ]
  table(canonical, ({ input, want }) => {
    expect(parse(input).toString(), `parse(${JSON.stringify(input)}).toString()`).toBe(want)
  })

  test('parsed requirements carry the operator and the sorted, de-duplicated values', () => {
    const { requirements, selectable } = parse('x notin (abc,,def),bar,z in (),w').requirements()
    expect(selectable).toBe(true)
    expect(requirements.map((r) => [r.key, r.operator, [...r.values]])).toEqual([
      ['bar', 'exists', []],
      ['w', 'exists', []],
      ['x', 'notin', ['', 'abc', 'def']],
      ['z', 'in', ['']],
    ])
  })

  test('parsing is deterministic: "x=a,a=x" and "a=x,x=a" give the same selector', () => {
    // TestDeterministicParse
    expect(parse('x=a,a=x').toString()).toBe(parse('a=x,x=a').toString())
    expect(parse('x=a,a=x').toString()).toBe('a=x,x=a')
  })

  test('an empty string parses to a selector that matches everything', () => {
    const sel = parse('')
    expect(sel.empty()).toBe(true)
    expect(sel.matches({ x: 'y' })).toBe(true)
  })

  // Bad strings, with the parser's exact messages.
  const bad: { name: string; input: string; want: string }[] = [
    {
      name: '"|" is no operator, so "a||y" is one value, and not a valid label value',
      input: 'x=a||y=b',
      want: `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABELVAL}`,
    },
    { name: 'after x==a a second == is unexpected', input: 'x==a==b', want: "found '==', expected: ',' or 'end of string'" },
    { name: '!x takes no value', input: '!x=a', want: "found '=', expected: ',' or 'end of string'" },
    { name: 'lt needs an integer', input: 'x<a', want: `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer` },
    { name: 'two commas in a row leave a requirement out', input: 'x,,y', want: "found ',', expected: identifier after ','" },
    { name: 'a selector cannot start with a comma', input: ',x,y', want: "found ',', expected: !, identifier, or 'end of string'" },
    { name: 'a misspelt operator lists the binary operators', input: 'x nott in (y)', want: 'unable to parse requirement: found \'nott\', expected: in, notin, =, ==, !=, gt, lt' },
    { name: 'a trailing comma after the last requirement is refused', input: 'a in (xyz),', want: "found '', expected: identifier after ','" },
    { name: 'a requirement right after ")" needs a comma', input: 'a in (xyz)b notin ()', want: "found 'b', expected: ',' or 'end of string'" },
    { name: 'values in parentheses are separated by commas, not spaces', input: 'a in (xyz abc)', want: "unable to parse requirement: found 'abc', expected: ',' or ')'" },
    { name: 'an unclosed parenthesis is refused', input: 'a notin(', want: "unable to parse requirement: found '', expected: ',', ')' or identifier" },
    { name: 'a parenthesis cannot follow a key directly', input: 'a (', want: 'unable to parse requirement: found \'(\', expected: in, notin, =, ==, !=, gt, lt' },
    { name: 'a selector cannot start with a parenthesis', input: '(', want: "found '(', expected: !, identifier, or 'end of string'" },
    { name: 'a lone ! needs a key after it', input: '!', want: "unable to parse requirement: found '', expected: identifier" },
    { name: 'in needs its values in parentheses (and this message has no comma before expected)', input: 'x in abc', want: "unable to parse requirement: found 'abc' expected: '('" },
    { name: 'an operator inside a value list is refused', input: 'x in (a,=)', want: "unable to parse requirement: found '=', expected: ',', or identifier" },
    { name: 'there is no >= operator: > is read, then = is no value', input: 'x>=1', want: "unable to parse requirement: found '=', expected: identifier" },
    { name: 'a space ends a value: "x=a b" leaves b over', input: 'x=a b', want: "found 'b', expected: ',' or 'end of string'" },
    { name: 'a value must end with an alphanumeric character', input: 'tier=web_', want: `unable to parse requirement: values[0][tier]: Invalid value: "web_": ${LABELVAL}` },
    {
      name: 'the parser checks the key itself, before any requirement exists, so the field path prints as <nil>',
      input: '-x',
      want: `unable to parse requirement: <nil>: Invalid value: "-x": ${LABELKEY_NAME}`,
    },
  ]
  table(bad, ({ input, want }) => {
    const err = thrown(() => parse(input), `parse(${JSON.stringify(input)})`)
    expect(err, `parse(${JSON.stringify(input)}) must throw SelectorParseError, threw ${err.name}: ${err.message}`).toBeInstanceOf(SelectorParseError)
    expect(err.name, 'the name of the error class, as an uncaught error prints it').toBe('SelectorParseError')
    expect(err.message, `error of parse(${JSON.stringify(input)})`).toBe(want)
  })
})
