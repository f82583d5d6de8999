// Kata 07 — NodePort.
// Core tasks: service-node-ports (initNodePorts), node-port-rules (writeNodePortRules),
// traffic-policy (writeExternalTrafficChain), every-node (the three together, through a
// whole cluster). Deep tasks: the allocator, the rest of the registry, the proxier's sync
// and the cluster around it.
// Vectors: portallocator/allocator_test.go (TestAllocate), storage/alloc.go messages,
// proxy/topology_test.go TestCategorizeEndpoints eTP rows,
// iptables/proxier_test.go (TestOverallIPTablesRules, TestNodePorts, TestNoEndpointsReject,
// TestExternalTrafficPolicyLocal, TestExternalTrafficPolicyCluster, TestHealthCheckNodePort).
import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { Service, ServicePort } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import {
  allocateServiceNodePorts,
  calculateRangeOffset,
  ErrAllocated,
  ErrFull,
  ErrNotInRange,
  formatPortRange,
  initNodePorts,
  parsePortRange,
  PortAllocationOperation,
  PortAllocator,
  releaseServiceNodePorts,
  updateServiceNodePorts,
} from '@impl/registry/portallocator.ts'
import { NodePortCluster, NodePortProxier, NODEPORTS_JUMP_COMMENT, type Client, type ClusterNode, type Connection, type Destination } from '@impl/proxy/iptables/nodeports.ts'
import type { ProxierOptions, ServicePortState } from '@impl/proxy/iptables/proxier.ts'
import { StatusError } from '../lib/api/errors.ts'
import { DEFAULT_NODES, NODE_PORT_RANGE } from '../lib/cluster/defaults.ts'
import { KUBE_NODEPORTS, serviceExternalChainName, type IPTablesProtocol } from '../lib/net/iptables.ts'
import { bullets, listDiff } from './support/explain.ts'
import { endpointSlice, exactly, flowMessage, flowText, statusOf, svc, type Flow } from './support/clusterip.ts'
import { table } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('07-nodeport')

// ---------------------------------------------------------------------------
function service(name: string, type: NonNullable<Service['spec']>['type'], ports: ServicePort[], extra: Partial<NonNullable<Service['spec']>> = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'snackbar' },
    spec: {
      type,
      selector: { app: name },
      clusterIP: '10.96.0.20',
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
      ...(type === 'NodePort' || type === 'LoadBalancer' ? { externalTrafficPolicy: 'Cluster' } : {}),
      ...extra,
      ports: ports.map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p })),
    },
  }
}
const nodePorts = (s: Service) => (s.spec?.ports ?? []).map((p) => p.nodePort)

task('service-node-ports', () => {
  test('a NodePort Service gets one nodePort per port, from the dynamic band 30086–32767', () => {
    const alloc = new PortAllocator()
    const got = allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]), alloc)
    const [a, b] = nodePorts(got)
    expect([a, b].every((p) => p !== undefined && p >= 30086 && p <= 32767), `nodePorts ${a}, ${b}`).toBe(true)
    expect(a === b, 'ports 80 and 443 need two different nodePorts').toBe(false)
    expect([alloc.has(a!), alloc.has(b!), alloc.used()], 'the allocator holds both').toEqual([true, true, 2])
  })

  test('a LoadBalancer with allocateLoadBalancerNodePorts: false gets no nodePort it did not ask for', () => {
    const alloc = new PortAllocator()
    const got = allocateServiceNodePorts(service('order', 'LoadBalancer', [{ name: 'http', port: 80 }], { allocateLoadBalancerNodePorts: false }), alloc)
    expect([nodePorts(got), alloc.used()], 'LoadBalancer order: [nodePorts, allocated]').toEqual([[undefined], 0])
  })

  // initNodePorts on its own, port by port. In `want`, a number is that nodePort; a letter
  // is a nodePort from the dynamic band, the same letter meaning the same nodePort.
  table(
    [
      { name: 'initNodePorts: 80 and 443 get two nodePorts', ports: [{ port: 80 }, { port: 443 }], want: ['a', 'b'], used: 2 },
      { name: 'initNodePorts: 53/UDP and 53/TCP get one nodePort, allocated once', ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }], want: ['a', 'a'], used: 1 },
      { name: 'initNodePorts: 30053 asked for on the second of two port-53 entries serves the first too', ports: [{ port: 53, protocol: 'UDP' }, { port: 53, nodePort: 30053 }], want: [30053, 30053], used: 1 },
      {
        name: 'initNodePorts: two port-53 entries that ask for two different nodePorts get both',
        ports: [{ port: 53, protocol: 'UDP', nodePort: 30053 }, { port: 53, nodePort: 30054 }],
        want: [30053, 30054],
        used: 2,
      },
      { name: 'initNodePorts: a requested nodePort on one port, a dynamic one on the other', ports: [{ port: 80, nodePort: 30080 }, { port: 443 }], want: [30080, 'a'], used: 2 },
    ] as { name: string; ports: Partial<ServicePort>[]; want: (number | string)[]; used: number }[],
    (tc) => {
      const alloc = new PortAllocator()
      const svc = service('dns', 'NodePort', tc.ports.map((p, i) => ({ name: `p${i}`, port: p.port!, ...p })))
      initNodePorts(svc, new PortAllocationOperation(alloc))
      const got = nodePorts(svc)
      const shown = (svc.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol}: ${p.nodePort}`).join(', ')
      const byLetter = new Map<string, number | undefined>()
      tc.want.forEach((w, i) => {
        if (typeof w === 'number') {
          expect(got[i], `spec.ports[${i}].nodePort (${shown})`).toBe(w)
          return
        }
        const seen = byLetter.get(w)
        if (seen === undefined) {
          expect(got[i] !== undefined && got[i]! >= 30086 && got[i]! <= 32767, `spec.ports[${i}].nodePort ${got[i]} should come from 30086–32767 (${shown})`).toBe(true)
          expect([...byLetter.values()], `spec.ports[${i}].nodePort ${got[i]} should be a nodePort of its own (${shown})`).not.toContain(got[i])
          byLetter.set(w, got[i])
        } else {
          expect(got[i], `spec.ports[${i}] has the same number as an earlier port, so it shares its nodePort (${shown})`).toBe(seen)
        }
      })
      expect(alloc.used(), `nodePorts allocated for ${shown}`).toBe(tc.used)
    },
  )

  test('a LoadBalancer gets nodePorts by default (allocateLoadBalancerNodePorts: true)', () => {
    const alloc = new PortAllocator()
    const got = allocateServiceNodePorts(service('order', 'LoadBalancer', [{ name: 'http', port: 80 }]), alloc)
    expect(nodePorts(got)[0], 'nodePort of LoadBalancer order').toBeGreaterThanOrEqual(30086)
  })

  test('with allocateLoadBalancerNodePorts: false a nodePort the user asks for is still honoured', () => {
    const alloc = new PortAllocator()
    const got = allocateServiceNodePorts(
      service('order', 'LoadBalancer', [{ name: 'http', port: 80, nodePort: 30500 }, { name: 'https', port: 443 }], { allocateLoadBalancerNodePorts: false }),
      alloc,
    )
    expect(nodePorts(got), 'nodePorts of order').toEqual([30500, undefined])
  })

  test('a nodePort the user asks for is honoured, even in the static band', () => {
    const alloc = new PortAllocator()
    const got = allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }]), alloc)
    expect([nodePorts(got), alloc.has(30080)]).toEqual([[30080], true])
  })

  test('asking for a taken nodePort: The Service "menu" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated', () => {
    const alloc = new PortAllocator()
    allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }]), alloc)
    const err = statusOf(() => allocateServiceNodePorts(service('menu', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }]), alloc))
    expect([err.code, err.message], 'Service menu asking for 30080').toEqual([422, 'Service "menu" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated'])
    expect(err.kubectl()).toBe('The Service "menu" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated')
  })

  test('asking for 8080: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767', () => {
    const err = statusOf(() => allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 8080 }]), new PortAllocator()))
    expect(err.message).toBe(
      'Service "order" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    )
  })

  test('a failure on the second port gives back the nodePort already taken for the first', () => {
    const alloc = new PortAllocator()
    allocateServiceNodePorts(service('menu', 'NodePort', [{ name: 'http', port: 80, nodePort: 30443 }]), alloc)
    const err = statusOf(() => allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80 }, { name: 'https', port: 443, nodePort: 30443 }]), alloc))
    expect(err.message).toBe('Service "order" is invalid: spec.ports[1].nodePort: Invalid value: 30443: provided port is already allocated')
    expect(alloc.used(), 'only menu\'s 30443 is still allocated').toBe(1)
  })

  test('53/UDP and 53/TCP share ONE nodePort', () => {
    const alloc = new PortAllocator()
    const got = allocateServiceNodePorts(
      service('dns', 'NodePort', [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ]),
      alloc,
    )
    const [udp, tcp] = nodePorts(got)
    expect(udp, `nodePorts of dns: ${udp} (UDP) and ${tcp} (TCP); ports with the same number share one`).toBe(tcp)
    expect(alloc.used(), 'one nodePort allocated').toBe(1)
  })

  test('a nodePort asked for on the TCP twin is used for the UDP port too', () => {
    const alloc = new PortAllocator()
    const got = allocateServiceNodePorts(
      service('dns', 'NodePort', [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', nodePort: 30053 },
      ]),
      alloc,
    )
    expect(nodePorts(got), 'nodePorts of dns').toEqual([30053, 30053])
  })

  test('a full range: Internal error occurred: failed to allocate a nodePort: range is full', () => {
    const alloc = new PortAllocator(parsePortRange('30000-30001'))
    allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]), alloc)
    const err = statusOf(() => allocateServiceNodePorts(service('menu', 'NodePort', [{ name: 'http', port: 80 }]), alloc))
    expect([err.code, err.message]).toEqual([500, 'Internal error occurred: failed to allocate a nodePort: range is full'])
  })

  test('live Services never share a nodePort, except same-numbered ports of one Service (property)', () => {
    const portSpec = fc.record({ port: fc.constantFrom(53, 80, 443), protocol: fc.constantFrom('TCP', 'UDP'), ask: fc.option(fc.integer({ min: 30000, max: 30020 }), { nil: undefined }) })
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(portSpec, { selector: (p) => `${p.port}/${p.protocol}`, minLength: 1, maxLength: 3 }), { maxLength: 12 }), (services) => {
        const alloc = new PortAllocator(parsePortRange('30000-30099'))
        const owner = new Map<number, string>()
        services.forEach((ports, i) => {
          const name = `svc${i}`
          let stored: Service
          try {
            stored = allocateServiceNodePorts(
              service(name, 'NodePort', ports.map((p, j) => ({ name: `p${j}`, port: p.port, protocol: p.protocol, ...(p.ask ? { nodePort: p.ask } : {}) }))),
              alloc,
            )
          } catch (e) {
            expect(e, 'only Invalid (taken) errors are expected').toBeInstanceOf(StatusError)
            return
          }
          const byNumber = new Map<number, number>()
          for (const p of stored.spec!.ports!) {
            const np = p.nodePort!
            expect(np >= 30000 && np <= 30099, `${name} got nodePort ${np}, outside 30000-30099`).toBe(true)
            const prev = owner.get(np)
            expect(prev === undefined || (prev === name && byNumber.get(p.port) === np), `nodePort ${np} of ${name} port ${p.port} is already ${prev}'s`).toBe(true)
            owner.set(np, name)
            byNumber.set(p.port, np)
          }
        })
        expect(alloc.used(), 'allocated nodePorts = distinct nodePorts of live Services').toBe(owner.size)
      }),
      { seed: 7070, numRuns: 100 },
    )
  })
})


