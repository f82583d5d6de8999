// A thrown error shows its input: when the code under test throws inside a check, the
// message the learner reads carries the table row, or the line of the check that made the
// call, beside the exception (checks/support/thrown.ts), as it does for a wrong value.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { addCallSite, annotate, inputText, withInput } from '../checks/support/thrown.ts'
import { katasIn, learnerEnv } from '../cli/testing/spawn.ts'
import { PACKAGE_ROOT, STUBS_DIR } from './paths.ts'

class HostLocalError extends Error {
  override name = 'HostLocalError'
}

describe('a thrown error carries its row', () => {
  const row = { name: 'a range with every field given', cfg: { subnet: '192.0.2.0/24', rangeEnd: '192.0.2.50' }, want: ['x'] }
  test.each([
    {
      name: 'an exception of the code under test gets the row\'s input after its own message, keeping its name and frames',
      err: new HostLocalError('RangeEnd 192.0.2.50 not in network 192.0.2.0/24'),
      want: { name: 'HostLocalError', message: "RangeEnd 192.0.2.50 not in network 192.0.2.0/24\ninput: { cfg: { subnet: '192.0.2.0/24', rangeEnd: '192.0.2.50' } }" },
    },
    { name: 'a thrown string is shown as it is', err: 'boom', want: { name: 'thrown value', message: "boom\ninput: { cfg: { subnet: '192.0.2.0/24', rangeEnd: '192.0.2.50' } }" } },
  ])('$name', ({ err, want }) => {
    const got = annotate(err, row) as Error
    expect({ name: got.name, message: got.message }).toEqual(want)
    expect(got.cause).toBe(err)
    const frames = (stack = '') => stack.split('\n').filter((l) => /^\s+at /.test(l))
    if (err instanceof Error) expect(frames(got.stack)).toEqual(frames(err.stack))
  })

  test.each([
    { name: 'a wrong value (the check\'s own assertion)', err: Object.assign(new Error('expected 1 to be 2'), { name: 'AssertionError' }) },
    { name: 'a stub that is not implemented yet', err: new Error('kata 00-pod-network: RangeSet.list is not implemented yet (see lessons/00-pod-network.md)') },
    { name: 'a property\'s counterexample', err: new Error('Property failed after 3 tests\n{ seed: 1 }\nCounterexample: [1]') },
  ])('$name passes through unchanged', ({ err }) => {
    expect(annotate(err, row)).toBe(err)
  })

  test.each([
    { name: 'long values are cut, the title and expectations left out', row: { name: 'n', what: 'w', want: 1, text: 'x'.repeat(500) }, want: /^\{ text: 'x{120}'\.\.\. 380 more characters \}$/ },
    { name: 'an input too long for a line ends in an ellipsis', row: { a: 'y'.repeat(100), b: 'y'.repeat(100), c: 'y'.repeat(100), d: 'y'.repeat(100) }, want: /^\{ a: 'y+', b: .{200,}…$/ },
  ])('inputText: $name', ({ row, want }) => {
    expect(inputText(row)).toMatch(want)
  })

  test('withInput annotates a rejected promise too', async () => {
    await expect(withInput({ port: 80 }, () => Promise.reject(new TypeError('nope')))).rejects.toThrow('nope\ninput: { port: 80 }')
  })
})

describe('a check without a table shows the line that made the call', () => {
  const check = path.join(PACKAGE_ROOT, 'checks', '00-pod-network.check.ts')
  test.each([
    { name: 'the first frame in a check file names the call', stack: `TypeError: x\n    at f (/w/hostlocal.ts:1:1)\n    at ${check}:1:5`, want: /^TypeError message\ncall: \S.*  \(checks\/00-pod-network\.check\.ts:1\)$/ },
    { name: 'an assertion gets nothing', name_: 'AssertionError', stack: `AssertionError: x\n    at ${check}:1:5`, want: /^TypeError message$/ },
    { name: 'no check frame, nothing added', stack: 'TypeError: x\n    at f (/w/hostlocal.ts:1:1)', want: /^TypeError message$/ },
  ])('$name', ({ name_, stack, want }) => {
    const errors = [{ name: name_ ?? 'TypeError', message: 'TypeError message', stack }]
    addCallSite(errors, PACKAGE_ROOT)
    expect(errors[0]!.message).toMatch(want)
  })
})

describe('katas check shows the input of a check whose code threw', () => {
  // A learner's kata 00 whose PodNetwork.reach (a core task, checked by a table) throws for one origin.
  const ws = path.join(PACKAGE_ROOT, `workspace-test-thrown-${process.pid}`)
  const katas = katasIn(learnerEnv(ws, { COLUMNS: '400' }))
  afterAll(() => {
    // `katas check` leaves its warm checker running for the next check: stop it with the workspace.
    katas('stop')
    rmSync(ws, { recursive: true, force: true })
  })

  test('the first failing check prints the exception, then its input', () => {
    cpSync(STUBS_DIR, ws, { recursive: true })
    mkdirSync(path.join(ws, 'network'), { recursive: true })
    for (const m of ['network/cidrset.ts', 'network/hostlocal.ts', 'kubectl/portforward.ts']) writeFileSync(path.join(ws, m), `export * from '../../solutions/${m}'\n`)
    writeFileSync(
      path.join(ws, 'network/reachability.ts'),
      [
        "export * from '../../solutions/network/reachability.ts'",
        "import { PodNetworkError, PodNetwork as Reference, type Origin, type Reachability } from '../../solutions/network/reachability.ts'",
        'export class PodNetwork extends Reference {',
        '  override reach(from: Origin, ip: string): Reachability {',
        "    if (from.kind === 'outside' && from.name.startsWith('vm ')) throw new PodNetworkError('no node named vm on 172.18.0.0/16')",
        '    return super.reach(from, ip)',
        '  }',
        '}',
        '',
      ].join('\n'),
    )
    const r = katas('check', '00')
    expect(r.code, r.stderr).toBe(1)
    // The renderer wraps long lines: compare the text as one line.
    const shown = r.stdout.replace(/\n\s+/g, ' ')
    expect(shown).toMatch(/no node named vm on 172\.18\.0\.0\/16 input: \{ from: \{ kind: 'outside', name: 'vm on 172\.18\.0\.0\/16' \}/)
    expect(shown).toMatch(/ call: .*net\.reach\(from, target\).* \(checks\/00-pod-network\.check\.ts:\d+\)/)
  }, 120_000)
})
