// Kata 06 — ClusterIP.
// Vectors: ipallocator/bitmap_test.go (TestAllocate, TestAllocateTiny, TestAllocateSmall,
// TestAllocateReserved, Test_calculateRangeOffset), storage/alloc.go messages,
// proxy/topology_test.go TestCategorizeEndpoints, iptables/proxier_test.go
// (TestOverallIPTablesRules, TestClusterIPGeneral, TestNoEndpointsReject, TestComputeProbability).
import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import {
  allocateServiceClusterIPs,
  calculateRangeOffset,
  ErrAllocated,
  ErrFull,
  ErrNotInRange,
  firstServiceIP,
  newCIDRRange,
  releaseServiceClusterIPs,
} from '@impl/registry/ipallocator.ts'
import { categorizeEndpoints } from '@impl/proxy/topology.ts'
import { computeProbability, endpointsForServicePort, Proxier, servicePortInfos, writeServiceToEndpointRules, type ProxierOptions } from '@impl/proxy/iptables/proxier.ts'
import { syncService } from '@impl/controller/endpointslice.ts'
import { Ruleset, servicePortEndpointChainName, servicePortPolicyClusterChain, tracePacket } from '../lib/net/iptables.ts'
import { bullets, listDiff } from './support/explain.ts'
import { endpointSlice, ep, exactly, flowMessage, policy, runCategorizeRow, statusOf, svc, type CategorizeRow, type EP, type Flow } from './support/clusterip.ts'
import { pod } from './support/fixtures.ts'
import { table } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('06-clusterip')

const KIND_WORKER = { nodeName: 'kind-worker', nodeIPs: ['172.18.0.3'] }
const KIND_WORKER2 = { nodeName: 'kind-worker2', nodeIPs: ['172.18.0.4'] }

function proxierFor(services: Service[], slices: EndpointSlice[], options: ProxierOptions = KIND_WORKER): Proxier {
  const p = new Proxier(options)
  p.sync(services, slices)
  return p
}

/**
 * The rules writeInternalRules alone writes for every service port of these Services, as
 * sync would call it on this node: KUBE-SERVICES, the first rule of each internal chain,
 * REJECT/DROP, and the KUBE-SEP chains — without the policy chains' balancing rules.
 */
function internalRules(services: Service[], slices: EndpointSlice[], options: ProxierOptions = KIND_WORKER): Ruleset {
  const p = new Proxier(options)
  const rs = new Ruleset()
  for (const service of services) for (const info of servicePortInfos(service)) p.writeInternalRules(rs, p.servicePortState(info, slices))
  return rs
}


// ---------------------------------------------------------------------------
task('ip-allocator', () => {

  table(
    [
      { name: 'TestAllocate IPv4: 192.168.1.0/24 hands out exactly its 254 host addresses', cidr: '192.168.1.0/24', free: 254, last: '192.168.1.254' },
      { name: 'a /30 hands out exactly its 2 host addresses (TestAllocateSmall)', cidr: '192.168.1.240/30', free: 2, last: '192.168.1.242' },
    ],
    (tc) => {
      const r = newCIDRRange(tc.cidr, 7)
      expect([r.cidr, r.family, r.free(), r.used()], `new range over ${tc.cidr}: [cidr, family, free, used]`).toEqual([tc.cidr, 'IPv4', tc.free, 0])
      const seen = new Set<string>()
      for (let i = 0; i < tc.free; i++) {
        const ip = r.allocateNext()
        expect(seen.has(ip), `allocateNext handed out ${ip} twice`).toBe(false)
        seen.add(ip)
      }
      expect(() => r.allocateNext(), `${tc.cidr} with all ${tc.free} addresses taken`).toThrow(ErrFull)
      expect(() => r.allocateNext()).toThrow(exactly('range is full'))
      const network = tc.cidr.split('/')[0]!
      expect(seen.has(network), `${network} is the network address and must never be handed out`).toBe(false)
      expect(seen.has(tc.last), `${tc.last} is the last host address and must be handed out`).toBe(true)
      r.release(tc.last)
      expect([r.free(), r.used()], `after releasing ${tc.last}: [free, used]`).toEqual([1, tc.free - 1])
      expect(r.allocateNext(), 'the only free address is the one just released').toBe(tc.last)
    },
  )



  test('TestAllocateTiny: a /32 has nothing to hand out', () => {
    const r = newCIDRRange('192.168.1.0/32')
    expect(r.free(), 'free addresses of a /32').toBe(0)
    expect(() => r.allocateNext()).toThrow(ErrFull)
  })

  test('TestAllocateReserved: on a /25 dynamic allocation fills 192.168.1.17–.126 before touching the static band .1–.16', () => {
    const r = newCIDRRange('192.168.1.0/25', 3)
    const got: string[] = []
    for (let i = 0; i < 126 - 16; i++) got.push(r.allocateNext())
    const inStatic = got.filter((ip) => Number(ip.split('.')[3]) <= 16)
    expect(inStatic, `dynamic allocations that landed in the static band 192.168.1.1–16:\n${bullets(inStatic)}`).toEqual([])
    expect(r.free(), 'only the 16 static addresses are left').toBe(16)
    for (let i = 1; i <= 16; i++) r.allocate(`192.168.1.${i}`)
    expect(r.free()).toBe(0)
    r.release('192.168.1.10')
    expect(r.allocateNext(), 'the upper band is full, so the next dynamic address comes from the static band').toBe('192.168.1.10')
  })

  test("kind's 10.96.0.0/16: 500 Services without a clusterIP never get 10.96.0.1–10.96.1.0, where kubernetes and kube-dns live", () => {
    const r = newCIDRRange('10.96.0.0/16')
    expect(r.free(), '10.96.0.1 … 10.96.255.254').toBe(65534)
    const low: string[] = []
    for (let i = 0; i < 500; i++) {
      const ip = r.allocateNext()
      const [, , c, d] = ip.split('.').map(Number)
      if (ip.startsWith('10.96.') && (c === 0 || (c === 1 && d === 0))) low.push(ip)
    }
    expect(low, `dynamic addresses in the static band:\n${bullets(low)}`).toEqual([])
    expect(r.has('10.96.0.10'), '10.96.0.10 stays free for kube-dns').toBe(false)
  })


  test('no address is ever handed out twice, or outside the range, across random allocate/release sequences (property)', () => {
    type Op = { kind: 'next' } | { kind: 'take'; host: number } | { kind: 'release'; host: number }
    const op = fc.oneof(
      fc.constant<Op>({ kind: 'next' }),
      fc.integer({ min: 0, max: 63 }).map((host): Op => ({ kind: 'take', host })),
      fc.integer({ min: 0, max: 63 }).map((host): Op => ({ kind: 'release', host })),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
        const r = newCIDRRange('10.96.0.0/26', seed)
        const held = new Set<string>()
        for (const o of ops) {
          if (o.kind === 'next') {
            if (held.size === 62) {
              expect(() => r.allocateNext(), 'allocateNext on a full /26').toThrow(ErrFull)
              continue
            }
            const ip = r.allocateNext()
            const host = Number(ip.split('.')[3])
            expect(ip.startsWith('10.96.0.') && host >= 1 && host <= 62, `allocateNext returned ${ip}, outside 10.96.0.1–10.96.0.62`).toBe(true)
            expect(held.has(ip), `allocateNext returned ${ip}, which is already allocated`).toBe(false)
            held.add(ip)
          } else if (o.kind === 'take') {
            const ip = `10.96.0.${o.host}`
            if (o.host === 0 || o.host === 63) expect(() => r.allocate(ip), `allocate(${ip})`).toThrow(ErrNotInRange)
            else if (held.has(ip)) expect(() => r.allocate(ip), `allocate(${ip}) twice`).toThrow(ErrAllocated)
            else {
              r.allocate(ip)
              held.add(ip)
            }
          } else {
            const ip = `10.96.0.${o.host}`
            r.release(ip)
            held.delete(ip)
          }
          expect([r.used(), r.free()], 'used/free after each step').toEqual([held.size, 62 - held.size])
        }
      }),
      { seed: 606, numRuns: 80 },
    )
  })

  // randomScanStrategyWithOffset.AllocateBit: start := rand.Intn(subrangeMax), then
  // rand.Intn(offset) for the static band — every address of a band is equally likely first.
  table(
    [
      {
        name: 'allocateNext starts at a uniformly random address of the upper band: 1,400 fresh /27 ranges give each of .17–.30 about 100 times',
        band: Array.from({ length: 14 }, (_, i) => 17 + i),
        taken: [] as number[],
      },
      {
        name: 'with the upper band full, allocateNext starts at a uniformly random address of the static band: 1,600 fresh /27 ranges give each of .1–.16 about 100 times',
        band: Array.from({ length: 16 }, (_, i) => 1 + i),
        taken: Array.from({ length: 14 }, (_, i) => 17 + i),
      },
    ],
    (tc) => {
      const hits = new Map<number, number>(tc.band.map((h) => [h, 0]))
      for (let seed = 1; seed <= tc.band.length * 100; seed++) {
        const r = newCIDRRange('10.96.0.0/27', seed)
        for (const h of tc.taken) r.allocate(`10.96.0.${h}`)
        const host = Number(r.allocateNext().split('.')[3])
        hits.set(host, (hits.get(host) ?? 0) + 1)
      }
      const skewed = [...hits].filter(([, n]) => n < 60 || n > 140).map(([h, n]) => `10.96.0.${h}: ${n} times`)
      expect(skewed, `Kubernetes draws the scan's start with rand.Intn(band size), so no address of the band is favoured; these were first far from 100 times:\n${bullets(skewed)}`).toEqual([])
    },
  )

  test('allocateNext: the same seed gives the same addresses, so a cluster replays the same cluster IPs', () => {
    const first = newCIDRRange('10.96.0.0/16', 42)
    const second = newCIDRRange('10.96.0.0/16', 42)
    const a = Array.from({ length: 5 }, () => first.allocateNext())
    const b = Array.from({ length: 5 }, () => second.allocateNext())
    expect(b, `two ranges seeded 42 handed out ${a.join(', ')} and ${b.join(', ')}`).toEqual(a)
    expect(new Set(a).size, 'five different addresses').toBe(5)
  })

  test('allocateNext marks the address taken: has, used and free follow, and allocate of it is refused', () => {
    const r = newCIDRRange('10.96.0.0/24', 9)
    const ip = r.allocateNext()
    expect([r.has(ip), r.used(), r.free()], `[has(${ip}), used, free] after one allocateNext on a /24`).toEqual([true, 1, 253])
    expect(() => r.allocate(ip), `allocate(${ip}) after allocateNext handed it out`).toThrow(ErrAllocated)
  })

  const order = (spec: Partial<NonNullable<Service['spec']>> = {}): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'order', namespace: 'snackbar' },
    spec: { type: 'ClusterIP', selector: { app: 'order' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], ...spec },
  })

  test('a Service that asks for nothing gets one dynamic address, as clusterIP and clusterIPs, SingleStack IPv4', () => {
    const range = newCIDRRange('10.96.0.0/16')
    const got = allocateServiceClusterIPs(order(), range).spec!
    expect(got.clusterIPs, 'clusterIPs').toEqual([got.clusterIP])
    expect([got.ipFamilies, got.ipFamilyPolicy], '[ipFamilies, ipFamilyPolicy]').toEqual([['IPv4'], 'SingleStack'])
    expect(range.has(got.clusterIP!), `the allocator holds ${got.clusterIP}`).toBe(true)
    const [, , c, d] = got.clusterIP!.split('.').map(Number)
    expect(c === 0 || (c === 1 && d === 0), `${got.clusterIP} is in the static band 10.96.0.1–10.96.1.0`).toBe(false)
  })

  test('a full range is an internal error: Internal error occurred: failed to allocate a serviceIP: range is full', () => {
    const range = newCIDRRange('10.96.0.0/30')
    allocateServiceClusterIPs(order(), range)
    allocateServiceClusterIPs({ ...order(), metadata: { name: 'menu', namespace: 'snackbar' } }, range)
    const err = statusOf(() => allocateServiceClusterIPs({ ...order(), metadata: { name: 'kitchen', namespace: 'snackbar' } }, range))
    expect([err.code, err.message], 'third Service on a /30').toEqual([500, 'Internal error occurred: failed to allocate a serviceIP: range is full'])
    expect(err.kubectl()).toBe('Error from server (InternalError): Internal error occurred: failed to allocate a serviceIP: range is full')
  })
})

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------
// TestOverallIPTablesRules, the ClusterIP part: services of namespaces ns1/ns4/ns5/ns6,
// cluster CIDR 10.0.0.0/8, node "test-node".
const GO_TEST_NODE: ProxierOptions = { nodeName: 'test-node', nodeIPs: ['192.168.0.2', '192.168.1.2'], clusterCIDR: '10.0.0.0/8' }
function goOverallServices(): { services: Service[]; slices: EndpointSlice[] } {
  const p80 = [{ name: 'p80', port: 80, protocol: 'TCP' as const }]
  return {
    services: [
      svc({ namespace: 'ns1', name: 'svc1', clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80 }] }),
      svc({ namespace: 'ns4', name: 'svc4', type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: [{ name: 'p80', port: 80, nodePort: 3004 }] }),
      svc({
        namespace: 'ns5',
        name: 'svc5',
        clusterIP: '172.30.0.45',
        ports: [{ name: 'p80', port: 80 }],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      }),
      svc({ namespace: 'ns6', name: 'svc6', clusterIP: '172.30.0.46', ports: [{ name: 'p80', port: 80 }] }),
    ],
    slices: [
      endpointSlice('ns1', 'svc1', [{ ip: '10.180.0.1' }], p80),
      endpointSlice('ns4', 'svc4', [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', node: 'test-node' }], p80),
      endpointSlice('ns5', 'svc5', [{ ip: '10.180.0.3' }], p80),
    ],
  }
}