// ---------------------------------------------------------------------------
// proxier_test.go's world: node "test-node" (192.168.0.2, alt 192.168.1.2), cluster CIDR 10.0.0.0/8.
const TEST_NODE: ProxierOptions = { nodeName: 'test-node', nodeIPs: ['192.168.0.2', '192.168.1.2'], clusterCIDR: '10.0.0.0/8' }
const EXTERNAL_CLIENT = '203.0.113.2'
const P80 = [{ name: 'p80', port: 80 }]

function goWorld(): { services: Service[]; slices: EndpointSlice[] } {
  return {
    services: [
      // TestOverallIPTablesRules svc2: LoadBalancer, externalTrafficPolicy Local, no local endpoint.
      svc({ namespace: 'ns2', name: 'svc2', type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.42', healthCheckNodePort: 30000, ports: [{ name: 'p80', port: 80, nodePort: 3001 }] }),
      // TestOverallIPTablesRules svc3: NodePort, Cluster.
      svc({ namespace: 'ns3', name: 'svc3', type: 'NodePort', clusterIP: '172.30.0.43', ports: [{ name: 'p80', port: 80, nodePort: 3003 }] }),
      // TestExternalTrafficPolicyLocal: one remote and one local endpoint.
      svc({ namespace: 'ns1', name: 'local', type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80, nodePort: 3011 }] }),
      // TestExternalTrafficPolicyCluster: the same endpoints, Cluster policy.
      svc({ namespace: 'ns1', name: 'cluster', type: 'NodePort', clusterIP: '172.30.0.51', ports: [{ name: 'p80', port: 80, nodePort: 3012 }] }),
      // TestNoEndpointsReject.
      svc({ namespace: 'ns1', name: 'empty', type: 'NodePort', clusterIP: '172.30.0.61', ports: [{ name: 'p80', port: 80, nodePort: 3013 }] }),
      // ETP Local whose only local endpoint is terminating (but still serving).
      svc({ namespace: 'ns1', name: 'draining', type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.81', ports: [{ name: 'p80', port: 80, nodePort: 3014 }] }),
      // A plain ClusterIP Service: no nodePort rules.
      svc({ namespace: 'ns1', name: 'internal', clusterIP: '172.30.0.71', ports: [{ name: 'p80', port: 80 }] }),
    ],
    slices: [
      endpointSlice('ns2', 'svc2', [{ ip: '10.180.0.2' }], P80),
      endpointSlice('ns3', 'svc3', [{ ip: '10.180.0.3' }], P80),
      endpointSlice('ns1', 'local', [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'test-node' }], P80),
      endpointSlice('ns1', 'cluster', [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'test-node' }], P80),
      endpointSlice('ns1', 'internal', [{ ip: '10.180.0.7' }], P80),
      endpointSlice('ns1', 'draining', [{ ip: '10.180.0.4' }, { ip: '10.180.2.4', node: 'test-node', ready: false, serving: true, terminating: true }], P80),
    ],
  }
}
function goProxier(Kind: typeof NodePortProxier = NodePortProxier): NodePortProxier {
  const { services, slices } = goWorld()
  const p = new Kind(TEST_NODE)
  p.sync(services, slices)
  return p
}

/**
 * kube-proxy with the nodePort capture and refusal rules only (every KUBE-EXT chain left
 * empty), so the checks of node-port-rules see writeNodePortRules on its own.
 */
class CaptureOnly extends NodePortProxier {
  protected override writeExternalTrafficChain(): void {}
}

/**
 * kube-proxy whose KUBE-NODEPORTS rules are a fixed fixture — each nodePort with
 * endpoints jumps to its KUBE-EXT chain, nothing is refused — so the checks of
 * traffic-policy see writeExternalTrafficChain on its own.
 */
class PolicyOnly extends NodePortProxier {
  protected override writeNodePortRules(s: ServicePortState): void {
    if (s.info.nodePort === 0 || !s.hasEndpoints) return
    const protocol = s.info.protocol.toLowerCase() as IPTablesProtocol
    this.ruleset.append('nat', KUBE_NODEPORTS, { comment: s.info.name, protocol, dport: s.info.nodePort, jump: s.externalChain })
  }
}

interface ChainRow {
  name: string
  table: 'nat' | 'filter'
  chain: string
  want: string[]
}
function checkChain(Kind: typeof NodePortProxier, tc: ChainRow): void {
  const got = goProxier(Kind).rules.lines(tc.table, tc.chain)
  expect(got, `${tc.table} ${tc.chain}:\n${listDiff(tc.want, got)}`).toEqual(tc.want)
}

