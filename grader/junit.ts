// Grades as JUnit XML, the report CI systems read: one <testsuite> per kata
// per checkout, one <testcase> per check (its class name is the kata and task),
// and a kata that did not run as one <testcase> with an <error>.
import { XMLBuilder } from 'fast-xml-parser'
import type { CheckoutGrade, KataGrade } from './grade.ts'
import { verdictLine } from './exercism.ts'

type Node = Record<string, unknown>

// XML 1.0 cannot carry most control characters, which learner output may hold.
// eslint-disable-next-line no-control-regex
const xmlSafe = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '�')

function suite(c: CheckoutGrade, many: boolean, g: KataGrade): Node {
  const name = many ? `${c.name}/${g.kata.name}` : g.kata.name
  const props = [
    ['verdict', g.verdict],
    ['track', g.track],
    ['points', g.points],
    ['max_points', g.maxPoints],
    ['core_points', g.corePoints],
    ['deep_points', g.deepPoints],
    ...g.tasks.map((t) => [`task_${t.task.number}_points`, `${t.points}/${t.task.points}`]),
    ...g.tampering.map((t) => ['tampering', `${t.change} ${t.file}`]),
    ...g.notes.map((n) => ['note', n]),
    ...(c.sandboxed ? [] : [['unsandboxed', c.unsandboxed ?? 'no sandbox']]),
  ].map(([n, v]) => ({ '@_name': n, '@_value': String(v) }))
  let cases: Node[]
  let failures = 0
  let errors = 0
  let skipped = 0
  if (g.verdict === 'given') {
    skipped = 1
    cases = [{ '@_classname': name, '@_name': g.kata.title, '@_time': '0', skipped: { '@_message': xmlSafe(g.message ?? 'given') } }]
  } else if (g.verdict === 'passed' || g.verdict === 'failed') {
    cases = g.checks.map((ch) => {
      const task = g.kata.tasks[ch.task - 1]
      const tc: Node = { '@_classname': `${name}.${task?.slug ?? 'checks'}`, '@_name': xmlSafe(ch.name), '@_time': '0' }
      if (ch.status !== 'pass') {
        failures++
        tc.failure = { '@_message': xmlSafe((ch.message ?? 'failed').split('\n')[0]!), '#text': xmlSafe(ch.message ?? 'failed') }
      }
      if (ch.output) tc['system-out'] = xmlSafe(ch.output)
      return tc
    })
  } else {
    errors = 1
    const text = xmlSafe(`${verdictLine(g)}${g.message ?? ''}`)
    cases = [{ '@_classname': name, '@_name': g.kata.title, '@_time': g.seconds.toFixed(3), error: { '@_type': g.verdict, '@_message': text.split('\n')[0], '#text': text } }]
  }
  return {
    '@_name': name,
    '@_tests': cases.length,
    '@_failures': failures,
    '@_errors': errors,
    '@_skipped': skipped,
    '@_time': g.seconds.toFixed(3),
    properties: { property: props },
    testcase: cases,
  }
}

export function toJUnit(checkouts: CheckoutGrade[]): string {
  const many = checkouts.length > 1
  const suites = checkouts.flatMap((c) => c.katas.map((g) => suite(c, many, g)))
  const sum = (k: string) => suites.reduce((n, s) => n + Number(s[k]), 0)
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'Service Katas',
      '@_tests': sum('@_tests'),
      '@_failures': sum('@_failures'),
      '@_errors': sum('@_errors'),
      '@_time': sum('@_time').toFixed(3),
      testsuite: suites,
    },
  }
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(doc) as string
}