// ---------------------------------------------------------------------------
task('endpoint-choice', () => {
  const orderHTTP = () => servicePortInfos(svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }))[0]!
  const ORDER_SVC = servicePortPolicyClusterChain('snackbar/order:http', 'tcp')
  const sepOf = (svcPort: string, protocol: 'tcp' | 'udp', endpoint: string) => servicePortEndpointChainName(svcPort, protocol, endpoint)
  const endpointsOf = (n: number) => Array.from({ length: n }, (_, i) => ep(`10.244.1.${10 + i}:8080`))

  table(
    [
      { name: 'one endpoint: one unconditional rule', n: 1, want: [null] },
      { name: 'two endpoints: 0.5000000000, then unconditional', n: 2, want: ['0.5000000000', null] },
      { name: 'three endpoints: 0.3333333333, 0.5000000000, then unconditional', n: 3, want: ['0.3333333333', '0.5000000000', null] },
      { name: 'four endpoints: 0.2500000000, 0.3333333333, 0.5000000000, then unconditional', n: 4, want: ['0.2500000000', '0.3333333333', '0.5000000000', null] },
    ],
    (tc) => {
      const eps = endpointsOf(tc.n)
      const rs = new Ruleset()
      writeServiceToEndpointRules(rs, orderHTTP(), ORDER_SVC, eps)
      const rules = rs.rules('nat', ORDER_SVC)
      const shown = `${ORDER_SVC} for ${tc.n} endpoints:\n${bullets(rs.lines('nat', ORDER_SVC))}`
      expect(rules.map((r) => r.probability ?? null), `probabilities (each endpoint must get 1/${tc.n} overall) in ${shown}`).toEqual(tc.want)
      expect(rules.map((r) => r.comment), `each rule says which endpoint it picks, in ${shown}`).toEqual(eps.map((e) => `snackbar/order:http -> ${e.endpoint}`))
      expect(rules.map((r) => r.jump), `each rule jumps to the KUBE-SEP chain of its endpoint, in ${shown}`).toEqual(eps.map((e) => sepOf('snackbar/order:http', 'tcp', e.endpoint)))
    },
  )

  test('property: with n endpoints the rules give each endpoint 1/n of new connections, (1 − p₀)…(1 − pᵢ₋₁)·pᵢ = 1/n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const rs = new Ruleset()
        writeServiceToEndpointRules(rs, orderHTTP(), ORDER_SVC, endpointsOf(n))
        const ps = rs.rules('nat', ORDER_SVC).map((r) => (r.probability === undefined ? 1 : Number(r.probability)))
        expect(ps.length, `${n} endpoints: one rule each`).toBe(n)
        let rest = 1
        ps.forEach((p, i) => {
          const share = rest * p
          expect(Math.abs(share - 1 / n) < 1e-6, `${n} endpoints: endpoint ${i} gets ${share.toFixed(6)} of new connections, want 1/${n}; probabilities ${ps.join(', ')}`).toBe(true)
          rest *= 1 - p
        })
      }),
      { seed: 6061, numRuns: 60 },
    )
  })

  test('ClientIP affinity: one recent --rcheck rule per endpoint, with the timeout, comes before the balancing rules', () => {
    const cart = servicePortInfos(svc({ name: 'cart', clusterIP: '10.96.0.30', ports: [{ name: 'http', port: 80, targetPort: 8080 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }))[0]!
    const chain = servicePortPolicyClusterChain('snackbar/cart:http', 'tcp')
    const eps = [ep('10.244.1.5:8080'), ep('10.244.2.7:8080')]
    const rs = new Ruleset()
    writeServiceToEndpointRules(rs, cart, chain, eps)
    const sep = eps.map((e) => sepOf('snackbar/cart:http', 'tcp', e.endpoint))
    const want = [
      `-A ${chain} -m comment --comment "snackbar/cart:http -> 10.244.1.5:8080" -m recent --name ${sep[0]} --rcheck --seconds 60 --reap -j ${sep[0]}`,
      `-A ${chain} -m comment --comment "snackbar/cart:http -> 10.244.2.7:8080" -m recent --name ${sep[1]} --rcheck --seconds 60 --reap -j ${sep[1]}`,
      `-A ${chain} -m comment --comment "snackbar/cart:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep[0]}`,
      `-A ${chain} -m comment --comment "snackbar/cart:http -> 10.244.2.7:8080" -j ${sep[1]}`,
    ]
    const got = rs.lines('nat', chain)
    expect(got, `${chain} of cart (sessionAffinity ClientIP, timeoutSeconds 60):\n${listDiff(want, got)}`).toEqual(want)
  })

  test('a UDP port jumps to KUBE-SEP chains named with udp: kube-dns:dns gets its own chains, not those of dns-tcp', () => {
    const kubeDNS = svc({ namespace: 'kube-system', name: 'kube-dns', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] })
    const [dns, dnsTCP] = servicePortInfos(kubeDNS)
    const rs = new Ruleset()
    writeServiceToEndpointRules(rs, dns!, 'KUBE-SVC-DNS', [ep('10.244.0.2:53')])
    writeServiceToEndpointRules(rs, dnsTCP!, 'KUBE-SVC-DNS-TCP', [ep('10.244.0.2:53')])
    expect([rs.rules('nat', 'KUBE-SVC-DNS')[0]?.jump, rs.rules('nat', 'KUBE-SVC-DNS-TCP')[0]?.jump], 'the SEP chains of 10.244.0.2:53 for dns (UDP) and dns-tcp (TCP)').toEqual([
      sepOf('kube-system/kube-dns:dns', 'udp', '10.244.0.2:53'),
      sepOf('kube-system/kube-dns:dns-tcp', 'tcp', '10.244.0.2:53'),
    ])
  })

  test('the rules are appended after what the chain already holds: the masquerade rule stays first', () => {
    const rs = new Ruleset()
    rs.append('nat', ORDER_SVC, { comment: 'snackbar/order:http cluster IP', protocol: 'tcp', destination: { address: '10.96.0.20' }, dport: 80, source: { address: '10.244.0.0/16', negated: true }, jump: 'KUBE-MARK-MASQ' })
    writeServiceToEndpointRules(rs, orderHTTP(), ORDER_SVC, endpointsOf(2))
    expect(rs.rules('nat', ORDER_SVC).map((r) => r.jump), `${ORDER_SVC}:\n${bullets(rs.lines('nat', ORDER_SVC))}`).toEqual([
      'KUBE-MARK-MASQ',
      sepOf('snackbar/order:http', 'tcp', '10.244.1.10:8080'),
      sepOf('snackbar/order:http', 'tcp', '10.244.1.11:8080'),
    ])
  })
})

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------
// The snackbar namespace on a kind cluster; kube-proxy of kind-worker (172.18.0.3).
const HTTP = [{ name: 'http', port: 8080 }]
const SNACKBAR_SERVICES: Service[] = [
  svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  svc({ name: 'menu', clusterIP: '10.96.0.21', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  svc({ name: 'kitchen', clusterIP: '10.96.0.22', internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  svc({ name: 'billing', clusterIP: '10.96.0.23', internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  svc({ name: 'cashier', clusterIP: '10.96.0.24', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  svc({ name: 'ghost', clusterIP: '10.96.0.25', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  svc({ name: 'order-pods', clusterIP: 'None', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
  svc({
    namespace: 'kube-system',
    name: 'kube-dns',
    clusterIP: '10.96.0.10',
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
  }),
]
const SNACKBAR_SLICES: EndpointSlice[] = [
  endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5', node: 'kind-worker' }, { ip: '10.244.2.7', node: 'kind-worker2' }, { ip: '10.244.2.8', node: 'kind-worker2', ready: false }], HTTP),
  endpointSlice('snackbar', 'menu', [{ ip: '10.244.2.15', node: 'kind-worker2', ready: false }], HTTP),
  endpointSlice('snackbar', 'kitchen', [{ ip: '10.244.1.9', node: 'kind-worker' }, { ip: '10.244.2.9', node: 'kind-worker2' }], HTTP),
  endpointSlice('snackbar', 'billing', [{ ip: '10.244.2.10', node: 'kind-worker2' }], HTTP),
  endpointSlice(
    'snackbar',
    'cashier',
    [
      { ip: '10.244.1.11', node: 'kind-worker', ready: false, serving: true, terminating: true },
      { ip: '10.244.2.11', node: 'kind-worker2', ready: false, serving: true, terminating: true },
      { ip: '10.244.2.12', node: 'kind-worker2', ready: false, serving: false, terminating: true },
    ],
    HTTP,
  ),
  endpointSlice('snackbar', 'order-pods', [{ ip: '10.244.1.5', node: 'kind-worker' }], HTTP),
  endpointSlice(
    'kube-system',
    'kube-dns',
    [{ ip: '10.244.0.2', node: 'kind-control-plane' }, { ip: '10.244.0.3', node: 'kind-control-plane' }],
    [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
  ),
]

interface FlowRow extends Flow {
  name: string
  node?: 'kind-worker' | 'kind-worker2'
  output: string
  masq: boolean
  why?: string
}

const CLUSTER_IP_FLOWS: FlowRow[] = [
  {
    name: "a pod's connection to order's cluster IP can reach either Ready pod, on port 8080, unmasqueraded",
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.20',
    destPort: 80,
    output: '10.244.1.5:8080, 10.244.2.7:8080',
    masq: false,
    why: 'the not-ready pod 10.244.2.8 is never a destination; port 80 of the Service is targetPort 8080 of the pods',
  },
  {
    name: 'hairpin: a pod reaching itself through the Service is masqueraded',
    sourceIP: '10.244.1.5',
    destIP: '10.96.0.20',
    destPort: 80,
    output: '10.244.1.5:8080, 10.244.2.7:8080',
    masq: true,
    why: 'KUBE-SEP: -s <endpoint IP> -j KUBE-MARK-MASQ, or the reply would bypass the DNAT',
  },
  {
    name: 'the node itself (172.18.0.3) reaching a cluster IP is masqueraded: its address is not in the pod CIDR',
    sourceIP: '172.18.0.3',
    destIP: '10.96.0.20',
    destPort: 80,
    output: '10.244.1.5:8080, 10.244.2.7:8080',
    masq: true,
  },
  {
    name: 'a port order does not declare (10.96.0.20:8080) matches no rule: the cluster IP is virtual and the client times out',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.20',
    destPort: 8080,
    output: '',
    masq: false,
  },
  {
    name: "UDP to order's TCP port 80 matches no rule (TCP-only port does not match UDP traffic)",
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.20',
    destPort: 80,
    protocol: 'UDP',
    output: '',
    masq: false,
  },
  {
    name: 'menu, whose only pod is not Ready, is REJECTed: the client sees connection refused at once',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.21',
    destPort: 80,
    output: 'REJECT',
    masq: false,
    why: 'Service snackbar/menu has no ready endpoints — kube-proxy rejects',
  },
  {
    name: 'ghost, which has no EndpointSlice at all, is REJECTed (TestNoEndpointsReject)',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.25',
    destPort: 80,
    output: 'REJECT',
    masq: false,
  },
  {
    name: 'kitchen (internalTrafficPolicy: Local) from kind-worker reaches only the kitchen pod on kind-worker',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.22',
    destPort: 80,
    output: '10.244.1.9:8080',
    masq: false,
  },
  {
    name: 'kitchen (internalTrafficPolicy: Local) from kind-worker2 reaches only the kitchen pod on kind-worker2',
    node: 'kind-worker2',
    sourceIP: '10.244.2.20',
    destIP: '10.96.0.22',
    destPort: 80,
    output: '10.244.2.9:8080',
    masq: false,
  },
  {
    name: 'billing (internalTrafficPolicy: Local) with no pod on kind-worker is DROPped — the client times out, it is not refused',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.23',
    destPort: 80,
    output: 'DROP',
    masq: false,
    why: 'Service snackbar/billing has pods, but none on this node: "has no local endpoints" → DROP',
  },
  {
    name: 'billing from kind-worker2, where its pod runs, reaches it',
    node: 'kind-worker2',
    sourceIP: '10.244.2.20',
    destIP: '10.96.0.23',
    destPort: 80,
    output: '10.244.2.10:8080',
    masq: false,
  },
  {
    name: 'cashier, whose pods are all terminating, still routes to the two that are still serving',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.24',
    destPort: 80,
    output: '10.244.1.11:8080, 10.244.2.11:8080',
    masq: false,
    why: 'with no Ready endpoint kube-proxy falls back to serving-and-terminating ones (ProxyTerminatingEndpoints, GA 1.28)',
  },
  {
    name: 'kube-dns over UDP 53 reaches both CoreDNS pods',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.10',
    destPort: 53,
    protocol: 'UDP',
    output: '10.244.0.2:53, 10.244.0.3:53',
    masq: false,
  },
  {
    name: 'kube-dns over TCP 53 (a separate port dns-tcp) reaches both CoreDNS pods',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.10',
    destPort: 53,
    protocol: 'TCP',
    output: '10.244.0.2:53, 10.244.0.3:53',
    masq: false,
  },
  {
    name: 'kube-dns over SCTP 53 matches no rule: no port declares SCTP',
    sourceIP: '10.244.1.20',
    destIP: '10.96.0.10',
    destPort: 53,
    protocol: 'SCTP',
    output: '',
    masq: false,
  },
  {
    name: 'a pod IP is not translated: 10.244.2.7:8080 directly matches no kube-proxy rule',
    sourceIP: '10.244.1.20',
    destIP: '10.244.2.7',
    destPort: 8080,
    output: '',
    masq: false,
  },
]


task('service-chains', () => {
  const goInternal = () => {
    const { services, slices } = goOverallServices()
    return internalRules(services, slices, GO_TEST_NODE)
  }
  table(
    [
      {
        name: 'TestOverallIPTablesRules: nat KUBE-SERVICES sends each cluster IP:port to its KUBE-SVC chain',
        table: 'nat' as const,
        chain: 'KUBE-SERVICES',
        want: [
          '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
          '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK',
          '-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C',
        ],
      },
      {
        name: 'TestOverallIPTablesRules: filter KUBE-SERVICES rejects svc6, which has no endpoints',
        table: 'filter' as const,
        chain: 'KUBE-SERVICES',
        want: ['-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT'],
      },
      {
        name: 'TestOverallIPTablesRules: a KUBE-SEP chain masquerades hairpin traffic, then DNATs to the endpoint',
        table: 'nat' as const,
        chain: 'KUBE-SEP-SXIVWICOYRO3J4NJ',
        want: [
          '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
          '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
        ],
      },
      {
        name: 'TestOverallIPTablesRules: with ClientIP the KUBE-SEP chain records the client with recent --set',
        table: 'nat' as const,
        chain: 'KUBE-SEP-I77PXRDZVX7PMWMN',
        want: [
          '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ',
          '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
        ],
      },
    ],
    (tc) => {
      const got = goInternal().lines(tc.table, tc.chain)
      expect(got, `${tc.table} ${tc.chain}:\n${listDiff(tc.want, got)}`).toEqual(tc.want)
    },
  )

  test('with --masquerade-all every connection to the cluster IP is masqueraded: the rule has no "! -s <cluster CIDR>"', () => {
    const { services, slices } = goOverallServices()
    const got = internalRules(services, slices, { ...GO_TEST_NODE, masqueradeAll: true }).lines('nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')[0]
    expect(got).toBe('-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ')
  })

  // The snackbar Services on kind-worker, rule by rule (KUBE-SVC/KUBE-SVL hold only their first rule here).
  const svcChain = (name: string) => servicePortPolicyClusterChain(`snackbar/${name}:http`, 'tcp')
  const svlChain = (name: string) => `KUBE-SVL-${svcChain(name).slice('KUBE-SVC-'.length)}`
  const sep = (name: string, endpoint: string) => servicePortEndpointChainName(`snackbar/${name}:http`, 'tcp', endpoint)
  /** The lines of `table chain` whose comment names this service port. */
  const linesOf = (rs: Ruleset, table: 'nat' | 'filter', chain: string, svcPort: string) =>
    rs.lines(table, chain).filter((l) => l.includes(`"${svcPort} `) || l.includes(`--comment ${svcPort} `))
  /** Every KUBE-SEP chain of a service port, all its lines. */
  const sepLines = (rs: Ruleset, svcPort: string) =>
    rs.chains('nat').filter((c) => c.startsWith('KUBE-SEP-') && rs.rules('nat', c)[0]?.comment === svcPort).flatMap((c) => rs.lines('nat', c))
  const onWorker = () => internalRules(SNACKBAR_SERVICES, SNACKBAR_SLICES)
  table(
    [
      {
        name: 'order (two Ready pods): nat KUBE-SERVICES jumps to its KUBE-SVC chain for 10.96.0.20:80 over TCP',
        got: (rs: Ruleset) => linesOf(rs, 'nat', 'KUBE-SERVICES', 'snackbar/order:http'),
        want: [`-A KUBE-SERVICES -m comment --comment "snackbar/order:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 80 -j ${svcChain('order')}`],
      },
      {
        name: 'order: the first rule of its KUBE-SVC chain masquerades what does not come from a pod, "! -s 10.244.0.0/16"',
        got: (rs: Ruleset) => rs.lines('nat', svcChain('order')),
        want: [`-A ${svcChain('order')} -m comment --comment "snackbar/order:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`],
      },
      {
        name: 'order: each Ready pod gets a KUBE-SEP chain that masquerades the pod itself, then DNATs to the pod IP and targetPort; the not-Ready one gets none',
        got: (rs: Ruleset) => sepLines(rs, 'snackbar/order:http'),
        want: [
          `-A ${sep('order', '10.244.1.5:8080')} -m comment --comment snackbar/order:http -s 10.244.1.5 -j KUBE-MARK-MASQ`,
          `-A ${sep('order', '10.244.1.5:8080')} -m comment --comment snackbar/order:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080`,
          `-A ${sep('order', '10.244.2.7:8080')} -m comment --comment snackbar/order:http -s 10.244.2.7 -j KUBE-MARK-MASQ`,
          `-A ${sep('order', '10.244.2.7:8080')} -m comment --comment snackbar/order:http -m tcp -p tcp -j DNAT --to-destination 10.244.2.7:8080`,
        ],
      },
      {
        name: 'menu (its only pod not Ready) and ghost (no EndpointSlice): filter KUBE-SERVICES REJECTs, "has no endpoints", and nat has nothing for them',
        got: (rs: Ruleset) => [
          ...linesOf(rs, 'filter', 'KUBE-SERVICES', 'snackbar/menu:http'),
          ...linesOf(rs, 'filter', 'KUBE-SERVICES', 'snackbar/ghost:http'),
          ...linesOf(rs, 'nat', 'KUBE-SERVICES', 'snackbar/menu:http'),
          ...linesOf(rs, 'nat', 'KUBE-SERVICES', 'snackbar/ghost:http'),
        ],
        want: [
          '-A KUBE-SERVICES -m comment --comment "snackbar/menu:http has no endpoints" -m tcp -p tcp -d 10.96.0.21 --dport 80 -j REJECT',
          '-A KUBE-SERVICES -m comment --comment "snackbar/ghost:http has no endpoints" -m tcp -p tcp -d 10.96.0.25 --dport 80 -j REJECT',
        ],
      },
      {
        name: 'menu, ghost (no EndpointSlice) and billing (Local, no pod here): no KUBE-SEP chain at all — only reachable endpoints get one',
        got: (rs: Ruleset) => ['menu', 'ghost', 'billing'].flatMap((name) => sepLines(rs, `snackbar/${name}:http`)),
        want: [],
      },
      {
        name: 'billing (internalTrafficPolicy Local, its pod on kind-worker2): filter KUBE-SERVICES DROPs, "has no local endpoints"',
        got: (rs: Ruleset) => [...linesOf(rs, 'filter', 'KUBE-SERVICES', 'snackbar/billing:http'), ...linesOf(rs, 'nat', 'KUBE-SERVICES', 'snackbar/billing:http')],
        want: ['-A KUBE-SERVICES -m comment --comment "snackbar/billing:http has no local endpoints" -m tcp -p tcp -d 10.96.0.23 --dport 80 -j DROP'],
      },
      {
        name: 'kitchen (internalTrafficPolicy Local, a pod on kind-worker): nat KUBE-SERVICES jumps to KUBE-SVL, which masquerades first',
        got: (rs: Ruleset) => [...linesOf(rs, 'nat', 'KUBE-SERVICES', 'snackbar/kitchen:http'), ...rs.lines('nat', svlChain('kitchen'))],
        want: [
          `-A KUBE-SERVICES -m comment --comment "snackbar/kitchen:http cluster IP" -m tcp -p tcp -d 10.96.0.22 --dport 80 -j ${svlChain('kitchen')}`,
          `-A ${svlChain('kitchen')} -m comment --comment "snackbar/kitchen:http cluster IP" -m tcp -p tcp -d 10.96.0.22 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`,
        ],
      },
      {
        name: 'cashier (all pods terminating): KUBE-SEP chains DNAT to the two still serving, none to the one that is not',
        got: (rs: Ruleset) => sepLines(rs, 'snackbar/cashier:http').filter((l) => l.includes('DNAT')),
        want: [
          `-A ${sep('cashier', '10.244.1.11:8080')} -m comment --comment snackbar/cashier:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.11:8080`,
          `-A ${sep('cashier', '10.244.2.11:8080')} -m comment --comment snackbar/cashier:http -m tcp -p tcp -j DNAT --to-destination 10.244.2.11:8080`,
        ],
      },
      {
        name: 'kube-dns: one KUBE-SERVICES rule per port — UDP 53, TCP 53 and TCP 9153 are three different matches',
        got: (rs: Ruleset) => rs.lines('nat', 'KUBE-SERVICES').filter((l) => l.includes('kube-system/kube-dns')),
        want: (
          [
            ['dns', 'udp', 53],
            ['dns-tcp', 'tcp', 53],
            ['metrics', 'tcp', 9153],
          ] as const
        ).map(
          ([port, proto, n]) =>
            `-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:${port} cluster IP" -m ${proto} -p ${proto} -d 10.96.0.10 --dport ${n} -j ${servicePortPolicyClusterChain(`kube-system/kube-dns:${port}`, proto)}`,
        ),
      },
    ],
    (tc) => {
      const got = tc.got(onWorker())
      expect([...got].sort(), `kube-proxy's rules on kind-worker:\n${listDiff([...tc.want].sort(), [...got].sort())}`).toEqual([...tc.want].sort())
    },
  )

  table(
    [
      { name: 'a connection to menu meets REJECT in KUBE-SERVICES before any DNAT', flow: { sourceIP: '10.244.1.20', destIP: '10.96.0.21', destPort: 80 }, output: 'REJECT' },
      { name: 'a connection to billing from kind-worker meets DROP: the client times out', flow: { sourceIP: '10.244.1.20', destIP: '10.96.0.23', destPort: 80 }, output: 'DROP' },
      { name: 'a connection to a port order does not declare meets no rule at all', flow: { sourceIP: '10.244.1.20', destIP: '10.96.0.20', destPort: 8080 }, output: '' },
      { name: 'UDP to the TCP port of order meets no rule at all', flow: { sourceIP: '10.244.1.20', destIP: '10.96.0.20', destPort: 80, protocol: 'UDP' as const }, output: '' },
    ],
    (tc) => {
      const got = tracePacket(onWorker(), tc.flow, KIND_WORKER.nodeIPs)
      expect(got.output, flowMessage(tc.flow, got, { output: tc.output, masq: false }, { node: 'kind-worker' })).toBe(tc.output)
    },
  )
})

// ---------------------------------------------------------------------------
task('packet-flow', () => {
  const proxiers = new Map<string, Proxier>()
  const on = (node: 'kind-worker' | 'kind-worker2') => {
    if (!proxiers.has(node)) proxiers.set(node, proxierFor(SNACKBAR_SERVICES, SNACKBAR_SLICES, node === 'kind-worker' ? KIND_WORKER : KIND_WORKER2))
    return proxiers.get(node)!
  }
  table(CLUSTER_IP_FLOWS, (tc) => {
    const node = tc.node ?? 'kind-worker'
    const got = on(node).trace(tc)
    expect({ output: got.output, masq: got.masq }, flowMessage(tc, got, tc, { node, ...(tc.why ? { why: tc.why } : {}) })).toEqual({ output: tc.output, masq: tc.masq })
  })

  test('100 connections to order never reach the not-Ready pod, and each single connection goes to one pod', () => {
    const p = proxierFor(SNACKBAR_SERVICES, SNACKBAR_SLICES)
    const counts = new Map<string, number>()
    for (let i = 0; i < 100; i++) {
      const v = p.route({ sourceIP: `10.244.1.${20 + (i % 50)}`, destIP: '10.96.0.20', destPort: 80 }, i)
      counts.set(v.output, (counts.get(v.output) ?? 0) + 1)
    }
    expect([...counts.keys()].sort(), `destinations of 100 connections to snackbar/order: ${JSON.stringify(Object.fromEntries(counts))}`).toEqual(['10.244.1.5:8080', '10.244.2.7:8080'])
  })

  test('pods → EndpointSlices (kata 03) → rules: a pod that is not Ready or is gone never receives traffic', () => {
    const order = svc({ name: 'order', clusterIP: '10.96.0.20', selector: { app: 'order' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] })
    const pods = [
      pod({ name: 'order-a', labels: { app: 'order' }, ip: '10.244.1.5', node: 'kind-worker' }),
      pod({ name: 'order-b', labels: { app: 'order' }, ip: '10.244.2.7', node: 'kind-worker2', ready: false }),
      pod({ name: 'order-c', labels: { app: 'order' }, ip: '10.244.2.9', node: 'kind-worker2', phase: 'Succeeded' }),
    ]
    const slices = syncService(order, pods) ?? []
    const got = proxierFor([order], slices).trace({ sourceIP: '10.244.1.20', destIP: '10.96.0.20', destPort: 80 })
    expect(got.output, flowMessage({ sourceIP: '10.244.1.20', destIP: '10.96.0.20', destPort: 80 }, got, { output: '10.244.1.5:8080', masq: false })).toBe('10.244.1.5:8080')
  })

  test('deleting the last Ready pod turns routing into REJECT on the next sync', () => {
    const p = proxierFor(SNACKBAR_SERVICES, SNACKBAR_SLICES)
    const flow = { sourceIP: '10.244.1.20', destIP: '10.96.0.20', destPort: 80 }
    p.sync(SNACKBAR_SERVICES, [endpointSlice('snackbar', 'order', [{ ip: '10.244.2.8', node: 'kind-worker2', ready: false }], HTTP)])
    const got = p.trace(flow)
    expect(got.output, flowMessage(flow, got, { output: 'REJECT', masq: false }, { why: 'Service snackbar/order has no ready endpoints' })).toBe('REJECT')
  })

  test('routing only ever picks a usable endpoint, or REJECTs/DROPs exactly when kube-proxy does (property)', () => {
    const arbEP = fc.record({
      host: fc.integer({ min: 2, max: 60 }),
      local: fc.boolean(),
      ready: fc.boolean(),
      serving: fc.boolean(),
      terminating: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.uniqueArray(arbEP, { selector: (e) => e.host, maxLength: 6 }), fc.boolean(), fc.integer({ min: 1, max: 99 }), (eps, iTPLocal, seed) => {
        const endpoints: EP[] = eps.map((e) => ({
          ip: `10.244.${e.local ? 1 : 2}.${e.host}`,
          node: e.local ? 'kind-worker' : 'kind-worker2',
          ready: e.ready && !e.terminating,
          serving: e.ready || e.serving,
          terminating: e.terminating,
        }))
        const s = svc({ name: 'order', clusterIP: '10.96.0.20', internalTrafficPolicy: iTPLocal ? 'Local' : 'Cluster', ports: [{ name: 'http', port: 80, targetPort: 8080 }] })
        const p = proxierFor([s], [endpointSlice('snackbar', 'order', endpoints, HTTP)], { ...KIND_WORKER, seed })
        // Independent oracle: ready first, serving-terminating as a fallback, per policy.
        const usable = (set: EP[]) => {
          const ready = set.filter((e) => e.ready)
          return (ready.length ? ready : set.filter((e) => e.serving && e.terminating)).map((e) => `${e.ip}:8080`)
        }
        const anywhere = usable(endpoints)
        const allowed = iTPLocal ? usable(endpoints.filter((e) => e.node === 'kind-worker')) : anywhere
        const flow = { sourceIP: '10.244.1.200', destIP: '10.96.0.20', destPort: 80 }
        for (let i = 0; i < 4; i++) {
          const got = p.route(flow, i)
          const want = anywhere.length === 0 ? ['REJECT'] : allowed.length === 0 ? ['DROP'] : allowed
          expect(want.includes(got.output), `${flowMessage(flow, got, { output: want.join(', '), masq: false })}\nendpoints: ${JSON.stringify(endpoints)}`).toBe(true)
        }
      }),
      { seed: 6060, numRuns: 100 },
    )
  })

  const goRules = () => {
    const { services, slices } = goOverallServices()
    return proxierFor(services, slices, GO_TEST_NODE).rules
  }
  table(
    [
      {
        name: 'TestOverallIPTablesRules: KUBE-SVC of svc4 masquerades non-pod sources, then splits 0.5 / rest',
        table: 'nat' as const,
        chain: 'KUBE-SVC-4SW47YFZTEDKD3PK',
        want: [
          '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
          '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
          '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
        ],
      },
      {
        name: 'TestOverallIPTablesRules: ClientIP affinity puts a recent --rcheck rule before the balancing rules of svc5',
        table: 'nat' as const,
        chain: 'KUBE-SVC-NUKIZ6OKUXPJNT4C',
        want: [
          '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
          '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN',
          '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN',
        ],
      },
    ],
    (tc) => {
      const got = goRules().lines(tc.table, tc.chain)
      expect(got, `${tc.table} ${tc.chain}:\n${listDiff(tc.want, got)}`).toEqual(tc.want)
    },
  )

  test('internalTrafficPolicy Local writes the endpoints into KUBE-SVL (this node only) and drops when this node has none', () => {
    const kitchen = svc({ name: 'kitchen', clusterIP: '10.96.0.22', internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80 }] })
    const slices = [endpointSlice('snackbar', 'kitchen', [{ ip: '10.244.1.9', node: 'kind-worker' }, { ip: '10.244.2.9', node: 'kind-worker2' }], [{ name: 'http', port: 80 }])]
    const onWorker = proxierFor([kitchen], slices).rules
    const svl = 'KUBE-SVL-' + servicePortPolicyClusterChain('snackbar/kitchen:http', 'tcp').slice('KUBE-SVC-'.length)
    expect(onWorker.lines('nat', svl), `${svl} on kind-worker`).toEqual([
      `-A ${svl} -m comment --comment "snackbar/kitchen:http cluster IP" -m tcp -p tcp -d 10.96.0.22 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`,
      `-A ${svl} -m comment --comment "snackbar/kitchen:http -> 10.244.1.9:80" -j ${servicePortEndpointChainName('snackbar/kitchen:http', 'tcp', '10.244.1.9:80')}`,
    ])
    const lonely = [endpointSlice('snackbar', 'kitchen', [{ ip: '10.244.2.9', node: 'kind-worker2' }], [{ name: 'http', port: 80 }])]
    expect(proxierFor([kitchen], lonely).rules.lines('filter', 'KUBE-SERVICES'), 'filter KUBE-SERVICES on kind-worker, no local pod').toEqual([
      '-A KUBE-SERVICES -m comment --comment "snackbar/kitchen:http has no local endpoints" -m tcp -p tcp -d 10.96.0.22 --dport 80 -j DROP',
    ])
  })

  // Balancing and ClientIP affinity, connection by connection.
  const THREE: EP[] = [
    { ip: '10.244.1.5', node: 'kind-worker' },
    { ip: '10.244.2.7', node: 'kind-worker2' },
    { ip: '10.244.2.8', node: 'kind-worker2' },
  ]
  const cart = (affinity: boolean) =>
    svc({
      name: 'cart',
      clusterIP: '10.96.0.30',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      ...(affinity ? { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } } : {}),
    })
  const cartSlices = (eps: EP[] = THREE) => [endpointSlice('snackbar', 'cart', eps, HTTP)]
  const to = (client: string) => ({ sourceIP: client, destIP: '10.96.0.30', destPort: 80 })
  const destinations = (p: Proxier, client: string, times: number[]) => times.map((t) => p.route(to(client), t).output)

  test('without affinity 300 connections from one client spread over all three pods, about 1/3 each', () => {
    const p = proxierFor([cart(false)], cartSlices())
    const counts = new Map<string, number>()
    for (const d of destinations(p, '10.244.1.20', Array.from({ length: 300 }, (_, i) => i))) counts.set(d, (counts.get(d) ?? 0) + 1)
    const shares = JSON.stringify(Object.fromEntries(counts))
    expect(counts.size, `destinations of 300 connections: ${shares}`).toBe(3)
    for (const [d, n] of counts) expect(n >= 60 && n <= 140, `${d} got ${n} of 300 connections (${shares}); 1/(n−i) probabilities give each pod 1/3`).toBe(true)
  })

  test('ClientIP: every new connection of a client within timeoutSeconds goes to the same pod', () => {
    const p = proxierFor([cart(true)], cartSlices())
    const got = destinations(p, '10.244.1.20', [0, 1, 2, 5, 10, 30, 59])
    expect(new Set(got).size, `connections of 10.244.1.20 at t=0…59 s went to: ${got.join(', ')}`).toBe(1)
  })

  test('ClientIP: different clients are balanced independently (ten clients do not all share one pod)', () => {
    const p = proxierFor([cart(true)], cartSlices())
    const firsts = Array.from({ length: 10 }, (_, i) => p.route(to(`10.244.1.${30 + i}`), 0).output)
    expect(new Set(firsts).size > 1, `first pods of ten clients: ${firsts.join(', ')}`).toBe(true)
  })

  test('ClientIP: the timeout counts from the last new connection — connecting every 50 s stays on one pod for 10 minutes', () => {
    const p = proxierFor([cart(true)], cartSlices())
    const got = destinations(p, '10.244.1.20', Array.from({ length: 13 }, (_, i) => i * 50))
    expect(new Set(got).size, `connections every 50 s (timeoutSeconds 60) went to: ${got.join(', ')}`).toBe(1)
  })

  test('ClientIP: after more than timeoutSeconds of silence each new connection is balanced afresh', () => {
    const p = proxierFor([cart(true)], cartSlices())
    const got = destinations(p, '10.244.1.20', Array.from({ length: 30 }, (_, i) => i * 61))
    expect(new Set(got).size > 1, `connections 61 s apart (timeoutSeconds 60) all went to ${got[0]}; the recent entry should have expired`).toBe(true)
  })

  test("ClientIP: when a client's pod disappears from the endpoints, the client is balanced to a pod that still exists", () => {
    const p = proxierFor([cart(true)], cartSlices())
    const first = p.route(to('10.244.1.20'), 0).output
    const rest = THREE.filter((e) => `${e.ip}:8080` !== first)
    p.sync([cart(true)], cartSlices(rest))
    const next = p.route(to('10.244.1.20'), 5).output
    expect(rest.map((e) => `${e.ip}:8080`), `after ${first} was removed the client went to ${next}`).toContain(next)
  })

  test('ipvs mode: new connections go round robin through the endpoints, in order', () => {
    const p = proxierFor([cart(false)], cartSlices(), { ...KIND_WORKER, mode: 'ipvs' })
    const got = destinations(p, '10.244.1.20', [0, 1, 2, 3, 4, 5])
    expect(got, 'six connections with the rr scheduler').toEqual([
      '10.244.1.5:8080',
      '10.244.2.7:8080',
      '10.244.2.8:8080',
      '10.244.1.5:8080',
      '10.244.2.7:8080',
      '10.244.2.8:8080',
    ])
  })

  test('iptables mode chooses at random, not round robin: twelve connections do not just cycle through the three pods', () => {
    const got = destinations(proxierFor([cart(false)], cartSlices()), '10.244.1.20', Array.from({ length: 12 }, (_, i) => i))
    const cycle = Array.from({ length: 12 }, (_, i) => got[i % 3])
    expect(got, 'twelve connections through the statistic rules (--mode random)').not.toEqual(cycle)
  })

  test('the seed reaches the random choice: seed 11 and seed 12 pick different sequences of pods', () => {
    const run = (seed: number) => destinations(proxierFor([cart(false)], cartSlices(), { ...KIND_WORKER, seed }), '10.244.1.20', Array.from({ length: 12 }, (_, i) => i))
    expect(run(11), 'twelve connections with seed 11, and with seed 12').not.toEqual(run(12))
  })

  test('the choice is per connection, and reproducible: the same seed gives the same sequence', () => {
    const run = () => destinations(proxierFor([cart(false)], cartSlices(), { ...KIND_WORKER, seed: 11 }), '10.244.1.20', [0, 1, 2, 3, 4, 5, 6, 7])
    expect(run(), 'two proxiers with seed 11').toEqual(run())
  })
})

// ---------------------------------------------------------------------------
// The deep track: the given parts of the allocator, the registry and kube-proxy.

task('ip-range', () => {
  table(
    [
      { name: 'a /32 has no dynamic band offset (0)', cidr: '192.168.1.1/32', want: 0 },
      { name: 'a /128 has no dynamic band offset (0)', cidr: 'fd00::1/128', want: 0 },
      { name: 'a /30 (4 addresses) keeps no static band', cidr: '192.168.1.1/30', want: 0 },
      { name: 'a /28 (16 addresses) keeps no static band', cidr: '192.168.1.1/28', want: 0 },
      { name: 'an IPv6 /124 (16 addresses) keeps no static band', cidr: 'fd00::1/124', want: 0 },
      { name: 'a /27 keeps the minimum static band of 16', cidr: '192.168.1.1/27', want: 16 },
      { name: 'an IPv6 /122 keeps the minimum static band of 16', cidr: 'fd00::1/122', want: 16 },
      { name: 'a /24 keeps 16 (10.0.0.1–10.0.0.16 static)', cidr: '10.0.0.0/24', want: 16 },
      { name: 'a /22 keeps size/16 = 64', cidr: '192.168.1.1/22', want: 64 },
      { name: 'an IPv6 /118 keeps size/16 = 64', cidr: 'fd00::1/118', want: 64 },
      { name: 'a /20 keeps the maximum of 256', cidr: '10.0.0.0/20', want: 256 },
      { name: "kind's 10.96.0.0/16 keeps 256 (10.96.0.1–10.96.1.0 static, with 10.96.0.1 and 10.96.0.10)", cidr: '10.96.0.0/16', want: 256 },
      { name: "kubeadm's 10.96.0.0/12 keeps 256 as well", cidr: '10.96.0.0/12', want: 256 },
      { name: 'a /8 is capped at 256', cidr: '192.168.1.1/8', want: 256 },
      { name: 'an IPv6 /12 is capped at 256', cidr: 'fd00::1/12', want: 256 },
    ],
    (tc) => {
      const got = calculateRangeOffset(tc.cidr)
      expect(got, `static band of ${tc.cidr}: min(max(16, size/16), 256), 0 when size ≤ 16; got ${got}`).toBe(tc.want)
    },
  )

  test('TestAllocate IPv4: the network, the broadcast and foreign addresses are out of range; a taken one is already allocated', () => {
    const r = newCIDRRange('192.168.1.0/24')
    for (const ip of ['192.168.0.1', '192.168.1.0', '192.168.1.255', '192.168.2.2']) {
      expect(() => r.allocate(ip), `allocate(${ip}) on 192.168.1.0/24`).toThrow(ErrNotInRange)
    }
    expect(() => r.allocate('192.168.1.255')).toThrow(
      exactly('the provided IP (192.168.1.255) is not in the valid range. The range of valid IPs is 192.168.1.0/24'),
    )
    r.allocate('192.168.1.1')
    expect(r.has('192.168.1.1'), 'has(192.168.1.1) after allocate').toBe(true)
    expect(() => r.allocate('192.168.1.1'), 'allocating 192.168.1.1 twice').toThrow(ErrAllocated)
    expect(() => r.allocate('192.168.1.1')).toThrow(exactly('provided IP is already allocated'))
    const err = (() => {
      try {
        r.allocate('10.0.0.1')
      } catch (e) {
        return e
      }
    })() as ErrNotInRange
    expect([err.ip, err.validRange], 'ErrNotInRange carries the IP and the range').toEqual(['10.0.0.1', '192.168.1.0/24'])
  })

  test('TestAllocate IPv6: 2001:db8:1::/48 is capped at 65535 addresses; only the subnet-zero address is excluded', () => {
    const r = newCIDRRange('2001:db8:1::/48')
    expect([r.family, r.free()], '[family, free] of 2001:db8:1::/48').toEqual(['IPv6', 65535])
    for (const ip of ['2001:db8::1', '2001:db8:1::', '2001:db8:1::1:0', '2001:db8:2::2']) {
      expect(() => r.allocate(ip), `allocate(${ip}) on 2001:db8:1::/48`).toThrow(ErrNotInRange)
    }
    r.allocate('2001:db8:1::ffff')
    r.allocate('2001:db8:1::1')
    expect(() => r.allocate('2001:db8:1::1'), 'allocating 2001:db8:1::1 twice').toThrow(ErrAllocated)
    expect(r.used()).toBe(2)
  })

  test('release of a free or foreign address is a no-op', () => {
    const r = newCIDRRange('10.0.0.0/24')
    r.allocate('10.0.0.5')
    r.release('10.0.0.6')
    r.release('172.16.0.1')
    expect([r.used(), r.has('10.0.0.5')], '[used, has(10.0.0.5)]').toEqual([1, true])
  })

  test('an IPv6 /120 holds 255 addresses: below the 65536 cap nothing but the subnet-zero address is excluded, fd00::ff included', () => {
    const r = newCIDRRange('fd00::/120')
    expect([r.family, r.free()], '[family, free] of fd00::/120').toEqual(['IPv6', 255])
    r.allocate('fd00::ff')
    expect(() => r.allocate('fd00::100'), 'allocate(fd00::100), just past fd00::/120').toThrow(ErrNotInRange)
    expect([r.used(), r.free()], '[used, free] after allocating fd00::ff').toEqual([1, 254])
  })

  test('a range that is not a CIDR is refused as net.ParseCIDR does: invalid CIDR address: 10.96.0.0/33', () => {
    expect(() => newCIDRRange('10.96.0.0/33')).toThrow(exactly('invalid CIDR address: 10.96.0.0/33'))
  })

  test('what is not an IP address is not in the range (Go: Allocate(nil) is ErrNotInRange): has is false, release does nothing', () => {
    const r = newCIDRRange('10.96.0.0/24')
    r.allocate('10.96.0.5')
    expect(() => r.allocate('10.96.0.300'), 'allocate(10.96.0.300) on 10.96.0.0/24').toThrow(ErrNotInRange)
    expect(r.has('10.96.0.300'), 'has(10.96.0.300)').toBe(false)
    r.release('10.96.0.300')
    expect([r.used(), r.free()], '[used, free] after releasing 10.96.0.300').toEqual([1, 253])
  })

  table(
    [
      { name: 'ForEach of a fresh range calls nothing', taken: [] as string[], released: [] as string[], want: [] as string[] },
      {
        name: 'ForEach lists every taken address once, lowest first, whatever order they were taken in',
        taken: ['10.96.0.200', '10.96.0.5', '10.96.0.254', '10.96.0.1', '10.96.0.17'],
        released: [],
        want: ['10.96.0.1', '10.96.0.5', '10.96.0.17', '10.96.0.200', '10.96.0.254'],
      },
      { name: 'ForEach leaves out a released address', taken: ['10.96.0.10', '10.96.0.20'], released: ['10.96.0.10'], want: ['10.96.0.20'] },
    ],
    (tc) => {
      const r = newCIDRRange('10.96.0.0/24')
      for (const ip of tc.taken) r.allocate(ip)
      for (const ip of tc.released) r.release(ip)
      const got: string[] = []
      r.forEach((ip) => got.push(ip))
      expect(got, `ForEach over 10.96.0.0/24 after taking [${tc.taken.join(', ')}] and releasing [${tc.released.join(', ')}]`).toEqual(tc.want)
    },
  )

  test("the allocator's errors carry the names of Go's: ErrFull, ErrAllocated, ErrNotInRange", () => {
    const full = newCIDRRange('10.96.0.0/32')
    const thrown = (fn: () => unknown): unknown => {
      try {
        fn()
      } catch (e) {
        return e
      }
      return undefined
    }
    const r = newCIDRRange('10.96.0.0/24')
    r.allocate('10.96.0.10')
    const got = [thrown(() => full.allocateNext()), thrown(() => r.allocate('10.96.0.10')), thrown(() => r.allocate('10.96.1.1'))].map(String)
    expect(got, 'the errors as printed').toEqual([
      'ErrFull: range is full',
      'ErrAllocated: provided IP is already allocated',
      'ErrNotInRange: the provided IP (10.96.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/24',
    ])
  })
})

task('service-cluster-ips', () => {
  const order = (spec: Partial<NonNullable<Service['spec']>> = {}): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'order', namespace: 'snackbar' },
    spec: { type: 'ClusterIP', selector: { app: 'order' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], ...spec },
  })
  const kubeDNS: Service = {
    metadata: { name: 'kube-dns', namespace: 'kube-system' },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
  }


  test('the kubernetes Service of default gets the first address of the range: 10.96.0.1', () => {
    const range = newCIDRRange('10.96.0.0/16')
    expect(firstServiceIP(range), 'first service IP of 10.96.0.0/16').toBe('10.96.0.1')
    const k: Service = { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } }
    const got = allocateServiceClusterIPs(k, range).spec!
    expect([got.clusterIP, got.clusterIPs], 'default/kubernetes').toEqual(['10.96.0.1', ['10.96.0.1']])
    expect(firstServiceIP(newCIDRRange('10.0.0.0/24')), "the apiserver's own default range 10.0.0.0/24").toBe('10.0.0.1')
  })

  // No registry code special-cases default/kubernetes beyond it asking for nothing: a look-alike
  // name or namespace is an ordinary Service, and an address asked for is the one reserved.
  table(
    [
      { name: 'a Service named kubernetes outside default is an ordinary Service: a dynamic address, not 10.96.0.1', meta: { name: 'kubernetes', namespace: 'snackbar' }, spec: {}, want: undefined },
      { name: 'another Service of default is an ordinary Service: a dynamic address, not 10.96.0.1', meta: { name: 'order', namespace: 'default' }, spec: {}, want: undefined },
      { name: 'default/kubernetes asking for 10.96.0.2 gets 10.96.0.2: only when it asks for nothing is it given the first address', meta: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.2' }, want: '10.96.0.2' },
    ],
    (tc) => {
      const range = newCIDRRange('10.96.0.0/16')
      const svc: Service = { metadata: tc.meta, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443 }], ...tc.spec } }
      const got = allocateServiceClusterIPs(svc, range).spec!
      const who = `${tc.meta.namespace}/${tc.meta.name}`
      if (tc.want) expect([got.clusterIP, got.clusterIPs], `${who} asking for ${tc.want}`).toEqual([tc.want, [tc.want]])
      else expect(got.clusterIP === '10.96.0.1' || range.has('10.96.0.1'), `${who} was given ${got.clusterIP}; 10.96.0.1 is kept for the API server's own default/kubernetes`).toBe(false)
      expect(range.used(), 'one address reserved').toBe(1)
    },
  )

  test('a requested clusterIP is copied into clusterIPs and reserved: kube-dns gets 10.96.0.10', () => {
    const range = newCIDRRange('10.96.0.0/16')
    const got = allocateServiceClusterIPs(kubeDNS, range).spec!
    expect([got.clusterIP, got.clusterIPs, range.has('10.96.0.10')], '[clusterIP, clusterIPs, reserved]').toEqual(['10.96.0.10', ['10.96.0.10'], true])
  })

  test('asking for a taken address: The Service "order" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated', () => {
    const range = newCIDRRange('10.96.0.0/16')
    allocateServiceClusterIPs(kubeDNS, range)
    const err = statusOf(() => allocateServiceClusterIPs(order({ clusterIP: '10.96.0.10' }), range))
    expect([err.code, err.reason], '[code, reason]').toEqual([422, 'Invalid'])
    expect(err.message).toBe('Service "order" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated')
    expect(err.kubectl(), 'what kubectl apply prints').toBe(
      'The Service "order" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    )
  })

  table(
    [
      {
        name: 'asking for 1.1.1.1 on 10.96.0.0/16 is refused: the provided IP (1.1.1.1) is not in the valid range',
        ip: '1.1.1.1',
        want: 'Service "order" is invalid: spec.clusterIPs: Invalid value: ["1.1.1.1"]: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
      },
      {
        name: 'asking for the network address 10.96.0.0 is refused as out of range',
        ip: '10.96.0.0',
        want: 'Service "order" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.0"]: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
      },
      {
        name: 'asking for the broadcast address 10.96.255.255 is refused as out of range',
        ip: '10.96.255.255',
        want: 'Service "order" is invalid: spec.clusterIPs: Invalid value: ["10.96.255.255"]: failed to allocate IP 10.96.255.255: the provided IP (10.96.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
      },
      {
        name: "asking for 10.100.0.5, inside kubeadm's /12 but outside kind's /16, is refused as out of range",
        ip: '10.100.0.5',
        want: 'Service "order" is invalid: spec.clusterIPs: Invalid value: ["10.100.0.5"]: failed to allocate IP 10.100.0.5: the provided IP (10.100.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
      },
    ],
    (tc) => {
      const range = newCIDRRange('10.96.0.0/16')
      const err = statusOf(() => allocateServiceClusterIPs(order({ clusterIP: tc.ip }), range))
      expect(err.message, `Service order asking for clusterIP ${tc.ip}`).toBe(tc.want)
      expect(range.used(), 'nothing was reserved').toBe(0)
    },
  )


  test('a headless Service (clusterIP: None) gets no address, SingleStack IPv4', () => {
    const range = newCIDRRange('10.96.0.0/16')
    const got = allocateServiceClusterIPs(order({ clusterIP: 'None' }), range).spec!
    expect([got.clusterIP, got.clusterIPs, got.ipFamilyPolicy, got.ipFamilies], 'headless order').toEqual(['None', ['None'], 'SingleStack', ['IPv4']])
    expect(range.used(), 'nothing reserved for a headless Service').toBe(0)
  })

  test('a headless Service without selector defaults to RequireDualStack with both families listed', () => {
    const range = newCIDRRange('10.96.0.0/16')
    const got = allocateServiceClusterIPs(order({ clusterIP: 'None', selector: undefined }), range).spec!
    expect([got.ipFamilyPolicy, got.ipFamilies], 'headless, selector-less').toEqual(['RequireDualStack', ['IPv4', 'IPv6']])
  })

  // initIPFamilyFields (storage/alloc.go): headless and selector-less Services may list any
  // family, and get the other one appended unless SingleStack; every other Service only the
  // cluster's own.
  table(
    [
      {
        name: 'headless, selector-less, ipFamilies [IPv6] on an IPv4 cluster: allowed, RequireDualStack, IPv4 appended as second family',
        spec: { clusterIP: 'None', selector: undefined, ipFamilies: ['IPv6'] },
        want: ['RequireDualStack', ['IPv6', 'IPv4']],
      },
      {
        name: 'headless, selector-less, ipFamilyPolicy SingleStack: only the cluster family, nothing appended',
        spec: { clusterIP: 'None', selector: undefined, ipFamilyPolicy: 'SingleStack' },
        want: ['SingleStack', ['IPv4']],
      },
      {
        name: 'headless, selector-less, ipFamilies [IPv4, IPv6] given: kept as they are, no third family',
        spec: { clusterIP: 'None', selector: undefined, ipFamilies: ['IPv4', 'IPv6'] },
        want: ['RequireDualStack', ['IPv4', 'IPv6']],
      },
      {
        name: 'headless with a selector, PreferDualStack on a single-stack cluster: only the cluster family (only selector-less ones get both)',
        spec: { clusterIP: 'None', ipFamilyPolicy: 'PreferDualStack' },
        want: ['PreferDualStack', ['IPv4']],
      },
    ] satisfies { name: string; spec: Partial<NonNullable<Service['spec']>>; want: [string, string[]] }[],
    (tc) => {
      const range = newCIDRRange('10.96.0.0/16')
      const got = allocateServiceClusterIPs(order(tc.spec), range).spec!
      expect([got.ipFamilyPolicy, got.ipFamilies], `[ipFamilyPolicy, ipFamilies] of order with ${JSON.stringify(tc.spec)} on 10.96.0.0/16`).toEqual(tc.want)
      expect([got.clusterIP, range.used()], '[clusterIP, addresses reserved]').toEqual(['None', 0])
    },
  )

  test('an ExternalName Service gets no cluster IP and no IP families', () => {
    const range = newCIDRRange('10.96.0.0/16')
    const got = allocateServiceClusterIPs({ metadata: { name: 'payments', namespace: 'snackbar' }, spec: { type: 'ExternalName', externalName: 'pay.example.com' } }, range).spec!
    expect([got.clusterIP, got.clusterIPs, got.ipFamilies], 'ExternalName payments').toEqual([undefined, undefined, undefined])
    expect(range.used()).toBe(0)
  })

  test('asking for IPv6 on an IPv4-only cluster: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster', () => {
    const err = statusOf(() => allocateServiceClusterIPs(order({ ipFamilies: ['IPv6'] }), newCIDRRange('10.96.0.0/16')))
    expect(err.message).toBe('Service "order" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster')
  })

  // initIPFamilyFields of storage/alloc.go: a requested address whose family is not listed
  // is refused on spec.clusterIPs[i], with the whole list as value; a listed family on spec.ipFamilies[i].
  table(
    [
      {
        name: 'asking for clusterIP fd00::5 on an IPv4-only cluster: spec.clusterIPs[0]: Invalid value: ["fd00::5"]: IPv6 is not configured on this cluster',
        spec: { clusterIP: 'fd00::5' },
        want: 'Service "order" is invalid: spec.clusterIPs[0]: Invalid value: ["fd00::5"]: IPv6 is not configured on this cluster',
      },
      {
        name: 'asking for clusterIPs [fd00::5] alone on an IPv4-only cluster is refused the same way, on spec.clusterIPs[0]',
        spec: { clusterIPs: ['fd00::5'] },
        want: 'Service "order" is invalid: spec.clusterIPs[0]: Invalid value: ["fd00::5"]: IPv6 is not configured on this cluster',
      },
      {
        name: 'asking for fd00::5 with ipFamilies [IPv6] on an IPv4-only cluster is refused on spec.ipFamilies[0] only',
        spec: { clusterIP: 'fd00::5', ipFamilies: ['IPv6'] },
        want: 'Service "order" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
      },
      {
        name: 'asking for 10.96.0.20 with PreferDualStack and ipFamilies [IPv4, IPv6] on an IPv4-only cluster: spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster',
        spec: { clusterIP: '10.96.0.20', ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] },
        want: 'Service "order" is invalid: spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster',
      },
      {
        name: 'a headless Service with a selector may not list IPv6 on an IPv4-only cluster: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
        spec: { clusterIP: 'None', ipFamilies: ['IPv6'] },
        want: 'Service "order" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
      },
    ] satisfies { name: string; spec: Partial<NonNullable<Service['spec']>>; want: string }[],
    (tc) => {
      const range = newCIDRRange('10.96.0.0/16')
      const err = statusOf(() => allocateServiceClusterIPs(order(tc.spec), range))
      expect([err.code, err.reason, err.message], `Service order asking for ${JSON.stringify(tc.spec)} on 10.96.0.0/16`).toEqual([422, 'Invalid', tc.want])
      expect(range.used(), 'nothing was reserved').toBe(0)
    },
  )

  test('a clusterIP that is not an IP address is refused with 422 Invalid on spec.clusterIPs, and nothing is reserved', () => {
    const range = newCIDRRange('10.96.0.0/16')
    const err = statusOf(() => allocateServiceClusterIPs(order({ clusterIP: '10.96.0.300' }), range))
    expect([err.code, err.reason, err.message.startsWith('Service "order" is invalid: spec.clusterIPs')], '[code, reason, on spec.clusterIPs] for clusterIP 10.96.0.300').toEqual([422, 'Invalid', true])
    expect(range.used(), 'nothing was reserved').toBe(0)
  })

  test('deleting a Service stored with only spec.clusterIP (no clusterIPs, as before dual-stack) gives that address back', () => {
    const range = newCIDRRange('10.96.0.0/16')
    range.allocate('10.96.0.20')
    releaseServiceClusterIPs({ metadata: { name: 'order', namespace: 'snackbar' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.20' } }, range)
    expect([range.has('10.96.0.20'), range.used()], '[has(10.96.0.20), used] after deleting order').toEqual([false, 0])
  })

  test('asking for clusterIP 10.96.0.5 on an IPv6-only cluster: spec.clusterIPs[0]: Invalid value: ["10.96.0.5"]: IPv4 is not configured on this cluster', () => {
    const range = newCIDRRange('fd00:10:96::/112')
    const err = statusOf(() => allocateServiceClusterIPs(order({ clusterIP: '10.96.0.5' }), range))
    expect([err.code, err.message], 'Service order asking for 10.96.0.5 on fd00:10:96::/112').toEqual([422, 'Service "order" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.5"]: IPv4 is not configured on this cluster'])
    expect(range.used(), 'nothing was reserved').toBe(0)
  })

  test('deleting a Service gives its address back: the next Service asking for it gets it', () => {
    const range = newCIDRRange('10.96.0.0/16')
    const stored = allocateServiceClusterIPs(order({ clusterIP: '10.96.0.20' }), range)
    releaseServiceClusterIPs(stored, range)
    expect(range.has('10.96.0.20'), '10.96.0.20 after deleting order').toBe(false)
    expect(allocateServiceClusterIPs(order({ clusterIP: '10.96.0.20' }), range).spec!.clusterIP).toBe('10.96.0.20')
  })
})

// ---------------------------------------------------------------------------
// §8.4 — endpoints written `ip:port` with flags, as in topology_test.go.
const CATEGORIZE_ROWS: CategorizeRow[] = [
  {
    name: 'Cluster policy, endpoints not Ready: no cluster endpoints and hasAnyEndpoints false (REJECT)',
    svc: policy(),
    endpoints: [ep('10.0.0.0:80', { ready: false }), ep('10.0.0.1:80', { ready: false })],
    cluster: [],
    local: null,
  },
  {
    name: 'Cluster policy, some endpoints are Ready: only the Ready one is used',
    svc: policy(),
    endpoints: [ep('10.0.0.0:80', { ready: false }), ep('10.0.0.1:80')],
    cluster: ['10.0.0.1:80'],
    local: null,
  },
  {
    name: 'Cluster policy, all endpoints terminating: fall back to the serving-terminating ones',
    svc: policy(),
    endpoints: [ep('10.0.0.0:80', { ready: false, serving: true, terminating: true, local: true }), ep('10.0.0.1:80', { ready: false, serving: true, terminating: true })],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: null,
  },
  {
    name: 'Cluster policy: a terminating endpoint that is not serving is never used, even as a fallback',
    svc: policy(),
    endpoints: [ep('10.0.0.0:80', { ready: false, serving: false, terminating: true }), ep('10.0.0.1:80', { ready: false, serving: true, terminating: true })],
    cluster: ['10.0.0.1:80'],
    local: null,
  },
  {
    name: 'Cluster policy: Ready endpoints win over serving-terminating ones',
    svc: policy(),
    endpoints: [ep('10.0.0.0:80', { ready: false, serving: true, terminating: true }), ep('10.0.0.1:80')],
    cluster: ['10.0.0.1:80'],
    local: null,
  },
  {
    name: 'internalTrafficPolicy: Local, with empty endpoints: nothing anywhere',
    svc: policy({ internalPolicyLocal: true }),
    endpoints: [],
    cluster: null,
    local: null,
  },
  {
    name: 'internalTrafficPolicy: Local, but all endpoints are remote: no local endpoints (null, as Go leaves them), yet hasAnyEndpoints (DROP, not REJECT)',
    svc: policy({ internalPolicyLocal: true }),
    endpoints: [ep('10.0.0.0:80'), ep('10.0.0.1:80')],
    cluster: null,
    local: null,
    onlyRemote: true,
  },
  {
    name: 'internalTrafficPolicy: Local, all endpoints are local',
    svc: policy({ internalPolicyLocal: true }),
    endpoints: [ep('10.0.0.0:80', { local: true }), ep('10.0.0.1:80', { local: true })],
    cluster: null,
    local: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'internalTrafficPolicy: Local, some endpoints are local: only those',
    svc: policy({ internalPolicyLocal: true }),
    endpoints: [ep('10.0.0.0:80', { local: true }), ep('10.0.0.1:80')],
    cluster: null,
    local: ['10.0.0.0:80'],
  },
  {
    name: 'no cluster endpoints for an iTP Local internal-only service',
    svc: policy({ internalPolicyLocal: true }),
    endpoints: [ep('10.0.0.0:80'), ep('10.0.0.1:80', { local: true })],
    cluster: null,
    local: ['10.0.0.1:80'],
    all: ['10.0.0.1:80'],
  },
  {
    name: 'internalTrafficPolicy: Local, local endpoint only terminating: it is used (serving) while remote Ready ones are ignored',
    svc: policy({ internalPolicyLocal: true }),
    endpoints: [ep('10.0.0.0:80', { ready: false, serving: true, terminating: true, local: true }), ep('10.0.0.1:80')],
    cluster: null,
    local: ['10.0.0.0:80'],
  },
  {
    name: 'iTP: Local, eTP: Cluster, some endpoints local: cluster endpoints for the nodePort, local ones for the cluster IP',
    svc: policy({ internalPolicyLocal: true, nodePort: 30080 }),
    endpoints: [ep('10.0.0.0:80', { local: true }), ep('10.0.0.1:80')],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.0:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'hints enabled, every endpoint hinted: a zone-a node keeps only the zone-a endpoints',
    svc: policy(),
    zone: 'zone-a',
    endpoints: [ep('10.1.2.3:80', { zones: ['zone-a'] }), ep('10.1.2.4:80', { zones: ['zone-b'] }), ep('10.1.2.5:80', { zones: ['zone-c'] }), ep('10.1.2.6:80', { zones: ['zone-a'] })],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'],
    local: null,
  },
  {
    name: 'missing hints, no filtering applied: one endpoint without a zone hint turns topology off',
    svc: policy(),
    zone: 'zone-a',
    endpoints: [ep('10.1.2.3:80', { zones: ['zone-a'] }), ep('10.1.2.4:80', { zones: ['zone-b'] }), ep('10.1.2.5:80'), ep('10.1.2.6:80', { zones: ['zone-a'] })],
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.5:80', '10.1.2.6:80'],
    local: null,
  },
  {
    name: 'only unready endpoints in same zone (should not filter): hints of unready endpoints do not count',
    svc: policy(),
    zone: 'zone-a',
    endpoints: [
      ep('10.1.2.3:80', { zones: ['zone-a'], ready: false }),
      ep('10.1.2.4:80', { zones: ['zone-b'] }),
      ep('10.1.2.5:80', { zones: ['zone-c'] }),
      ep('10.1.2.6:80', { zones: ['zone-a'], ready: false }),
    ],
    cluster: ['10.1.2.4:80', '10.1.2.5:80'],
    local: null,
  },
  {
    name: 'node in different zone, no endpoint filtering: no hint for zone-b means hints are ignored',
    svc: policy(),
    zone: 'zone-b',
    endpoints: [ep('10.1.2.3:80', { zones: ['zone-a'] })],
    cluster: ['10.1.2.3:80'],
    local: null,
  },
  {
    name: 'multiple hints per endpoint, filtering includes any endpoint with zone included',
    svc: policy(),
    zone: 'zone-c',
    endpoints: [
      ep('10.1.2.3:80', { zones: ['zone-a', 'zone-b', 'zone-c'] }),
      ep('10.1.2.4:80', { zones: ['zone-b', 'zone-c'] }),
      ep('10.1.2.5:80', { zones: ['zone-b', 'zone-d'] }),
      ep('10.1.2.6:80', { zones: ['zone-c'] }),
    ],
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
    local: null,
  },
  {
    name: 'PreferSameNode: every endpoint has a node hint and one names this node, so only that one is used',
    svc: policy(),
    zone: 'zone-a',
    endpoints: [ep('10.1.2.3:80', { nodes: ['test-node'], zones: ['zone-a'] }), ep('10.1.2.4:80', { nodes: ['other-node'], zones: ['zone-a'] })],
    cluster: ['10.1.2.3:80'],
    local: null,
  },
  {
    name: 'internalTrafficPolicy: Local, topology ignored for Local endpoints (merged all-reachable list)',
    svc: policy({ internalPolicyLocal: true, nodePort: 8080 }),
    zone: 'zone-a',
    endpoints: [
      ep('10.1.2.3:80', { zones: ['zone-a'], local: true }),
      ep('10.1.2.4:80', { zones: ['zone-b'], local: true }),
      ep('10.1.2.5:80', { zones: ['zone-c'] }),
      ep('10.1.2.6:80', { zones: ['zone-a'] }),
    ],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'],
    local: ['10.1.2.3:80', '10.1.2.4:80'],
    all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
  },
  {
    name: 'iTP: Cluster, eTP: Local, some endpoints local: local endpoints for external traffic, all for the rest',
    svc: policy({ externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [ep('10.0.0.0:80', { local: true }), ep('10.0.0.1:80')],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.0:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'iTP: Local, eTP: Local, some endpoints local',
    svc: policy({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [ep('10.0.0.0:80', { local: true }), ep('10.0.0.1:80')],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.0:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'iTP: Local, eTP: Local, all endpoints remote: cluster endpoints remain for pod traffic',
    svc: policy({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [ep('10.0.0.0:80'), ep('10.0.0.1:80')],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: null,
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'iTP: Local, eTP: Local, PTE enabled, all endpoints remote and terminating: remote terminating ones are no local endpoints',
    svc: policy({ internalPolicyLocal: true, externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [ep('10.0.0.0:80', { ready: false, serving: true, terminating: true }), ep('10.0.0.1:80', { ready: false, serving: true, terminating: true })],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: null,
    all: ['10.0.0.0:80', '10.0.0.1:80'],
    onlyRemote: true,
  },
  {
    name: 'iTP: Cluster, eTP: Local, PTE enabled, with terminating endpoints: Ready remote for the cluster, serving-terminating local for Local',
    svc: policy({ externalPolicyLocal: true, nodePort: 8080 }),
    endpoints: [
      ep('10.0.0.0:80'),
      ep('10.0.0.1:80', { ready: false, serving: false, local: true }),
      ep('10.0.0.2:80', { ready: false, serving: true, terminating: true, local: true }),
      ep('10.0.0.3:80', { ready: false, serving: true, terminating: true }),
    ],
    cluster: ['10.0.0.0:80'],
    local: ['10.0.0.2:80'],
    all: ['10.0.0.0:80', '10.0.0.2:80'],
  },
  {
    name: 'externalTrafficPolicy ignored if not externally accessible (no nodePort)',
    svc: policy({ externalPolicyLocal: true }),
    endpoints: [ep('10.0.0.0:80'), ep('10.0.0.1:80', { local: true })],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: null,
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'externalTrafficPolicy: Local, topology ignored for Local endpoints',
    svc: policy({ externalPolicyLocal: true, nodePort: 8080 }),
    zone: 'zone-a',
    endpoints: [
      ep('10.1.2.3:80', { zones: ['zone-a'], local: true }),
      ep('10.1.2.4:80', { zones: ['zone-b'], local: true }),
      ep('10.1.2.5:80', { zones: ['zone-c'] }),
      ep('10.1.2.6:80', { zones: ['zone-a'] }),
    ],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'],
    local: ['10.1.2.3:80', '10.1.2.4:80'],
    all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
  },
  {
    name: 'conflicting topology and localness require merging allEndpoints',
    svc: policy({ externalPolicyLocal: true, nodePort: 8080 }),
    zone: 'zone-a',
    endpoints: [
      ep('10.0.0.0:80', { zones: ['zone-a'], local: true }),
      ep('10.0.0.1:80', { zones: ['zone-b'], local: true }),
      ep('10.0.0.2:80', { zones: ['zone-a'] }),
      ep('10.0.0.3:80', { zones: ['zone-b'] }),
    ],
    cluster: ['10.0.0.0:80', '10.0.0.2:80'],
    local: ['10.0.0.0:80', '10.0.0.1:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80', '10.0.0.2:80'],
  },
  {
    name: 'Cluster policy with no endpoints at all: every list is null, as Go returns before looking',
    svc: policy(),
    endpoints: [],
    cluster: null,
    local: null,
  },
  {
    name: 'node hints that name only other nodes: PreferSameNode does not apply, and the zone hints do',
    svc: policy(),
    zone: 'zone-a',
    endpoints: [ep('10.1.2.3:80', { nodes: ['node-2'], zones: ['zone-a'] }), ep('10.1.2.4:80', { nodes: ['node-3'], zones: ['zone-b'] })],
    cluster: ['10.1.2.3:80'],
    local: null,
  },
  {
    name: 'one ready endpoint without a node hint turns same-node hints off: the zone hints decide',
    svc: policy(),
    zone: 'zone-a',
    endpoints: [ep('10.1.2.3:80', { nodes: ['test-node'], zones: ['zone-a'] }), ep('10.1.2.4:80', { zones: ['zone-a'] }), ep('10.1.2.5:80', { zones: ['zone-b'] })],
    cluster: ['10.1.2.3:80', '10.1.2.4:80'],
    local: null,
  },
  {
    name: 'hints that name no node and no zone count as no hints: nothing is filtered',
    svc: policy(),
    zone: 'zone-a',
    endpoints: [ep('10.1.2.3:80', { nodes: ['test-node'], zones: ['zone-a'] }), ep('10.1.2.4:80', { nodes: [], zones: [] })],
    cluster: ['10.1.2.3:80', '10.1.2.4:80'],
    local: null,
  },
  {
    name: 'externalTrafficPolicy: Local with zone hints and no endpoint on this node: all reachable is the zone’s cluster endpoints',
    svc: policy({ externalPolicyLocal: true, nodePort: 8080 }),
    zone: 'zone-a',
    endpoints: [ep('10.0.0.2:80', { zones: ['zone-a'] }), ep('10.0.0.3:80', { zones: ['zone-b'] })],
    cluster: ['10.0.0.2:80'],
    local: null,
    all: ['10.0.0.2:80'],
  },
  {
    name: 'externalTrafficPolicy: Local on a port reached only through an external IP: this node’s endpoints serve outside traffic',
    svc: policy({ externalPolicyLocal: true, externalIPs: ['203.0.113.7'] }),
    endpoints: [ep('10.0.0.0:80'), ep('10.0.0.1:80', { local: true })],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.1:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'externalTrafficPolicy: Local on a port reached only through a load balancer VIP: this node’s endpoints serve outside traffic',
    svc: policy({ externalPolicyLocal: true, loadBalancerVIPs: ['172.18.0.100'] }),
    endpoints: [ep('10.0.0.0:80'), ep('10.0.0.1:80', { local: true })],
    cluster: ['10.0.0.0:80', '10.0.0.1:80'],
    local: ['10.0.0.1:80'],
    all: ['10.0.0.0:80', '10.0.0.1:80'],
  },
]


task('usable-endpoints', () => {
  table(CATEGORIZE_ROWS, (tc) => runCategorizeRow(tc, categorizeEndpoints))

  test('a node without labels is in no zone: zone hints filter nothing', () => {
    const got = categorizeEndpoints([ep('10.1.2.3:80', { zones: ['zone-a'] }), ep('10.1.2.4:80', { zones: ['zone-b'] })], policy(), 'test-node')
    expect(got.clusterEndpoints?.map((e) => e.endpoint), 'cluster endpoints, node labels not given').toEqual(['10.1.2.3:80', '10.1.2.4:80'])
  })

  const order = svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }] })
  const orderPort = () => servicePortInfos(order)[0]!

  test('servicePortInfos names a port ns/svc:port and skips headless and ExternalName Services', () => {
    expect(orderPort(), 'service port of snackbar/order').toMatchObject({ name: 'snackbar/order:http', clusterIP: '10.96.0.20', port: 80, protocol: 'TCP', nodePort: 0, sessionAffinity: 'None', internalPolicyLocal: false })
    const unnamed = servicePortInfos(svc({ name: 'menu', clusterIP: '10.96.0.21' }))
    expect(unnamed.map((s) => s.name), 'an unnamed port').toEqual(['snackbar/menu'])
    expect(servicePortInfos(svc({ name: 'order-pods', clusterIP: 'None' })), 'headless').toEqual([])
    expect(servicePortInfos(svc({ name: 'payments', type: 'ExternalName', externalName: 'pay.example.com' })), 'ExternalName').toEqual([])
    const sticky = servicePortInfos(svc({ name: 'cart', clusterIP: '10.96.0.30', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }))
    expect([sticky[0]?.sessionAffinity, sticky[0]?.stickyMaxAgeSeconds], 'ClientIP affinity of cart').toEqual(['ClientIP', 60])
  })

  // NewServicePortInfo (serviceport.go): what kube-proxy keeps of each port, per IP family.
  const lbOrder = (o: Partial<Parameters<typeof svc>[0]> = {}) =>
    svc({ name: 'order', type: 'LoadBalancer', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, nodePort: 30080 }], ...o })
  table(
    [
      {
        name: 'servicePortInfos of a LoadBalancer Service keeps its nodePort, externalIPs, trimmed loadBalancerSourceRanges and externalTrafficPolicy Cluster',
        service: lbOrder({ externalIPs: ['192.168.99.33'], loadBalancerSourceRanges: [' 203.0.113.0/24 ', '198.51.100.0/24'] }),
        want: { nodePort: 30080, externalIPs: ['192.168.99.33'], loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.0/24'], externalPolicyLocal: false, healthCheckNodePort: 0 },
      },
      {
        name: 'servicePortInfos: the load-balancer VIPs are the ingress IPs with ipMode VIP or unset — not Proxy, not a bare hostname',
        service: {
          ...lbOrder(),
          status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }, { ip: '172.18.255.201', ipMode: 'VIP' }, { ip: '172.18.255.202', ipMode: 'Proxy' }, { hostname: 'lb.example.com' }] } },
        },
        want: { loadBalancerVIPs: ['172.18.255.200', '172.18.255.201'] },
      },
      {
        name: 'servicePortInfos: an IPv4 proxier keeps only the IPv4 load-balancer VIPs',
        service: { ...lbOrder(), status: { loadBalancer: { ingress: [{ ip: '2001:db8::200' }, { ip: '172.18.255.200' }] } } },
        want: { loadBalancerVIPs: ['172.18.255.200'] },
      },
      {
        name: 'servicePortInfos: a LoadBalancer with externalTrafficPolicy Local keeps its healthCheckNodePort and is externalPolicyLocal',
        service: lbOrder({ externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 }),
        want: { healthCheckNodePort: 32000, externalPolicyLocal: true },
      },
      {
        name: 'servicePortInfos: internalTrafficPolicy Local is internalPolicyLocal',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80 }] }),
        want: { internalPolicyLocal: true },
      },
      {
        name: 'servicePortInfos: ClientIP affinity without sessionAffinityConfig sticks for the default 10800 seconds (3 hours)',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80 }] }),
        want: { sessionAffinity: 'ClientIP', stickyMaxAgeSeconds: 10800 },
      },
      {
        name: 'servicePortInfos: a UDP port keeps its protocol, and its name and number',
        service: svc({ name: 'kube-dns', namespace: 'kube-system', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }),
        want: { name: 'kube-system/kube-dns:dns', namespace: 'kube-system', serviceName: 'kube-dns', portName: 'dns', port: 53, protocol: 'UDP' },
      },
      {
        name: 'servicePortInfos: an unnamed port has the port name "", the name of the unnamed EndpointSlice port it reads',
        service: svc({ name: 'menu', clusterIP: '10.96.0.21', ports: [{ port: 80 }] }),
        want: { name: 'snackbar/menu', portName: '' },
      },
      {
        name: 'servicePortInfos: ClientIP affinity with an empty sessionAffinityConfig sticks for the default 10800 seconds, as defaulting fills it in',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', sessionAffinity: 'ClientIP', sessionAffinityConfig: {}, ports: [{ name: 'http', port: 80 }] }),
        want: { sessionAffinity: 'ClientIP', stickyMaxAgeSeconds: 10800 },
      },
      {
        name: 'servicePortInfos: a plain ClusterIP Service has no externalIPs, no load-balancer VIPs and no source ranges',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] }),
        want: { externalIPs: [], loadBalancerVIPs: [], loadBalancerSourceRanges: [], healthCheckNodePort: 0, externalPolicyLocal: false },
      },
    ],
    (tc) => {
      const got = servicePortInfos(tc.service)[0]
      expect(got, `service port of ${tc.service.metadata?.namespace}/${tc.service.metadata?.name} as kube-proxy keeps it`).toMatchObject(tc.want)
    },
  )

  table(
    [
      {
        name: 'servicePortInfos: a dual-stack Service gives the IPv6 proxier its IPv6 cluster IP from clusterIPs',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20', 'fd00:10:96::20'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack', ports: [{ name: 'http', port: 80 }] }),
        family: 'IPv6' as const,
        want: ['fd00:10:96::20'],
      },
      {
        name: 'servicePortInfos: a single-stack IPv4 Service gives an IPv6 proxier nothing to program',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] }),
        family: 'IPv6' as const,
        want: [],
      },
      {
        name: 'servicePortInfos: a Service with two ports gives two service ports, in order',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }),
        family: 'IPv4' as const,
        want: ['10.96.0.20', '10.96.0.20'],
      },
    ],
    (tc) => {
      const got = servicePortInfos(tc.service, tc.family)
      expect(got.map((i) => i.clusterIP), `cluster IPs an ${tc.family} kube-proxy programs for snackbar/order`).toEqual(tc.want)
    },
  )

  // ShouldSkipService and GetClusterIPByFamily (pkg/proxy/util): spec.clusterIP decides whether
  // the Service is proxied at all; the address of the proxier's family comes from clusterIPs,
  // or from clusterIP alone when an older API server wrote no clusterIPs and no ipFamilies.
  table(
    [
      {
        name: 'servicePortInfos: a Service with only spec.clusterIP (no clusterIPs, no ipFamilies) is proxied on that address',
        service: svc({ name: 'order', clusterIP: '10.96.0.20', clusterIPs: undefined, ipFamilies: undefined, ports: [{ name: 'http', port: 80 }] }),
        want: ['10.96.0.20'],
      },
      {
        name: 'servicePortInfos: an empty spec.clusterIP is skipped, even when clusterIPs lists an address (ShouldSkipService reads clusterIP)',
        service: svc({ name: 'order', clusterIP: '', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80 }] }),
        want: [],
      },
      {
        name: 'servicePortInfos: spec.clusterIP None is skipped, even when clusterIPs lists an address (ShouldSkipService reads clusterIP)',
        service: svc({ name: 'order', clusterIP: 'None', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80 }] }),
        want: [],
      },
      {
        name: 'servicePortInfos: an ExternalName Service is not proxied even if it carries a clusterIP (ShouldSkipService checks the type too)',
        service: svc({ name: 'payments', type: 'ExternalName', externalName: 'pay.example.com', clusterIP: '10.96.0.40', ports: [{ port: 443 }] }),
        want: [],
      },
    ],
    (tc) => {
      const got = servicePortInfos(tc.service)
      expect(got.map((i) => i.clusterIP), `cluster IPs kube-proxy programs for clusterIP ${JSON.stringify(tc.service.spec?.clusterIP)}, clusterIPs ${JSON.stringify(tc.service.spec?.clusterIPs)}`).toEqual(tc.want)
    },
  )

  test('endpointsForServicePort reads the slice port of the same name and protocol, so 10.96.0.20:80 maps to pod port 8080', () => {
    const slices = [
      endpointSlice('snackbar', 'order', [{ ip: '10.244.2.7', node: 'kind-worker2' }, { ip: '10.244.1.5', node: 'kind-worker' }], [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }]),
      endpointSlice('snackbar', 'order', [{ ip: '10.244.1.6', node: 'kind-worker' }], [{ name: 'http', port: 8080, protocol: 'UDP' }], { name: 'order-udp' }),
      endpointSlice('snackbar', 'menu', [{ ip: '10.244.1.99' }], [{ name: 'http', port: 8080 }], { name: 'menu-abcde' }),
      endpointSlice('other', 'order', [{ ip: '10.244.1.98' }], [{ name: 'http', port: 8080 }], { name: 'order-other' }),
    ]
    const got = endpointsForServicePort(orderPort(), slices, 'kind-worker')
    expect(got.map((e) => `${e.endpoint} local=${e.isLocal}`), 'endpoints of snackbar/order:http on kind-worker, sorted').toEqual([
      '10.244.1.5:8080 local=true',
      '10.244.2.7:8080 local=false',
    ])
  })

  test('endpointsForServicePort keeps the conditions: missing ready and serving count as true, missing terminating as false', () => {
    const slice = endpointSlice('snackbar', 'order', [], [{ name: 'http', port: 8080 }])
    slice.endpoints = [
      { addresses: ['10.244.1.5'] },
      { addresses: ['10.244.1.6'], conditions: { ready: false, serving: true, terminating: true } },
      { addresses: ['10.244.1.7'], conditions: { ready: false, serving: false, terminating: false } },
    ]
    const got = endpointsForServicePort(orderPort(), [slice], 'kind-worker').map((e) => [e.endpoint, e.ready, e.serving, e.terminating])
    expect(got, '[endpoint, ready, serving, terminating]').toEqual([
      ['10.244.1.5:8080', true, true, false],
      ['10.244.1.6:8080', false, true, true],
      ['10.244.1.7:8080', false, false, false],
    ])
  })

  test('endpointsForServicePort: an address listed first on this node and again in another slice without a node stays local', () => {
    const slices = [
      endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5', node: 'kind-worker' }], [{ name: 'http', port: 8080 }], { name: 'order-a' }),
      endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5' }], [{ name: 'http', port: 8080 }], { name: 'order-b' }),
    ]
    const got = endpointsForServicePort(orderPort(), slices, 'kind-worker')
    expect(got.map((e) => `${e.endpoint} local=${e.isLocal}`), 'endpointslicecache keeps the local copy of an address over a remote one, in either order').toEqual(['10.244.1.5:8080 local=true'])
  })

  test('endpointsForServicePort reads topology hints: forZones and forNodes become the sets of names, no hints none', () => {
    const slice = endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5', zones: ['zone-a', 'zone-b'] }, { ip: '10.244.1.6', nodes: ['kind-worker'] }, { ip: '10.244.1.7' }], [{ name: 'http', port: 8080 }])
    const got = endpointsForServicePort(orderPort(), [slice], 'kind-worker').map((e) => [e.endpoint, e.zoneHints && [...e.zoneHints], e.nodeHints && [...e.nodeHints]])
    expect(got, '[endpoint, zone hints, node hints]').toEqual([
      ['10.244.1.5:8080', ['zone-a', 'zone-b'], null],
      ['10.244.1.6:8080', null, ['kind-worker']],
      ['10.244.1.7:8080', null, null],
    ])
  })

  test('endpointsForServicePort skips a slice port without a port number: kube-proxy needs the number to DNAT to', () => {
    const slice = endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5' }], [{ name: 'http', port: 8080 }])
    slice.ports = [{ name: 'http', protocol: 'TCP' }]
    expect(endpointsForServicePort(orderPort(), [slice], 'kind-worker'), 'endpoints of snackbar/order:http').toEqual([])
  })

  test('endpointsForServicePort ignores slices of the other family and counts an address in two slices once', () => {
    const slices = [
      endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5' }], [{ name: 'http', port: 8080 }], { name: 'order-a' }),
      endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5', node: 'kind-worker' }], [{ name: 'http', port: 8080 }], { name: 'order-b' }),
      endpointSlice('snackbar', 'order', [{ ip: 'fd00:10:244:1::5' }], [{ name: 'http', port: 8080 }], { name: 'order-v6', addressType: 'IPv6' }),
    ]
    const got = endpointsForServicePort(orderPort(), slices, 'kind-worker')
    expect(got.map((e) => `${e.endpoint} local=${e.isLocal}`), 'IPv4 endpoints of order').toEqual(['10.244.1.5:8080 local=true'])
  })
})