interface FlowRow extends Flow {
  name: string
  output: string
  masq: boolean
  why?: string
}
// Packets through the rules of test-node, as kube-proxy's packetFlowTest traces them.
const CAPTURE_FLOWS: FlowRow[] = [
  // svc2: ETP Local, endpoint only on another node
  {
    name: 'ETP Local, no local endpoint: external to NodePort is DROPped — the client times out',
    sourceIP: EXTERNAL_CLIENT,
    destIP: '192.168.0.2',
    destPort: 3001,
    output: 'DROP',
    masq: false,
    why: 'Service ns2/svc2 has endpoints, but none on this node: "has no local endpoints" → DROP',
  },
  // TestNoEndpointsReject
  { name: 'TestNoEndpointsReject: pod to NodePort with no endpoints is REJECTed', sourceIP: '10.0.0.2', destIP: '192.168.0.2', destPort: 3013, output: 'REJECT', masq: false },
  { name: 'TestNoEndpointsReject: external to NodePort with no endpoints is REJECTed', sourceIP: EXTERNAL_CLIENT, destIP: '192.168.0.2', destPort: 3013, output: 'REJECT', masq: false },
  { name: 'a node port no Service uses matches no kube-proxy rule', sourceIP: EXTERNAL_CLIENT, destIP: '192.168.0.2', destPort: 30999, output: '', masq: false },
  {
    name: "a nodePort only answers on the node's own addresses, not on another IP",
    sourceIP: EXTERNAL_CLIENT,
    destIP: '192.168.7.7',
    destPort: 3003,
    output: '',
    masq: false,
  },
]
const POLICY_FLOWS: FlowRow[] = [
  // TestExternalTrafficPolicyLocal (nodePort 3011, endpoints 10.180.0.1 remote, 10.180.2.1 local)
  { name: 'ETP Local: pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: false },
  {
    name: 'ETP Local: pod to NodePort hits both endpoints, unmasqueraded (pods are not subject to the policy)',
    sourceIP: '10.0.0.2',
    destIP: '192.168.0.2',
    destPort: 3011,
    output: '10.180.0.1:80, 10.180.2.1:80',
    masq: false,
  },
  {
    name: 'ETP Local: external to NodePort hits only the local endpoint, unmasqueraded — the pod sees the client address',
    sourceIP: EXTERNAL_CLIENT,
    destIP: '192.168.0.2',
    destPort: 3011,
    output: '10.180.2.1:80',
    masq: false,
    why: 'externalTrafficPolicy: Local keeps the client IP and never leaves the node',
  },
  {
    name: 'ETP Local: the node itself to its NodePort hits both endpoints, masqueraded',
    sourceIP: '192.168.0.2',
    destIP: '192.168.0.2',
    destPort: 3011,
    output: '10.180.0.1:80, 10.180.2.1:80',
    masq: true,
  },
  // TestExternalTrafficPolicyCluster (nodePort 3012)
  { name: 'ETP Cluster: pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.51', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: false },
  { name: 'ETP Cluster: pod to NodePort hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '192.168.0.2', destPort: 3012, output: '10.180.0.1:80, 10.180.2.1:80', masq: true },
  {
    name: 'ETP Cluster: external to NodePort hits both endpoints, masqueraded — the pod sees the node, not the client',
    sourceIP: EXTERNAL_CLIENT,
    destIP: '192.168.0.2',
    destPort: 3012,
    output: '10.180.0.1:80, 10.180.2.1:80',
    masq: true,
    why: 'KUBE-EXT: "masquerade traffic for … external destinations" — the reply must come back through this node',
  },
  // TestNodePorts (ipv4, localhost-nodeports enabled): svc3, nodePort 3003
  { name: 'TestNodePorts: external to nodePort, masqueraded', sourceIP: EXTERNAL_CLIENT, destIP: '192.168.0.2', destPort: 3003, output: '10.180.0.3:80', masq: true },
  { name: 'TestNodePorts: node to nodePort, masqueraded', sourceIP: '192.168.0.2', destIP: '192.168.0.2', destPort: 3003, output: '10.180.0.3:80', masq: true },
  { name: 'TestNodePorts: localhost to nodePort gets masqueraded (127.0.0.1 accepts nodePorts on IPv4)', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3003, output: '10.180.0.3:80', masq: true },
  { name: "TestNodePorts: external to nodePort on the node's secondary IP", sourceIP: EXTERNAL_CLIENT, destIP: '192.168.1.2', destPort: 3003, output: '10.180.0.3:80', masq: true },
  {
    name: 'ETP Local, no local endpoint: a pod is still short-circuited to the remote endpoint',
    sourceIP: '10.0.0.2',
    destIP: '192.168.0.2',
    destPort: 3001,
    output: '10.180.0.2:80',
    masq: false,
  },
  {
    name: 'ETP Local, no local endpoint: the node itself is routed to the remote endpoint, masqueraded',
    sourceIP: '192.168.0.2',
    destIP: '192.168.0.2',
    destPort: 3001,
    output: '10.180.0.2:80',
    masq: true,
  },
  // ETP Local with a serving-terminating local endpoint (ProxyTerminatingEndpoints)
  {
    name: 'ETP Local: when the only local pod is terminating but still serving, external traffic still reaches it',
    sourceIP: EXTERNAL_CLIENT,
    destIP: '192.168.0.2',
    destPort: 3014,
    output: '10.180.2.4:80',
    masq: false,
    why: 'the Local policy falls back to serving-terminating local endpoints before it would DROP',
  },
  {
    name: 'ETP Local with a terminating local pod: pod traffic uses the Ready remote pod only',
    sourceIP: '10.0.0.2',
    destIP: '192.168.0.2',
    destPort: 3014,
    output: '10.180.0.4:80',
    masq: false,
  },
]
const HEALTH_CHECK_FLOWS: FlowRow[] = [
  // TestHealthCheckNodePort
  { name: 'TestHealthCheckNodePort: the firewall accepts the healthCheckNodePort', sourceIP: '1.2.3.4', destIP: '192.168.0.2', destPort: 30000, output: 'ACCEPT', masq: false },
]
function checkFlow(proxier: NodePortProxier, tc: FlowRow): void {
  const got = proxier.trace(tc)
  expect({ output: got.output, masq: got.masq }, flowMessage(tc, got, tc, { node: 'test-node', ...(tc.why ? { why: tc.why } : {}) })).toEqual({ output: tc.output, masq: tc.masq })
}

const CAPTURE_CHAINS: ChainRow[] = [
  {
    name: 'TestOverallIPTablesRules: KUBE-NODEPORTS sends each nodePort with endpoints to its KUBE-EXT chain',
    table: 'nat',
    chain: 'KUBE-NODEPORTS',
    want: [
      '-A KUBE-NODEPORTS -m comment --comment ns1/cluster:p80 -m tcp -p tcp --dport 3012 -j KUBE-EXT-KSVPJ3RQOETTII3X',
      '-A KUBE-NODEPORTS -m comment --comment ns1/draining:p80 -m tcp -p tcp --dport 3014 -j KUBE-EXT-P3WAVU2AOFTJPQ2P',
      '-A KUBE-NODEPORTS -m comment --comment ns1/local:p80 -m tcp -p tcp --dport 3011 -j KUBE-EXT-2CRF3RRPQQDDGG6U',
      '-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK',
    ],
  },
  {
    name: 'TestOverallIPTablesRules + TestNoEndpointsReject: KUBE-EXTERNAL-SERVICES drops svc2 (no local endpoints) and rejects empty (no endpoints)',
    table: 'filter',
    chain: 'KUBE-EXTERNAL-SERVICES',
    want: [
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/empty:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3013 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
    ],
  },
]

task('node-port-rules', () => {
  table(CAPTURE_CHAINS, (tc) => checkChain(CaptureOnly, tc))

  test('a ClusterIP Service gets no KUBE-NODEPORTS rule and no KUBE-EXT chain', () => {
    const p = goProxier(CaptureOnly)
    const text = p.rules.save()
    expect(text.match(/ns1\/internal:p80[^\n]*(KUBE-EXT|--dst-type LOCAL)/), `rules of ns1/internal:\n${text}`).toBeNull()
    expect(p.rules.lines('nat', 'KUBE-SERVICES').some((l) => l.includes('ns1/internal:p80 cluster IP')), 'its cluster IP rule is still there').toBe(true)
  })

  let proxier: NodePortProxier | undefined
  table(CAPTURE_FLOWS, (tc) => {
    proxier ??= goProxier(CaptureOnly)
    checkFlow(proxier, tc)
  })
})

const POLICY_CHAINS: ChainRow[] = [
  {
    name: 'TestOverallIPTablesRules: with externalTrafficPolicy Cluster the KUBE-EXT chain masquerades, then uses every endpoint',
    table: 'nat',
    chain: 'KUBE-EXT-X27LE4BHSL4DOUIK',
    want: [
      '-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK',
    ],
  },
  {
    name: 'TestOverallIPTablesRules: with externalTrafficPolicy Local and no local endpoint, KUBE-EXT only short-circuits pods and the node',
    table: 'nat',
    chain: 'KUBE-EXT-GNZBNJ2PO5MGZ6GT',
    want: [
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    ],
  },
  {
    name: 'with externalTrafficPolicy Local and a local endpoint, KUBE-EXT ends with a jump to KUBE-SVL — no masquerade',
    table: 'nat',
    chain: 'KUBE-EXT-2CRF3RRPQQDDGG6U',
    want: [
      '-A KUBE-EXT-2CRF3RRPQQDDGG6U -m comment --comment "pod traffic for ns1/local:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-2CRF3RRPQQDDGG6U',
      '-A KUBE-EXT-2CRF3RRPQQDDGG6U -m comment --comment "masquerade LOCAL traffic for ns1/local:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-2CRF3RRPQQDDGG6U -m comment --comment "route LOCAL traffic for ns1/local:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-2CRF3RRPQQDDGG6U',
      '-A KUBE-EXT-2CRF3RRPQQDDGG6U -j KUBE-SVL-2CRF3RRPQQDDGG6U',
    ],
  },
  {
    name: 'ns1/empty, a NodePort Service with no endpoints, gets no KUBE-EXT chain: kube-proxy writes it only when there are endpoints',
    table: 'nat',
    chain: serviceExternalChainName('ns1/empty:p80', 'tcp'),
    want: [],
  },
  {
    name: 'ns1/internal, a ClusterIP Service, gets no KUBE-EXT chain: no nodePort, external IP or load-balancer IP leads to it',
    table: 'nat',
    chain: serviceExternalChainName('ns1/internal:p80', 'tcp'),
    want: [],
  },
]

task('traffic-policy', () => {
  table(POLICY_CHAINS, (tc) => checkChain(PolicyOnly, tc))

  let proxier: NodePortProxier | undefined
  table(POLICY_FLOWS, (tc) => {
    proxier ??= goProxier(PolicyOnly)
    checkFlow(proxier, tc)
  })
})

// ---------------------------------------------------------------------------
// A kind cluster: kind-control-plane 172.18.0.2 (no app pods), kind-worker 172.18.0.3, kind-worker2 172.18.0.4.
const HTTP = [{ name: 'http', port: 8080 }]
const KIND_SERVICES: Service[] = [
  svc({ name: 'order', type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] }),
  svc({ name: 'kitchen', type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '10.96.0.22', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30081 }] }),
  svc({ name: 'menu', type: 'NodePort', clusterIP: '10.96.0.21', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30082 }] }),
]
const KIND_SLICES: EndpointSlice[] = [
  endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5', node: 'kind-worker' }, { ip: '10.244.2.7', node: 'kind-worker2' }], HTTP),
  endpointSlice('snackbar', 'kitchen', [{ ip: '10.244.1.9', node: 'kind-worker' }], HTTP),
  endpointSlice('snackbar', 'menu', [{ ip: '10.244.2.15', node: 'kind-worker2', ready: false }], HTTP),
]
function kindCluster(): NodePortCluster {
  const c = new NodePortCluster()
  c.sync(KIND_SERVICES, KIND_SLICES)
  return c
}
const OUTSIDE: Client = { ip: '203.0.113.7' }

function connectionText(c: Connection): string {
  const seen = c.clientIPSeenByPod ? `, the pod sees client ${c.clientIPSeenByPod}` : ''
  return `${c.result}${c.endpoint ? ` (endpoint ${c.endpoint})` : ''}${seen}; handled by ${c.handledBy ?? 'no node'}, rules: ${c.verdict.output || '(no match)'}`
}

