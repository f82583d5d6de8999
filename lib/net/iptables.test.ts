// What a learner sees of a verdict: `console.log(proxier.route(…))` in a scratch file
// (`katas run`), or JSON, shows the plain { output, masq, matched } of kube-proxy's
// packetFlowTest, with the matched rules written out, whatever the walk keeps inside.
import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { Netfilter, Ruleset, tracePacket, type Verdict } from './iptables.ts'

const rules = new Ruleset()
rules.append('nat', 'KUBE-SERVICES', { comment: 'snackbar/order:http cluster IP', protocol: 'tcp', destination: { address: '10.96.0.20' }, dport: 80, jump: 'KUBE-SVC-A' })
rules.append('nat', 'KUBE-SVC-A', { comment: 'snackbar/order:http -> 10.244.1.2:8080', jump: 'KUBE-SEP-B' })
rules.append('nat', 'KUBE-SEP-B', { comment: 'snackbar/order:http', protocol: 'tcp', jump: 'DNAT', toDestination: '10.244.1.2:8080' })
const packet = { sourceIP: '10.244.2.5', destIP: '10.96.0.20', destPort: 80 }

const want: Verdict = {
  output: '10.244.1.2:8080',
  masq: false,
  matched: [
    '-A KUBE-SERVICES -m comment --comment "snackbar/order:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 80 -j KUBE-SVC-A',
    '-A KUBE-SVC-A -m comment --comment "snackbar/order:http -> 10.244.1.2:8080" -j KUBE-SEP-B',
    '-A KUBE-SEP-B -m comment --comment snackbar/order:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080',
  ],
}

describe('a verdict, as a learner prints it', () => {
  test.each([
    { name: 'a connection (Netfilter.connect)', verdict: () => new Netfilter({ localIPs: ['172.18.0.3'] }).connect(rules, packet) },
    { name: 'a trace (tracePacket)', verdict: () => tracePacket(rules, packet, ['172.18.0.3']) },
  ])('$name', ({ verdict }) => {
    const v = verdict()
    expect({ output: v.output, masq: v.masq, matched: v.matched }).toEqual(want)
    expect(JSON.parse(JSON.stringify(v))).toEqual(want)
    expect(inspect(v, { depth: 3 })).toBe(inspect(want, { depth: 3 }))
  })

  test('a connection that matches no rule has no matched rules', () => {
    const v = new Netfilter({ localIPs: [] }).connect(rules, { ...packet, destPort: 443 })
    expect(JSON.parse(JSON.stringify(v))).toEqual({ output: '', masq: false, matched: [] })
  })
})