task('proxier-sync', () => {
  table(
    [
      { name: 'computeProbability(1) is 1.0000000000', n: 1, want: '1.0000000000' },
      { name: 'computeProbability(2) is 0.5000000000', n: 2, want: '0.5000000000' },
      { name: 'computeProbability(3) is 0.3333333333 (%0.10f)', n: 3, want: '0.3333333333' },
      { name: 'computeProbability(6) is 0.1666666667: %0.10f rounds the last digit, it does not cut', n: 6, want: '0.1666666667' },
      { name: 'computeProbability(7) is 0.1428571429', n: 7, want: '0.1428571429' },
      { name: 'computeProbability(10) is 0.1000000000', n: 10, want: '0.1000000000' },
      { name: 'computeProbability(100000) is 0.0000100000', n: 100000, want: '0.0000100000' },
      { name: 'computeProbability(100001) is 0.0000099999', n: 100001, want: '0.0000099999' },
      { name: 'computeProbability(2048) is 0.0004882812: 1/2048 = 0.00048828125 is a tie, and %0.10f rounds a tie to even', n: 2048, want: '0.0004882812' },
      { name: 'computeProbability(1024) is 0.0009765625: 1/1024 has ten decimals exactly, nothing to round', n: 1024, want: '0.0009765625' },
      { name: 'computeProbability(4096) is 0.0002441406: 1/4096 = 0.000244140625 is below the tie', n: 4096, want: '0.0002441406' },
    ],
    (tc) => {
      expect(computeProbability(tc.n), `--probability for ${tc.n} remaining endpoints`).toBe(tc.want)
    },
  )

  test('headless and ExternalName Services get no rules at all: no cluster IP, nothing to translate', () => {
    const p = proxierFor(
      [
        svc({ name: 'order-pods', clusterIP: 'None', ports: [{ port: 80 }] }),
        svc({ name: 'payments', type: 'ExternalName', externalName: 'pay.example.com', ports: [{ port: 443 }] }),
      ],
      [endpointSlice('snackbar', 'order-pods', [{ ip: '10.244.1.5' }], [{ port: 80 }])],
    )
    const text = p.rules.save()
    expect(text.includes('order-pods') || text.includes('payments'), `rules mention a headless or ExternalName Service:\n${text}`).toBe(false)
    expect(p.servicePorts, 'service ports kube-proxy proxies').toEqual([])
  })

  test('sync keeps its service ports in namespace/name order, whatever order the Services come in', () => {
    const p = proxierFor(
      [
        svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] }),
        svc({ namespace: 'kube-system', name: 'kube-dns', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }),
        svc({ name: 'menu', clusterIP: '10.96.0.21', ports: [{ name: 'http', port: 80 }] }),
        svc({ name: 'cart', clusterIP: '10.96.0.30', ports: [{ name: 'http', port: 80 }] }),
      ],
      [],
    )
    expect(p.servicePorts.map((s) => s.info.name), 'service ports after one sync').toEqual(['kube-system/kube-dns:dns', 'snackbar/cart:http', 'snackbar/menu:http', 'snackbar/order:http'])
  })

  test("sync declares kube-proxy's own chains even when there is no Service at all", () => {
    const p = proxierFor([], [])
    expect({ filter: p.rules.chains('filter'), nat: p.rules.chains('nat') }, 'chains of an empty sync').toEqual({
      filter: ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'],
      nat: ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'],
    })
  })

  test('a policy chain exists only when it has endpoints to pick from: none for menu (no Ready pod), no KUBE-SVL for billing, no KUBE-SVC for kitchen (internalTrafficPolicy Local)', () => {
    const chains = proxierFor(SNACKBAR_SERVICES, SNACKBAR_SLICES).rules.chains('nat')
    const svcChain = (name: string) => servicePortPolicyClusterChain(`snackbar/${name}:http`, 'tcp')
    const svlChain = (name: string) => `KUBE-SVL-${svcChain(name).slice('KUBE-SVC-'.length)}`
    const unwanted = [svcChain('menu'), svlChain('menu'), svlChain('billing'), svcChain('billing'), svcChain('kitchen')].filter((c) => chains.includes(c))
    expect(unwanted, `kube-proxy writes KUBE-SVC only when the port uses cluster endpoints and has some, KUBE-SVL likewise for local ones; these exist on kind-worker:\n${bullets(unwanted)}`).toEqual([])
    expect(chains.includes(svlChain('kitchen')) && chains.includes(svcChain('order')), 'kitchen keeps its KUBE-SVL and order its KUBE-SVC').toBe(true)
  })

  test('the KUBE-SVC chain lists its endpoints sorted as "ip:port" strings, whatever order the EndpointSlices give them in', () => {
    const order = svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }] })
    const slices = [
      endpointSlice('snackbar', 'order', [{ ip: '10.244.2.7', node: 'kind-worker2' }, { ip: '10.244.1.10', node: 'kind-worker' }], [{ name: 'http', port: 8080 }], { name: 'order-a' }),
      endpointSlice('snackbar', 'order', [{ ip: '10.244.1.9', node: 'kind-worker' }], [{ name: 'http', port: 8080 }], { name: 'order-b' }),
    ]
    const chain = servicePortPolicyClusterChain('snackbar/order:http', 'tcp')
    const lines = proxierFor([order], slices).rules.lines('nat', chain)
    const got = lines.flatMap((l) => /"snackbar\/order:http -> ([^"]+)"/.exec(l)?.[1] ?? [])
    // endpointslicecache.go sorts each service port's endpoints (byEndpoint: String() < String()),
    // so 10.244.1.10 comes before 10.244.1.9: string order, not numeric.
    expect(got, `endpoints in ${chain}, in rule order:\n${bullets(lines)}`).toEqual(['10.244.1.10:8080', '10.244.1.9:8080', '10.244.2.7:8080'])
  })

  test('an IPv4 proxier leaves an IPv6 externalIP out, and an IPv6 proxier the IPv4 one', () => {
    const order = svc({ name: 'order', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20', 'fd00:10:96::20'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack', externalIPs: ['192.168.99.33', '2001:db8::33'], ports: [{ name: 'http', port: 80 }] })
    const got = { IPv4: servicePortInfos(order, 'IPv4')[0]?.externalIPs, IPv6: servicePortInfos(order, 'IPv6')[0]?.externalIPs }
    expect(got, 'externalIPs of snackbar/order:http per proxier family: each kube-proxy programs only the addresses of its own family').toEqual({ IPv4: ['192.168.99.33'], IPv6: ['2001:db8::33'] })
  })

  test('a Proxier has no service ports and no rules until its first sync, and keeps the node it was given', () => {
    const p = new Proxier({ nodeName: 'kind-worker', nodeIPs: ['172.18.0.3'] })
    expect([p.servicePorts, p.rules.chains('filter'), p.rules.chains('nat')], '[service ports, filter chains, nat chains] before the first sync').toEqual([[], [], []])
    p.sync([svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] })], [])
    expect(p.servicePorts.map((s) => s.info.name), 'service ports after syncing order').toEqual(['snackbar/order:http'])
    expect([p.nodeName, p.nodeIPs, p.clusterCIDR, p.ipFamily, p.masqueradeAll, p.nodeLabels], '[nodeName, nodeIPs, clusterCIDR, ipFamily, masqueradeAll, nodeLabels]').toEqual([
      'kind-worker',
      ['172.18.0.3'],
      '10.244.0.0/16',
      'IPv4',
      false,
      {},
    ])
  })

  test('an IPv6 kube-proxy programs the IPv6 cluster IP of a dual-stack Service, to its IPv6 endpoints', () => {
    const order = svc({ name: 'order', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20', 'fd00:10:96::20'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack', ports: [{ name: 'http', port: 80 }] })
    const slices = [
      endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5' }], [{ name: 'http', port: 8080 }], { name: 'order-v4' }),
      endpointSlice('snackbar', 'order', [{ ip: 'fd00:10:244:1::5' }], [{ name: 'http', port: 8080 }], { name: 'order-v6', addressType: 'IPv6' }),
    ]
    const p = proxierFor([order], slices, { ...KIND_WORKER, ipFamily: 'IPv6' })
    const got = p.servicePorts.map((s) => [s.info.clusterIP, s.endpoints.map((e) => e.endpoint)])
    expect(got, 'service ports of an IPv6 kube-proxy: [cluster IP, endpoints]').toEqual([['fd00:10:96::20', ['[fd00:10:244:1::5]:8080']]])
  })

  test("the node's topology.kubernetes.io/zone label reaches the zone hints: a zone-a node writes only the zone-a endpoints into KUBE-SVC", () => {
    const order = svc({ name: 'order', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] })
    const slices = [endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5', zones: ['zone-a'] }, { ip: '10.244.2.7', zones: ['zone-b'] }], [{ name: 'http', port: 8080 }])]
    const p = proxierFor([order], slices, { ...KIND_WORKER, nodeLabels: { 'topology.kubernetes.io/zone': 'zone-a' } })
    const chain = servicePortPolicyClusterChain('snackbar/order:http', 'tcp')
    const lines = p.rules.lines('nat', chain)
    const got = lines.flatMap((l) => /"snackbar\/order:http -> ([^"]+)"/.exec(l)?.[1] ?? [])
    expect(got, `endpoints in ${chain} on a zone-a node:\n${bullets(lines)}`).toEqual(['10.244.1.5:8080'])
  })
})