interface ClusterRow {
  name: string
  client: Client
  dest: string
  port: number
  result: Connection['result']
  /** The client address the pod sees, or how it follows from the endpoint chosen. */
  seen?: string | null | ((endpoint: string | null) => string)
  endpoints?: string[]
}
/** Each node's address on the pod network: the host end of its pods' `ptp` veths, the first IP of its podCIDR. */
const POD_GATEWAY: Record<string, string> = { 'kind-control-plane': '10.244.0.1', 'kind-worker': '10.244.1.1', 'kind-worker2': '10.244.2.1' }
/** MASQUERADE on kind-worker: the pod on kind-worker (10.244.1.5) is reached through its veth, the one on kind-worker2 through eth0. */
const masqueradedByKindWorker = (endpoint: string | null) => (endpoint === '10.244.1.5:8080' ? POD_GATEWAY['kind-worker']! : '172.18.0.3')
const CLUSTER_ROWS: ClusterRow[] = [
  {
    name: 'the nodePort is open on kind-control-plane too, which runs no order pod (ETP Cluster); the pod sees 172.18.0.2',
    client: OUTSIDE,
    dest: '172.18.0.2',
    port: 30080,
    result: 'connected',
    seen: '172.18.0.2',
    endpoints: ['10.244.1.5:8080', '10.244.2.7:8080'],
  },
  {
    name: "order via kind-worker (172.18.0.3): connected; the pod on kind-worker sees 10.244.1.1 (the node's end of its veth), the one on kind-worker2 the node IP 172.18.0.3",
    client: OUTSIDE,
    dest: '172.18.0.3',
    port: 30080,
    result: 'connected',
    seen: masqueradedByKindWorker,
  },
  {
    name: "order via kind-worker2 (172.18.0.4): connected; the pod on kind-worker2 sees 10.244.2.1, the one on kind-worker the node IP 172.18.0.4",
    client: OUTSIDE,
    dest: '172.18.0.4',
    port: 30080,
    result: 'connected',
    seen: (endpoint) => (endpoint === '10.244.2.7:8080' ? POD_GATEWAY['kind-worker2']! : '172.18.0.4'),
  },
  {
    name: 'kitchen (ETP Local) via kind-worker, where its pod runs: connected and the pod sees the real client 203.0.113.7',
    client: OUTSIDE,
    dest: '172.18.0.3',
    port: 30081,
    result: 'connected',
    seen: '203.0.113.7',
    endpoints: ['10.244.1.9:8080'],
  },
  { name: 'kitchen (ETP Local) via kind-worker2, which has no kitchen pod: dropped, the client times out', client: OUTSIDE, dest: '172.18.0.4', port: 30081, result: 'timeout' },
  { name: 'kitchen (ETP Local) via kind-control-plane: dropped, the client times out', client: OUTSIDE, dest: '172.18.0.2', port: 30081, result: 'timeout' },
  {
    name: "a pod on kind-worker2 using kind-worker2's own IP for kitchen is short-circuited to the pod on kind-worker, unmasqueraded",
    client: { ip: '10.244.2.20', node: 'kind-worker2' },
    dest: '172.18.0.4',
    port: 30081,
    result: 'connected',
    seen: '10.244.2.20',
    endpoints: ['10.244.1.9:8080'],
  },
  {
    name: "a pod on kind-worker2 using kind-worker's IP for kitchen (ETP Local) leaves kind-worker2 masqueraded by kindnet (KIND-MASQ-AGENT): external traffic on kind-worker, whose pod sees 172.18.0.4",
    client: { ip: '10.244.2.20', node: 'kind-worker2' },
    dest: '172.18.0.3',
    port: 30081,
    result: 'connected',
    seen: '172.18.0.4',
    endpoints: ['10.244.1.9:8080'],
  },
  {
    name: "a pod on kind-worker using kind-worker2's IP for kitchen (ETP Local) arrives from 172.18.0.3, not the pod network: kind-worker2 has no kitchen pod and DROPs it, the client times out",
    client: { ip: '10.244.1.20', node: 'kind-worker' },
    dest: '172.18.0.4',
    port: 30081,
    result: 'timeout',
  },
  {
    name: "a pod on kind-worker using kind-control-plane's IP for order is handled by kind-control-plane, not its own node (a node catches only nodePorts of its own addresses): the pod sees 172.18.0.2",
    client: { ip: '10.244.1.20', node: 'kind-worker' },
    dest: '172.18.0.2',
    port: 30080,
    result: 'connected',
    seen: '172.18.0.2',
    endpoints: ['10.244.1.5:8080', '10.244.2.7:8080'],
  },
  { name: 'menu has no ready endpoint: REJECTed, curl says connection refused', client: OUTSIDE, dest: '172.18.0.3', port: 30082, result: 'refused' },
  { name: 'a port that is no nodePort on a live node is closed: connection refused', client: OUTSIDE, dest: '172.18.0.3', port: 30999, result: 'refused' },
  {
    name: 'a process on kind-worker reaches order on 127.0.0.1:30080, masqueraded to the address it leaves kind-worker by',
    client: { ip: '127.0.0.1', node: 'kind-worker' },
    dest: '127.0.0.1',
    port: 30080,
    result: 'connected',
    seen: masqueradedByKindWorker,
  },
  { name: 'a cluster IP is not reachable from outside the cluster: the client times out', client: OUTSIDE, dest: '10.96.0.20', port: 80, result: 'timeout', seen: null },
]

task('every-node', () => {
  table(CLUSTER_ROWS, (tc) => {
    const c = kindCluster()
    const got = c.connect(tc.client, { ip: tc.dest, port: tc.port })
    const flow = flowText({ sourceIP: tc.client.ip, destIP: tc.dest, destPort: tc.port })
    expect(got.result, `${flow}: ${connectionText(got)}`).toBe(tc.result)
    const seen = typeof tc.seen === 'function' ? tc.seen(got.endpoint) : tc.seen
    if (seen !== undefined) expect(got.clientIPSeenByPod, `${flow}: client address seen by the pod — ${connectionText(got)}`).toBe(seen)
    if (tc.endpoints) expect(tc.endpoints, `${flow}: ${connectionText(got)}`).toContain(got.endpoint)
  })

  test('kind-worker2 goes down: clients using 172.18.0.4 find no route to it, while 172.18.0.2 and 172.18.0.3 still answer', () => {
    const c = kindCluster()
    c.nodeDown('kind-worker2')
    const dead = c.connect(OUTSIDE, { ip: '172.18.0.4', port: 30080 })
    expect(dead.result, `via the dead node: ${connectionText(dead)}`).toBe('unreachable')
    // order's pod on kind-worker2 is still an endpoint until the node controller marks it not ready.
    const results = Array.from({ length: 20 }, (_, i) => c.connect(OUTSIDE, { ip: i % 2 ? '172.18.0.2' : '172.18.0.3', port: 30080 }, i))
    const ok = results.filter((r) => r.result === 'connected')
    expect(ok.length > 0 && ok.every((r) => r.endpoint === '10.244.1.5:8080'), `via live nodes:\n${bullets(results.map(connectionText))}`).toBe(true)
    const lost = results.filter((r) => r.result !== 'connected')
    expect(lost.every((r) => r.endpoint === '10.244.2.7:8080' && r.result === 'unreachable'), `a connection DNATed to the dead node's pod finds no route to host:\n${bullets(lost.map(connectionText))}`).toBe(true)
  })

  test("once the dead node's pod leaves the EndpointSlice, every connection through a live node succeeds", () => {
    const c = kindCluster()
    c.nodeDown('kind-worker2')
    c.sync(KIND_SERVICES, [endpointSlice('snackbar', 'order', [{ ip: '10.244.1.5', node: 'kind-worker' }], HTTP), ...KIND_SLICES.slice(1)])
    const results = Array.from({ length: 10 }, (_, i) => c.connect(OUTSIDE, { ip: '172.18.0.2', port: 30080 }, i))
    expect(results.map((r) => r.result), `via kind-control-plane:\n${bullets(results.map(connectionText))}`).toEqual(Array(10).fill('connected'))
  })

  test('a node that comes back answers on its IP again', () => {
    const c = kindCluster()
    c.nodeDown('kind-worker')
    expect(c.connect(OUTSIDE, { ip: '172.18.0.3', port: 30081 }).result, 'kitchen via dead kind-worker').toBe('unreachable')
    c.nodeUp('kind-worker')
    const back = c.connect(OUTSIDE, { ip: '172.18.0.3', port: 30081 })
    expect(back.result, `kitchen via kind-worker after it came back: ${connectionText(back)}`).toBe('connected')
  })

  table(
    [
      { name: 'masqueraded by kind-worker to its pod on kind-worker: the pod sees 10.244.1.1, the address of the veth the packet leaves by (ptp)', via: '172.18.0.3', podIP: '10.244.1.5', podNode: 'kind-worker', seen: '10.244.1.1' },
      { name: 'masqueraded by kind-worker to a pod on kind-worker2: the pod sees 172.18.0.3, the address of eth0', via: '172.18.0.3', podIP: '10.244.2.7', podNode: 'kind-worker2', seen: '172.18.0.3' },
      { name: 'masqueraded by kind-worker2 to its pod on kind-worker2: the pod sees 10.244.2.1', via: '172.18.0.4', podIP: '10.244.2.7', podNode: 'kind-worker2', seen: '10.244.2.1' },
      { name: 'masqueraded by kind-control-plane to a pod on kind-worker: the pod sees 172.18.0.2', via: '172.18.0.2', podIP: '10.244.1.5', podNode: 'kind-worker', seen: '172.18.0.2' },
    ],
    (tc) => {
      const c = new NodePortCluster()
      c.sync([KIND_SERVICES[0]!], [endpointSlice('snackbar', 'order', [{ ip: tc.podIP, node: tc.podNode }], HTTP)])
      const got = c.connect(OUTSIDE, { ip: tc.via, port: 30080 })
      expect(got.clientIPSeenByPod, `${tc.via}:30080 with the only pod ${tc.podIP} on ${tc.podNode}: ${connectionText(got)}`).toBe(tc.seen)
    },
  )

  table(
    [
      {
        name: "a pod on kind-worker whose Service's endpoint is kind-worker2's own address (a hostNetwork pod) is DNATed there and masqueraded by kindnet: the endpoint sees 172.18.0.3",
        endpoint: { ip: '172.18.0.4', node: 'kind-worker2' },
        seen: '172.18.0.3',
      },
      {
        name: "a pod on kind-worker whose Service's endpoint is kind-worker's own address stays on kind-worker: the endpoint sees the pod's own IP",
        endpoint: { ip: '172.18.0.3', node: 'kind-worker' },
        seen: '10.244.1.20',
      },
    ],
    (tc) => {
      const c = new NodePortCluster()
      const metrics = svc({ name: 'metrics', clusterIP: '10.96.0.30', ports: [{ name: 'http', port: 80, targetPort: 8080 }] })
      c.sync([metrics], [endpointSlice('snackbar', 'metrics', [tc.endpoint], HTTP)])
      const got = c.connect({ ip: '10.244.1.20', node: 'kind-worker' }, { ip: '10.96.0.30', port: 80 })
      const flow = flowText({ sourceIP: '10.244.1.20', destIP: '10.96.0.30', destPort: 80 })
      expect([got.result, got.endpoint], `${flow}: ${connectionText(got)}`).toEqual(['connected', `${tc.endpoint.ip}:8080`])
      expect(got.clientIPSeenByPod, `${flow}: kube-proxy does not mark pod traffic to a cluster IP; KIND-MASQ-AGENT masquerades what leaves for an address outside 10.244.0.0/16 — ${connectionText(got)}`).toBe(tc.seen)
    },
  )

  // One connection, in a cluster set up for the row: kind's three nodes, KIND_SERVICES and
  // KIND_SLICES unless the row says otherwise, with the nodes in `down` powered off.
  const NO_RULE = { output: '', masq: false, matched: [] }
  const pay = svc({ name: 'pay', clusterIP: '10.96.0.40', externalIPs: ['172.18.0.4'], ports: [{ name: 'http', port: 80, targetPort: 8080 }] })
  const paySlice = endpointSlice('snackbar', 'pay', [{ ip: '10.244.1.5', node: 'kind-worker' }], HTTP)
  const kitchenLB = svc({ name: 'kitchen', type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000, clusterIP: '10.96.0.22', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30081 }] })
  const POD_ON_WORKER: Client = { ip: '10.244.1.20', node: 'kind-worker' }
  table<{
    name: string
    nodes?: ClusterNode[]
    services?: Service[]
    slices?: EndpointSlice[]
    down?: string[]
    client: Client
    dest: Destination
    want: Partial<Pick<Connection, 'result' | 'handledBy' | 'endpoint' | 'clientIPSeenByPod' | 'verdict'>>
  }>(
    [
      {
        name: 'a cluster IP from outside the cluster: no node handles the connection, no rule matched, the client times out',
        client: OUTSIDE,
        dest: { ip: '10.96.0.20', port: 80 },
        want: { result: 'timeout', handledBy: null, endpoint: null, verdict: NO_RULE },
      },
      {
        name: 'kitchen (ETP Local) via kind-worker2 while kind-worker2 is down: no route to host — a dead node runs no rules, not even its DROP',
        down: ['kind-worker2'],
        client: OUTSIDE,
        dest: { ip: '172.18.0.4', port: 30081 },
        want: { result: 'unreachable', handledBy: 'kind-worker2', endpoint: null, verdict: NO_RULE },
      },
      {
        name: "a pod on kind-worker using dead kind-worker2's address for order: its own node does not catch it, and the packet finds no route to host",
        down: ['kind-worker2'],
        client: POD_ON_WORKER,
        dest: { ip: '172.18.0.4', port: 30080 },
        want: { result: 'unreachable', handledBy: 'kind-worker2', endpoint: null, verdict: NO_RULE },
      },
      {
        name: "UDP to order's nodePort 30080, a TCP port: no rule matches the protocol, the node's closed port answers: connection refused",
        client: OUTSIDE,
        dest: { ip: '172.18.0.3', port: 30080, protocol: 'UDP' },
        want: { result: 'refused', endpoint: null },
      },
      {
        name: 'a process on kind-worker to 127.0.0.1 on a port that is no nodePort: the closed port answers, connection refused',
        client: { ip: '127.0.0.1', node: 'kind-worker' },
        dest: { ip: '127.0.0.1', port: 30999 },
        want: { result: 'refused', handledBy: 'kind-worker' },
      },
      {
        name: "a pod on kind-worker to a port order's cluster IP does not declare: no rule, no node owns the address, the client times out",
        client: POD_ON_WORKER,
        dest: { ip: '10.96.0.20', port: 81 },
        want: { result: 'timeout', handledBy: 'kind-worker', endpoint: null },
      },
      {
        name: "an IPv6 address whose last 32 bits spell kind-worker's IPv4 address (::ac12:3) is no node's address: the client times out",
        client: OUTSIDE,
        dest: { ip: '::ac12:3', port: 30080 },
        want: { result: 'timeout', handledBy: null },
      },
      {
        name: 'connect takes addresses, not names: order.snackbar from outside reaches no node and the client times out',
        client: OUTSIDE,
        dest: { ip: 'order.snackbar', port: 80 },
        want: { result: 'timeout', handledBy: null },
      },
      {
        name: 'connect takes addresses, not names: a pod on kind-worker sending to order.snackbar matches no rule and times out',
        client: POD_ON_WORKER,
        dest: { ip: 'order.snackbar', port: 80 },
        want: { result: 'timeout', handledBy: 'kind-worker' },
      },
      {
        name: "an external IP that is kind-worker2's address, from outside: kind-worker2 owns the address and DNATs the connection",
        services: [pay],
        slices: [paySlice],
        client: OUTSIDE,
        dest: { ip: '172.18.0.4', port: 80 },
        want: { result: 'connected', handledBy: 'kind-worker2', endpoint: '10.244.1.5:8080' },
      },
      {
        name: "an external IP that is kind-worker2's address, from a pod on kind-worker: every node captures external IPs, so kind-worker's own rules DNAT it",
        services: [pay],
        slices: [paySlice],
        client: POD_ON_WORKER,
        dest: { ip: '172.18.0.4', port: 80 },
        want: { result: 'connected', handledBy: 'kind-worker', endpoint: '10.244.1.5:8080' },
      },
      {
        name: "a load balancer's health check on kitchen's healthCheckNodePort 32000 is ACCEPTed by the node's firewall: connected, no pod behind it",
        services: [kitchenLB],
        slices: [KIND_SLICES[1]!],
        client: OUTSIDE,
        dest: { ip: '172.18.0.2', port: 32000 },
        want: { result: 'connected', handledBy: 'kind-control-plane', endpoint: null },
      },
      {
        name: 'an endpoint whose nodeName is no node of the cluster (a node already deleted) is still DNATed to and answers',
        services: [KIND_SERVICES[0]!],
        slices: [endpointSlice('snackbar', 'order', [{ ip: '10.244.5.5', node: 'kind-worker9' }], HTTP)],
        client: OUTSIDE,
        dest: { ip: '172.18.0.3', port: 30080 },
        want: { result: 'connected', endpoint: '10.244.5.5:8080', clientIPSeenByPod: '172.18.0.3' },
      },
      {
        name: "a node registered with its own spec.podCIDR: its pod sees the first address of that podCIDR (kind-worker with 10.244.2.0/24: 10.244.2.1)",
        nodes: DEFAULT_NODES.map((n, i) => ({ name: n.name, internalIP: n.internalIP, podCIDR: `10.244.${[0, 2, 1][i]}.0/24` })),
        services: [KIND_SERVICES[0]!],
        slices: [endpointSlice('snackbar', 'order', [{ ip: '10.244.2.5', node: 'kind-worker' }], HTTP)],
        client: OUTSIDE,
        dest: { ip: '172.18.0.3', port: 30080 },
        want: { result: 'connected', endpoint: '10.244.2.5:8080', clientIPSeenByPod: '10.244.2.1' },
      },
    ],
    (tc) => {
      const c = new NodePortCluster(tc.nodes)
      c.sync(tc.services ?? KIND_SERVICES, tc.slices ?? KIND_SLICES)
      for (const n of tc.down ?? []) c.nodeDown(n)
      const got = c.connect(tc.client, tc.dest)
      const shown = Object.fromEntries(Object.keys(tc.want).map((k) => [k, got[k as keyof Connection]]))
      const flow = flowText({ sourceIP: tc.client.ip, destIP: tc.dest.ip, destPort: tc.dest.port })
      expect(shown, `${flow}${tc.dest.protocol ? ` (${tc.dest.protocol})` : ''}${tc.down ? ` with ${tc.down.join(', ')} down` : ''}: ${connectionText(got)}`).toEqual(tc.want)
    },
  )

  test('every node of the cluster answers on every nodePort with ETP Cluster, whichever node the pods are on (property)', () => {
    const nodeOf: Record<string, string> = { '172.18.0.2': 'kind-control-plane', '172.18.0.3': 'kind-worker', '172.18.0.4': 'kind-worker2' }
    fc.assert(
      fc.property(fc.constantFrom('172.18.0.2', '172.18.0.3', '172.18.0.4'), fc.constantFrom('kind-worker', 'kind-worker2', 'kind-control-plane'), fc.integer({ min: 0, max: 1000 }), (nodeIP, podNode, at) => {
        const c = new NodePortCluster()
        c.sync([KIND_SERVICES[0]!], [endpointSlice('snackbar', 'order', [{ ip: '10.244.9.9', node: podNode }], HTTP)])
        const got = c.connect(OUTSIDE, { ip: nodeIP, port: 30080 }, at)
        const seen = nodeOf[nodeIP] === podNode ? POD_GATEWAY[podNode] : nodeIP
        expect([got.result, got.endpoint, got.clientIPSeenByPod], `${nodeIP}:30080 with the only pod on ${podNode}: ${connectionText(got)}`).toEqual(['connected', '10.244.9.9:8080', seen])
      }),
      { seed: 7007, numRuns: 30 },
    )
  })
})

// ---------------------------------------------------------------------------
task('port-allocator', () => {
  table(
    [
      { name: 'a range of 16 ports keeps no static band', size: 16, want: 0 },
      { name: 'a range of 17 ports keeps the minimum static band of 16', size: 17, want: 16 },
      { name: 'a range of 512 ports keeps 512/32 = 16', size: 512, want: 16 },
      { name: 'a range of 1024 ports keeps 1024/32 = 32', size: 1024, want: 32 },
      { name: 'the default 30000-32767 (2768 ports) keeps 86: static band 30000–30085', size: 2768, want: 86 },
      { name: 'a range of 4096 ports keeps the maximum of 128', size: 4096, want: 128 },
      { name: 'a range of 65535 ports is capped at 128', size: 65535, want: 128 },
    ],
    (tc) => {
      const got = calculateRangeOffset({ base: 30000, size: tc.size })
      expect(got, `static band of a ${tc.size}-port range: min(max(16, size/32), 128), 0 when size ≤ 16`).toBe(tc.want)
    },
  )

  table(
    [
      { name: 'parsePortRange reads 30000-32767 as 2768 ports from 30000', text: '30000-32767', want: { base: 30000, size: 2768 }, shown: '30000-32767' },
      { name: 'parsePortRange reads base+offset: 30000+2767', text: '30000+2767', want: { base: 30000, size: 2768 }, shown: '30000-32767' },
      { name: 'parsePortRange reads a single port as a range of one', text: '8080', want: { base: 8080, size: 1 }, shown: '8080-8080' },
      { name: 'parsePortRange trims the flag value: " 30000-32767 " is the default range', text: ' 30000-32767 ', want: { base: 30000, size: 2768 }, shown: '30000-32767' },
      { name: 'parsePortRange reads an empty flag value as the empty range, printed as nothing', text: '', want: { base: 0, size: 0 }, shown: '' },
      { name: 'parsePortRange accepts 65535, the highest port, as a range of one', text: '65535', want: { base: 65535, size: 1 }, shown: '65535-65535' },
      { name: 'parsePortRange reads 0-65535 as every port, 65536 of them', text: '0-65535', want: { base: 0, size: 65536 }, shown: '0-65535' },
      { name: 'parsePortRange reads 30000-30000 as a range of one', text: '30000-30000', want: { base: 30000, size: 1 }, shown: '30000-30000' },
      { name: 'parsePortRange reads 65000+535 as the range up to 65535', text: '65000+535', want: { base: 65000, size: 536 }, shown: '65000-65535' },
    ],
    (tc) => {
      expect(parsePortRange(tc.text), `--service-node-port-range=${tc.text}`).toEqual(tc.want)
      expect(formatPortRange(tc.want), 'PortRange.String()').toBe(tc.shown)
    },
  )

  // PortRange.Set of k8s.io/apimachinery/pkg/util/net/port_range.go: what
  // kube-apiserver --service-node-port-range=<text> prints before it refuses to start.
  table(
    [
      { name: 'parsePortRange refuses a range whose end is below its start', text: '32767-30000', want: 'end port cannot be less than start port: 32767-30000' },
      { name: 'parsePortRange reads the end of 30000--1 as -1 and refuses it as below the start', text: '30000--1', want: 'end port cannot be less than start port: 30000--1' },
      { name: 'parsePortRange refuses an end above 65535: 30000-70000', text: '30000-70000', want: 'the port range cannot be greater than 65535: 30000-70000' },
      { name: 'parsePortRange refuses a start above 65535 even when the end is below it: 70000-30000', text: '70000-30000', want: 'the port range cannot be greater than 65535: 70000-30000' },
      { name: 'parsePortRange refuses a single port above 65535: 70000', text: '70000', want: 'the port range cannot be greater than 65535: 70000' },
      { name: 'parsePortRange refuses 65535+1, whose end would be 65536', text: '65535+1', want: 'the port range cannot be greater than 65535: 65535+1' },
      { name: 'parsePortRange refuses 30000- with the error of strconv.Atoi on the empty end', text: '30000-', want: 'strconv.Atoi: parsing "": invalid syntax' },
      { name: 'parsePortRange refuses -32767 with the error of strconv.Atoi on the empty start', text: '-32767', want: 'strconv.Atoi: parsing "": invalid syntax' },
      { name: 'parsePortRange refuses a-b with the error of strconv.Atoi on its start', text: 'a-b', want: 'strconv.Atoi: parsing "a": invalid syntax' },
      { name: 'parsePortRange refuses 30000-x with the error of strconv.Atoi on its end', text: '30000-x', want: 'strconv.Atoi: parsing "x": invalid syntax' },
      { name: 'parsePortRange refuses 30000+x with the error of strconv.Atoi on its offset', text: '30000+x', want: 'strconv.Atoi: parsing "x": invalid syntax' },
      { name: 'parsePortRange refuses a word with the error of strconv.Atoi: thirty', text: 'thirty', want: 'strconv.Atoi: parsing "thirty": invalid syntax' },
      { name: 'parsePortRange refuses a number too big for a Go int as out of range', text: '99999999999999999999', want: 'strconv.Atoi: parsing "99999999999999999999": value out of range' },
      { name: 'parsePortRange refuses a range written with both - and +: 30000-32767+1', text: '30000-32767+1', want: 'unable to parse port range: 30000-32767+1' },
      { name: 'parsePortRange refuses 30000-32767x: strconv.Atoi wants digits up to the end', text: '30000-32767x', want: 'strconv.Atoi: parsing "32767x": invalid syntax' },
      { name: 'parsePortRange refuses x30000: strconv.Atoi wants digits from the start', text: 'x30000', want: 'strconv.Atoi: parsing "x30000": invalid syntax' },
      { name: 'parsePortRange refuses 9223372036854775808, one past the largest Go int, as out of range', text: '9223372036854775808', want: 'strconv.Atoi: parsing "9223372036854775808": value out of range' },
      { name: 'parsePortRange reads 9223372036854775807, the largest Go int, and refuses it as above 65535', text: '9223372036854775807', want: 'the port range cannot be greater than 65535: 9223372036854775807' },
      { name: 'parsePortRange refuses an end one below the smallest Go int as out of range: 30000--9223372036854775809', text: '30000--9223372036854775809', want: 'strconv.Atoi: parsing "-9223372036854775809": value out of range' },
      { name: 'parsePortRange reads an end of -9223372036854775808, the smallest Go int, and refuses it as below the start', text: '30000--9223372036854775808', want: 'end port cannot be less than start port: 30000--9223372036854775808' },
    ],
    (tc) => {
      expect(() => parsePortRange(tc.text), `--service-node-port-range=${tc.text}`).toThrow(exactly(tc.want))
    },
  )

  test('TestAllocate: 10000-10200 hands out all 201 ports once, then is full; a released port comes back', () => {
    const pr = parsePortRange('10000-10200')
    const r = new PortAllocator(pr, 5)
    expect([r.free(), r.used()], '[free, used] of a new 10000-10200').toEqual([201, 0])
    const seen = new Set<number>()
    while (r.free() > 0) {
      const p = r.allocateNext()
      expect(p >= 10000 && p <= 10200, `allocateNext returned ${p}, outside 10000-10200`).toBe(true)
      expect(seen.has(p), `allocateNext returned ${p} twice`).toBe(false)
      seen.add(p)
    }
    expect(() => r.allocateNext(), '10000-10200 with every port taken').toThrow(ErrFull)
    expect(() => r.allocateNext()).toThrow(exactly('range is full'))
    r.release(10005)
    expect([r.free(), r.used()], 'after releasing 10005').toEqual([1, 200])
    expect(r.allocateNext(), 'the only free port').toBe(10005)
    r.release(10005)
    for (const p of [1, 20000, 10201]) expect(() => r.allocate(p), `allocate(${p}) on 10000-10200`).toThrow(ErrNotInRange)
    expect(() => r.allocate(1)).toThrow(exactly('provided port is not in the valid range. The range of valid ports is 10000-10200'))
    expect(() => r.allocate(10001), 'allocate(10001), already taken').toThrow(ErrAllocated)
    expect(() => r.allocate(10001)).toThrow(exactly('provided port is already allocated'))
    r.allocate(10005)
    expect([r.free(), r.used(), r.has(10005)]).toEqual([0, 201, true])
  })

  test('ForEach visits every taken port once, lowest first', () => {
    const r = new PortAllocator(parsePortRange('30000-30063'))
    for (const p of [30063, 30005, 30000, 30017]) r.allocate(p)
    const seen: number[] = []
    r.forEach((p) => seen.push(p))
    expect(seen, 'ports visited by forEach after allocating 30063, 30005, 30000 and 30017').toEqual([30000, 30005, 30017, 30063])
  })

  test('the allocator errors carry the names of portallocator\'s errors: ErrFull, ErrAllocated, ErrNotInRange', () => {
    const r = new PortAllocator(parsePortRange('30000-30000'))
    r.allocate(30000)
    const names = [() => r.allocateNext(), () => r.allocate(30000), () => r.allocate(29999)].map((f) => {
      try {
        f()
      } catch (e) {
        return (e as Error).name
      }
      return 'no error'
    })
    expect(names, 'error names of allocateNext on a full range, allocate of a taken port, allocate outside the range').toEqual(['ErrFull', 'ErrAllocated', 'ErrNotInRange'])
  })

  table(
    [
      { name: 'releasing a free port of the range changes nothing: used and free stay as they were', port: 30005 },
      { name: 'releasing a port below the range changes nothing', port: 29999 },
      { name: 'releasing a port above the range changes nothing', port: 30100 },
    ],
    (tc) => {
      const r = new PortAllocator(parsePortRange('30000-30099'))
      r.allocate(30004)
      r.release(tc.port)
      expect([r.used(), r.free(), r.has(30004)], `[used, free, has(30004)] after release(${tc.port})`).toEqual([1, 99, true])
    },
  )

  test('the default range: 300 dynamic nodePorts all land in 30086–32767, leaving the static band 30000–30085 to Services that ask', () => {
    const r = new PortAllocator()
    expect([r.portRange, r.offset, r.free()], '[range, offset, free] of the default allocator').toEqual([{ base: NODE_PORT_RANGE.base, size: NODE_PORT_RANGE.size }, 86, 2768])
    const low: number[] = []
    for (let i = 0; i < 300; i++) {
      const p = r.allocateNext()
      if (p < 30086) low.push(p)
    }
    expect(low, `dynamic nodePorts in the static band:\n${bullets(low.map(String))}`).toEqual([])
  })

  test('when the upper band is full, dynamic allocation falls back to the static band', () => {
    const r = new PortAllocator(parsePortRange('30000-30099'))
    expect(r.offset, 'offset of a 100-port range').toBe(16)
    const got: number[] = []
    for (let i = 0; i < 84; i++) got.push(r.allocateNext())
    expect(got.filter((p) => p < 30016), 'the first 84 dynamic ports avoid 30000–30015').toEqual([])
    const next = r.allocateNext()
    expect(next >= 30000 && next <= 30015, `the 85th dynamic port ${next} comes from the static band`).toBe(true)
  })

  test('no nodePort is ever handed out twice, or outside the range, across random allocate/release sequences (property)', () => {
    type Op = { kind: 'next' } | { kind: 'take'; port: number } | { kind: 'release'; port: number }
    const port = fc.integer({ min: 29998, max: 30065 })
    const op = fc.oneof(
      fc.constant<Op>({ kind: 'next' }),
      port.map((p): Op => ({ kind: 'take', port: p })),
      port.map((p): Op => ({ kind: 'release', port: p })),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
        const r = new PortAllocator(parsePortRange('30000-30063'), seed)
        const held = new Set<number>()
        for (const o of ops) {
          if (o.kind === 'next') {
            if (held.size === 64) {
              expect(() => r.allocateNext(), 'allocateNext on a full range').toThrow(ErrFull)
              continue
            }
            const p = r.allocateNext()
            expect(p >= 30000 && p <= 30063 && !held.has(p), `allocateNext returned ${p} (held: ${[...held].sort().join(',')})`).toBe(true)
            held.add(p)
          } else if (o.kind === 'take') {
            if (o.port < 30000 || o.port > 30063) expect(() => r.allocate(o.port), `allocate(${o.port})`).toThrow(ErrNotInRange)
            else if (held.has(o.port)) expect(() => r.allocate(o.port), `allocate(${o.port}) twice`).toThrow(ErrAllocated)
            else {
              r.allocate(o.port)
              held.add(o.port)
            }
          } else {
            r.release(o.port)
            held.delete(o.port)
          }
          expect(r.used(), 'used after each step').toBe(held.size)
        }
      }),
      { seed: 707, numRuns: 80 },
    )
  })
})


// ---------------------------------------------------------------------------
task('node-port-registry', () => {
  table(
    [
      { name: 'a ClusterIP Service gets no nodePort', type: 'ClusterIP' as const, extra: {} },
      { name: 'an ExternalName Service gets no nodePort', type: 'ExternalName' as const, extra: { externalName: 'pay.example.com' } },
    ],
    (tc) => {
      const alloc = new PortAllocator()
      const got = allocateServiceNodePorts(service('order', tc.type, [{ name: 'http', port: 80 }], tc.extra), alloc)
      expect([nodePorts(got), alloc.used()], `${tc.type} order: [nodePorts, allocated]`).toEqual([[undefined], 0])
    },
  )

  test('a LoadBalancer with externalTrafficPolicy Local also gets a healthCheckNodePort; a NodePort does not', () => {
    const alloc = new PortAllocator()
    const lb = allocateServiceNodePorts(service('order', 'LoadBalancer', [{ name: 'http', port: 80 }], { externalTrafficPolicy: 'Local' }), alloc)
    const hc = lb.spec!.healthCheckNodePort
    expect(hc !== undefined && hc >= 30000 && hc <= 32767 && hc !== nodePorts(lb)[0], `healthCheckNodePort ${hc}`).toBe(true)
    expect(alloc.used(), 'nodePort + healthCheckNodePort').toBe(2)
    const np = allocateServiceNodePorts(service('menu', 'NodePort', [{ name: 'http', port: 80 }], { externalTrafficPolicy: 'Local' }), alloc)
    expect(np.spec!.healthCheckNodePort, 'NodePort menu with Local policy').toBeUndefined()
  })

  // allocHealthCheckNodePort of storage/alloc.go: its errors are 500s, and the nodePorts taken are given back.
  table(
    [
      {
        name: 'a LoadBalancer asking for healthCheckNodePort 30090, which another Service holds: Internal error occurred: failed to allocate requested HealthCheck NodePort 30090: provided port is already allocated',
        range: '30000-32767',
        healthCheckNodePort: 30090,
        want: 'Internal error occurred: failed to allocate requested HealthCheck NodePort 30090: provided port is already allocated',
      },
      {
        name: 'a LoadBalancer whose nodePort takes the last free port: Internal error occurred: failed to allocate a HealthCheck NodePort 0: range is full',
        range: '30000-30001',
        healthCheckNodePort: undefined,
        want: 'Internal error occurred: failed to allocate a HealthCheck NodePort 0: range is full',
      },
    ],
    (tc) => {
      const alloc = new PortAllocator(parsePortRange(tc.range))
      allocateServiceNodePorts(service('menu', 'NodePort', [{ name: 'http', port: 80, nodePort: tc.range === '30000-32767' ? 30090 : 30001 }]), alloc)
      const lb = service('order', 'LoadBalancer', [{ name: 'http', port: 80 }], { externalTrafficPolicy: 'Local', ...(tc.healthCheckNodePort ? { healthCheckNodePort: tc.healthCheckNodePort } : {}) })
      const err = statusOf(() => allocateServiceNodePorts(lb, alloc))
      expect([err.code, err.message], 'LoadBalancer order with externalTrafficPolicy Local').toEqual([500, tc.want])
      expect(alloc.used(), "only menu's nodePort is still allocated: order's nodePort was given back").toBe(1)
    },
  )

  test('changing type NodePort → ClusterIP releases the nodePorts and wipes them from the Service', () => {
    const alloc = new PortAllocator()
    const old = allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }]), alloc)
    const changed = structuredClone(old)
    changed.spec!.type = 'ClusterIP'
    delete changed.spec!.externalTrafficPolicy
    const got = updateServiceNodePorts(old, changed, alloc)
    expect([nodePorts(got), alloc.has(30080)], '[nodePorts, 30080 still allocated]').toEqual([[undefined], false])
  })

  test('an update that keeps its nodePort does not allocate it again; a new port gets a new one; a dropped port is released', () => {
    const alloc = new PortAllocator()
    const old = allocateServiceNodePorts(service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'admin', port: 9000, nodePort: 30900 }]), alloc)
    const changed = structuredClone(old)
    changed.spec!.ports = [old.spec!.ports![0]!, { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }]
    const got = updateServiceNodePorts(old, changed, alloc)
    const [http, https] = nodePorts(got)
    expect([http, https !== undefined && https >= 30086, alloc.has(30900), alloc.used()], '[http, https allocated, 30900 held, used]').toEqual([30080, true, false, 2])
  })

  // txnUpdateNodePorts, updateNodePorts and updateHealthCheckNodePort of
  // pkg/registry/core/service/storage/alloc.go: allocations happen at once and are undone
  // if the update fails; releases wait until it succeeds.
  type UpdateRow = {
    name: string
    /** The stored Service (created first), and another Service holding 30090. */
    old: Service
    /** What the update asks for, from the stored Service. */
    change: (s: Service) => void
    /** The update's error, or undefined when it succeeds. */
    error?: string
    /** Ports the allocator must hold, and must not hold, afterwards. */
    held: number[]
    freed: number[]
    /** On success: the nodePorts and the healthCheckNodePort of the stored Service. */
    nodePorts?: (number | undefined)[]
    healthCheckNodePort?: number | 'new' | undefined
  }
  const withPolicy = (policy: 'Local' | 'Cluster', hc?: number) => (s: Service) => {
    s.spec!.externalTrafficPolicy = policy
    if (hc === undefined) delete s.spec!.healthCheckNodePort
    else s.spec!.healthCheckNodePort = hc
  }
  table<UpdateRow>(
    [
      {
        name: 'an update that moves http from nodePort 30080 to 30081 takes 30081 and gives 30080 back',
        old: service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }]),
        change: (s) => void (s.spec!.ports![0]!.nodePort = 30081),
        held: [30081],
        freed: [30080],
        nodePorts: [30081],
      },
      {
        name: 'an update asking for a nodePort another Service holds is refused on spec.ports[0].nodePort, and the old nodePort is kept',
        old: service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }]),
        change: (s) => void (s.spec!.ports![0]!.nodePort = 30090),
        error: 'Service "order" is invalid: spec.ports[0].nodePort: Invalid value: 30090: provided port is already allocated',
        held: [30080, 30090],
        freed: [],
      },
      {
        name: 'a failed update gives back the nodePort it took for the first port and keeps the one it would have released',
        old: service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }]),
        change: (s) => void (s.spec!.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30081 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 443, nodePort: 30090 }]),
        error: 'Service "order" is invalid: spec.ports[1].nodePort: Invalid value: 30090: provided port is already allocated',
        held: [30080, 30090],
        freed: [30081],
      },
      {
        name: 'an update where 53/UDP and 53/TCP both ask for the new nodePort 30053 takes it once',
        old: service('dns', 'NodePort', [{ name: 'dns', port: 53, protocol: 'UDP', nodePort: 30080 }]),
        change: (s) => void (s.spec!.ports = [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53, nodePort: 30053 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53, nodePort: 30053 }]),
        held: [30053],
        freed: [30080],
        nodePorts: [30053, 30053],
      },
      {
        name: 'an update of a LoadBalancer from externalTrafficPolicy Local to Cluster gives the healthCheckNodePort back and wipes it',
        old: service('order', 'LoadBalancer', [{ name: 'http', port: 80, nodePort: 30080 }], { externalTrafficPolicy: 'Local', healthCheckNodePort: 30100 }),
        change: withPolicy('Cluster', 30100),
        held: [30080],
        freed: [30100],
        nodePorts: [30080],
        healthCheckNodePort: undefined,
      },
      {
        name: 'an update of a LoadBalancer from externalTrafficPolicy Cluster to Local allocates a healthCheckNodePort',
        old: service('order', 'LoadBalancer', [{ name: 'http', port: 80, nodePort: 30080 }]),
        change: withPolicy('Local'),
        held: [30080],
        freed: [],
        nodePorts: [30080],
        healthCheckNodePort: 'new',
      },
      {
        name: 'an update of a LoadBalancer from Cluster to Local that asks for healthCheckNodePort 30101 gets it',
        old: service('order', 'LoadBalancer', [{ name: 'http', port: 80, nodePort: 30080 }]),
        change: withPolicy('Local', 30101),
        held: [30080, 30101],
        freed: [],
        nodePorts: [30080],
        healthCheckNodePort: 30101,
      },
      {
        name: 'a change to ClusterIP that also drops the first of two ports still wipes the nodePort it keeps: no nodePort is new (sameNodePorts)',
        old: service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'admin', port: 9000, nodePort: 30900 }]),
        change: (s) => {
          s.spec!.type = 'ClusterIP'
          delete s.spec!.externalTrafficPolicy
          s.spec!.ports = [s.spec!.ports![1]!]
        },
        held: [],
        freed: [30080, 30900],
        nodePorts: [undefined],
      },
      {
        name: 'a change to ClusterIP that asks for a new nodePort keeps every nodePort in the object for validation to refuse, and allocates none',
        old: service('order', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'admin', port: 9000, nodePort: 30900 }]),
        change: (s) => {
          s.spec!.type = 'ClusterIP'
          delete s.spec!.externalTrafficPolicy
          s.spec!.ports![0]!.nodePort = 30081
        },
        held: [],
        freed: [30080, 30900, 30081],
        nodePorts: [30081, 30900],
      },
      {
        name: 'an update of a LoadBalancer with allocateLoadBalancerNodePorts: false that adds a port gives it no nodePort',
        old: service('order', 'LoadBalancer', [{ name: 'http', port: 80 }], { allocateLoadBalancerNodePorts: false }),
        change: (s) => void s.spec!.ports!.push({ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }),
        held: [],
        freed: [],
        nodePorts: [undefined, undefined],
      },
      {
        name: 'an update that keeps externalTrafficPolicy Local keeps the healthCheckNodePort and allocates nothing',
        old: service('order', 'LoadBalancer', [{ name: 'http', port: 80, nodePort: 30080 }], { externalTrafficPolicy: 'Local', healthCheckNodePort: 30100 }),
        change: (s) => void (s.spec!.sessionAffinity = 'ClientIP'),
        held: [30080, 30100],
        freed: [],
        nodePorts: [30080],
        healthCheckNodePort: 30100,
      },
    ],
    (tc) => {
      const alloc = new PortAllocator()
      allocateServiceNodePorts(service('menu', 'NodePort', [{ name: 'http', port: 80, nodePort: 30090 }]), alloc)
      const old = allocateServiceNodePorts(tc.old, alloc)
      const before = alloc.used()
      const changed = structuredClone(old)
      tc.change(changed)
      if (tc.error !== undefined) {
        const err = statusOf(() => updateServiceNodePorts(old, changed, alloc))
        expect([err.code, err.message], 'the refused update').toEqual([422, tc.error])
      } else {
        const got = updateServiceNodePorts(old, changed, alloc)
        const hc = got.spec!.healthCheckNodePort
        expect(nodePorts(got), 'nodePorts after the update').toEqual(tc.nodePorts)
        if (tc.healthCheckNodePort === 'new') {
          expect(hc !== undefined && hc >= 30086 && hc <= 32767 && alloc.has(hc), `healthCheckNodePort ${hc}: a dynamic port, held`).toBe(true)
        } else {
          expect(hc, 'healthCheckNodePort after the update').toBe(tc.healthCheckNodePort)
        }
      }
      const extra = tc.healthCheckNodePort === 'new' ? 1 : 0
      expect(tc.held.filter((p) => !alloc.has(p)), 'ports the allocator should still hold').toEqual([])
      expect(tc.freed.filter((p) => alloc.has(p)), 'ports the allocator should have given back').toEqual([])
      expect(alloc.used(), `ports held: menu's 30090 plus ${tc.held.filter((p) => p !== 30090).join(', ') || 'nothing'}${extra ? ' and the new healthCheckNodePort' : ''} (${before} before the update)`).toBe(
        new Set([30090, ...tc.held]).size + extra,
      )
    },
  )

  test('changing ClusterIP → NodePort allocates the nodePorts', () => {
    const alloc = new PortAllocator()
    const old = service('order', 'ClusterIP', [{ name: 'http', port: 80 }])
    const changed = service('order', 'NodePort', [{ name: 'http', port: 80 }])
    expect(nodePorts(updateServiceNodePorts(old, changed, alloc))[0], 'nodePort after the type change').toBeGreaterThanOrEqual(30086)
  })

  test('deleting a Service releases its nodePorts and healthCheckNodePort', () => {
    const alloc = new PortAllocator()
    const lb = allocateServiceNodePorts(service('order', 'LoadBalancer', [{ name: 'http', port: 80 }], { externalTrafficPolicy: 'Local' }), alloc)
    releaseServiceNodePorts(lb, alloc)
    expect(alloc.used(), 'allocated after delete').toBe(0)
  })

})

// ---------------------------------------------------------------------------
task('node-port-proxier', () => {
  test('TestOverallIPTablesRules: filter KUBE-NODEPORTS accepts the healthCheckNodePort of svc2', () => {
    checkChain(NodePortProxier, {
      name: 'health check node port',
      table: 'filter',
      chain: 'KUBE-NODEPORTS',
      want: ['-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT'],
    })
  })

  table(HEALTH_CHECK_FLOWS, (tc) => checkFlow(goProxier(), tc))

  test('the last rule of nat KUBE-SERVICES hands every local destination to KUBE-NODEPORTS', () => {
    const lines = goProxier().rules.lines('nat', 'KUBE-SERVICES')
    expect(lines.at(-1), `nat KUBE-SERVICES:\n${bullets(lines)}`).toBe(`-A KUBE-SERVICES -m comment --comment "${NODEPORTS_JUMP_COMMENT}" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`)
  })

  // TestOverallIPTablesRules svc4 / TestExternalIPsReject: a ClusterIP Service with externalIPs, with and without endpoints.
  const externalIPProxier = () => {
    const p = new NodePortProxier(TEST_NODE)
    p.sync(
      [
        svc({ namespace: 'ns4', name: 'svc4', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: [{ name: 'p80', port: 80 }] }),
        svc({ namespace: 'ns4', name: 'gone', clusterIP: '172.30.0.45', externalIPs: ['192.168.99.11'], ports: [{ name: 'p80', port: 80 }] }),
      ],
      [endpointSlice('ns4', 'svc4', [{ ip: '10.180.0.4' }], P80)],
    )
    return p
  }

  test('TestOverallIPTablesRules: nat KUBE-SERVICES captures an external IP on every node and sends it to the KUBE-EXT chain', () => {
    const lines = externalIPProxier().rules.lines('nat', 'KUBE-SERVICES')
    const want = `-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j ${serviceExternalChainName('ns4/svc4:p80', 'tcp')}`
    expect(lines.filter((l) => l.includes('external IP')), `nat KUBE-SERVICES (ns4/gone has no endpoints, so its external IP is not captured):\n${bullets(lines)}`).toEqual([want])
  })

  test('TestExternalIPsReject: an external IP of a Service without endpoints is REJECTed in KUBE-EXTERNAL-SERVICES', () => {
    const lines = externalIPProxier().rules.lines('filter', 'KUBE-EXTERNAL-SERVICES')
    expect(lines).toEqual(['-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns4/gone:p80 has no endpoints" -m tcp -p tcp -d 192.168.99.11 --dport 80 -j REJECT'])
  })

  table(
    [
      { name: 'a pod connecting to an external IP is caught on its own node, DNATed and (policy Cluster) masqueraded', sourceIP: '10.0.0.2', destIP: '192.168.99.33', destPort: 80, output: '10.180.0.4:80', masq: true },
      { name: 'the node itself connecting to an external IP is caught the same way', sourceIP: '192.168.0.2', destIP: '192.168.99.33', destPort: 80, output: '10.180.0.4:80', masq: true },
      { name: 'an external IP only answers on the Service’s own ports', sourceIP: '10.0.0.2', destIP: '192.168.99.33', destPort: 81, output: '', masq: false },
    ],
    (tc) => checkFlow(externalIPProxier(), tc),
  )

  // TestOnlyLocalExternalIPs: NodePort Services with externalIPs and externalTrafficPolicy
  // Local, one with an endpoint on test-node (svc1), one with its only endpoint elsewhere (far).
  const localExternalIPProxier = () => {
    const p = new NodePortProxier(TEST_NODE)
    p.sync(
      [
        svc({ namespace: 'ns1', name: 'svc1', type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'], ports: [{ name: 'p80', port: 80, nodePort: 3001 }] }),
        svc({ namespace: 'ns1', name: 'far', type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.42', externalIPs: ['192.168.99.22'], ports: [{ name: 'p80', port: 80, nodePort: 3002 }] }),
      ],
      [
        endpointSlice('ns1', 'svc1', [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'test-node' }], P80),
        endpointSlice('ns1', 'far', [{ ip: '10.180.0.2' }], P80),
      ],
    )
    return p
  }

  test('externalTrafficPolicy Local: an external IP with no endpoint on this node is DROPped in KUBE-EXTERNAL-SERVICES, as its nodePort is; one with a local endpoint is not', () => {
    const lines = localExternalIPProxier().rules.lines('filter', 'KUBE-EXTERNAL-SERVICES')
    const want = [
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/far:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/far:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3002 -j DROP',
    ]
    expect(lines, `filter KUBE-EXTERNAL-SERVICES:\n${listDiff(want, lines)}`).toEqual(want)
  })

  table(
    [
      {
        name: 'TestOnlyLocalExternalIPs: external to an external IP with policy Local hits only the local endpoint, unmasqueraded',
        sourceIP: EXTERNAL_CLIENT,
        destIP: '192.168.99.11',
        destPort: 80,
        output: '10.180.2.1:80',
        masq: false,
      },
      {
        name: 'external to an external IP with policy Local and no endpoint on this node is DROPped: the client times out',
        sourceIP: EXTERNAL_CLIENT,
        destIP: '192.168.99.22',
        destPort: 80,
        output: 'DROP',
        masq: false,
        why: 'ns1/far has endpoints, but none on test-node: "has no local endpoints" → DROP',
      },
      {
        name: 'a pod to an external IP with policy Local and no endpoint on this node is still short-circuited to the remote endpoint',
        sourceIP: '10.0.0.2',
        destIP: '192.168.99.22',
        destPort: 80,
        output: '10.180.0.2:80',
        masq: false,
      },
    ],
    (tc) => checkFlow(localExternalIPProxier(), tc),
  )

  // TestNodePorts, IPv6: node 2001:db8::1, a Service of family IPv6 with nodePort 3001.
  const ipv6Proxier = () => {
    const p = new NodePortProxier({ nodeName: 'test-node', nodeIPs: ['2001:db8::1'], clusterCIDR: 'fd00:10::/64', ipFamily: 'IPv6' })
    p.sync(
      [svc({ namespace: 'ns1', name: 'svc1', type: 'NodePort', clusterIP: 'fd00:172:30::41', ipFamilies: ['IPv6'], ports: [{ name: 'p80', port: 80, nodePort: 3001 }] })],
      [endpointSlice('ns1', 'svc1', [{ ip: 'fd00:10:180::1' }], P80, { addressType: 'IPv6' })],
    )
    return p
  }

  test('on an IPv6 node the last rule of nat KUBE-SERVICES leaves out ::1: IPv6 never accepts nodePorts on localhost', () => {
    const lines = ipv6Proxier().rules.lines('nat', 'KUBE-SERVICES')
    expect(lines.at(-1), `nat KUBE-SERVICES:\n${bullets(lines)}`).toBe(
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS',
    )
  })

  table(
    [
      { name: 'TestNodePorts (IPv6): external to the nodePort of the node address, masqueraded', sourceIP: '2001:db8::99', destIP: '2001:db8::1', destPort: 3001, output: '[fd00:10:180::1]:80', masq: true },
      { name: 'TestNodePorts (IPv6): localhost to the nodePort matches no rule', sourceIP: '::1', destIP: '::1', destPort: 3001, output: '', masq: false },
    ],
    (tc) => checkFlow(ipv6Proxier(), tc),
  )

  test('nodeDown and nodeUp of a node the cluster does not have change nothing', () => {
    const c = kindCluster()
    c.nodeDown('kind-worker9')
    c.nodeUp('kind-worker9')
    const got = c.connect(OUTSIDE, { ip: '172.18.0.3', port: 30081 })
    expect(got.result, `kitchen via kind-worker: ${connectionText(got)}`).toBe('connected')
  })

  test("each node's kube-proxy knows its node's labels (topology-aware routing reads the zone from them)", () => {
    const zones = ['zone-a', 'zone-b', 'zone-c']
    const c = new NodePortCluster(DEFAULT_NODES.map((n, i) => ({ name: n.name, internalIP: n.internalIP, labels: { 'topology.kubernetes.io/zone': zones[i]! } })))
    const got = DEFAULT_NODES.map((n) => c.proxier(n.name).nodeLabels['topology.kubernetes.io/zone'])
    expect(got, 'topology.kubernetes.io/zone of the kube-proxies of kind-control-plane, kind-worker and kind-worker2').toEqual(zones)
  })

  test('the cluster runs one kube-proxy per node, each with its own address; an unknown node is an error', () => {
    const c = kindCluster()
    const ips = ['kind-control-plane', 'kind-worker', 'kind-worker2'].map((n) => c.proxier(n).nodeIPs.join(','))
    expect(ips, 'nodeIPs of the kube-proxies of kind-control-plane, kind-worker and kind-worker2').toEqual(['172.18.0.2', '172.18.0.3', '172.18.0.4'])
    expect(() => c.proxier('kind-worker9'), 'the kube-proxy of a node the cluster does not have').toThrow(exactly('nodes "kind-worker9" not found'))
  })
})
