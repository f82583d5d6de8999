import fc from 'fast-check'
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1'
import type { LabelSelector } from 'kubernetes-types/meta/v1'
import { expect, test } from 'vitest'
import { CidrSet, CIDRSetError, NoCIDRsRemainingError, SubNetTooBigError } from '@impl/network/cidrset.ts'
import { HostLocalError, IPAllocator, MemoryStore, RangeSet, type RangeConfig } from '@impl/network/hostlocal.ts'
import { PodNetwork, PodNetworkError, type NodeRegistration, type Origin, type ReachReason } from '@impl/network/reachability.ts'
import {
  activePodsLess,
  attachablePodForObject,
  checkUDPPortInPod,
  checkUDPPortInService,
  ConnectionRefusedError,
  convertPodNamedPortToNumber,
  lookupContainerPortNumberByServicePort,
  NotFoundError,
  parsePorts,
  portForward,
  PortForwardError,
  PortForwardSession,
  translateServicePortToTargetPort,
  selectorsForObject,
  type ClusterState,
} from '@impl/kubectl/portforward.ts'
import { DEFAULT_NODES } from '../lib/cluster/defaults.ts'
import { fakeListPods } from './support/apiserver.ts'
import { bullets, labelsText } from './support/explain.ts'
import { pod, service, type PodOptions } from './support/fixtures.ts'
import { cases } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('00-pod-network')

/** The message of what `fn` throws, or a note that it returned. */
function thrown(fn: () => unknown): { error: unknown; message: string } {
  try {
    const v = fn()
    return { error: undefined, message: `(no error; returned ${JSON.stringify(v)})` }
  } catch (error) {
    return { error, message: error instanceof Error ? error.message : String(error) }
  }
}

// ---------------------------------------------------------------------------
task('node-pod-cidrs', () => {
  test('the three nodes of the default kind cluster get 10.244.0.0/24, 10.244.1.0/24 and 10.244.2.0/24 in turn', () => {
    const set = new CidrSet('10.244.0.0/16', 24)
    const got = ['kind-control-plane', 'kind-worker', 'kind-worker2'].map((n) => `${n}: ${set.allocateNext()}`)
    expect(got, 'node.spec.podCIDR of each node, in registration order').toEqual([
      'kind-control-plane: 10.244.0.0/24',
      'kind-worker: 10.244.1.0/24',
      'kind-worker2: 10.244.2.0/24',
    ])
  })

  test('a /16 cluster CIDR holds exactly 256 node /24s and the 257th node gets the no-remaining-CIDRs error', () => {
    const set = new CidrSet('10.244.0.0/16', 24)
    expect(set.maxCIDRs, 'maxCIDRs of 10.244.0.0/16 with --node-cidr-mask-size=24').toBe(256)
    const all = Array.from({ length: 256 }, () => set.allocateNext())
    expect(all.at(-1), 'the 256th node CIDR').toBe('10.244.255.0/24')
    expect(new Set(all).size, 'no node CIDR is handed out twice').toBe(256)
    const { error, message } = thrown(() => set.allocateNext())
    expect(error, 'allocateNext on a full set throws NoCIDRsRemainingError').toBeInstanceOf(NoCIDRsRemainingError)
    expect(message).toBe('CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range')
  })


  test('occupy and release count a node CIDR only when its state changes, and exactly the rest stays allocatable', () => {
    // cidr_set_test.go TestDoubleOccupyRelease
    const set = new CidrSet('10.42.0.0/16', 24)
    const ops: [op: 'occupy' | 'release', cidr: string, taken: number][] = [
      ['occupy', '10.42.5.0/24', 1],
      ['occupy', '10.42.9.0/24', 2],
      ['occupy', '10.42.8.0/22', 5],
      ['occupy', '10.42.9.0/24', 5],
      ['release', '10.42.9.0/24', 4],
      ['release', '10.42.9.0/24', 4],
      ['release', '10.42.4.0/22', 3],
    ]
    for (const [op, cidr, taken] of ops) {
      set[op](cidr)
      expect(set.allocatedCIDRs, `node CIDRs taken after ${op}(${cidr})`).toBe(taken)
    }
    for (let i = 0; i < 256 - 3; i++) set.allocateNext()
    expect(thrown(() => set.allocateNext()).error, 'exactly 253 more node CIDRs could be allocated').toBeInstanceOf(NoCIDRsRemainingError)
  })

  test('a cluster CIDR as big as one node CIDR hands it out, refuses a second node, and hands it out again once released', () => {
    // cidr_set_test.go TestCIDRSetFullyAllocated
    for (const cluster of ['127.123.234.0/30', 'beef:1234::/30']) {
      const set = new CidrSet(cluster, 30)
      const first = set.allocateNext()
      expect(first).toBe(cluster)
      expect(thrown(() => set.allocateNext()).error, `${cluster} is full`).toBeInstanceOf(NoCIDRsRemainingError)
      set.release(first)
      expect(set.allocateNext(), `${cluster} after release`).toBe(cluster)
      expect(thrown(() => set.allocateNext()).error, `${cluster} is full again`).toBeInstanceOf(NoCIDRsRemainingError)
    }
  })

  cases([
    { cluster: '127.0.0.0/8', mask: 32, want: ['127.0.0.0/32', '127.0.0.1/32'] },
    { cluster: '2001:beef:1234:369b::/60', mask: 64, want: ['2001:beef:1234:3690::/64', '2001:beef:1234:3691::/64'] },
  ], (r) => `the first two node CIDRs of ${r.cluster} with mask /${r.mask} are ${r.want.join(' and ')}`, ({ cluster, mask, want }) => {
    const set = new CidrSet(cluster, mask)
    expect([set.allocateNext(), set.allocateNext()]).toEqual(want)
  })

  test('a released podCIDR is not reused before the walk from nextCandidate wraps around: a new node gets the next one', () => {
    const set = new CidrSet('10.244.0.0/16', 24)
    set.allocateNext()
    set.allocateNext()
    set.allocateNext()
    set.release('10.244.1.0/24') // kind-worker deleted
    expect(set.allocateNext(), 'the podCIDR of the node registered after kind-worker was deleted').toBe('10.244.3.0/24')
  })

  test('once the walk wraps around, the released podCIDR is the one handed out', () => {
    const set = new CidrSet('10.244.0.0/22', 24)
    const all = [set.allocateNext(), set.allocateNext(), set.allocateNext(), set.allocateNext()]
    expect(all).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24'])
    set.release('10.244.1.0/24')
    expect(set.allocateNext(), 'the only free node CIDR, found after wrapping to index 0').toBe('10.244.1.0/24')
  })

  test('releasing every node CIDR and allocating again hands out the same CIDRs in the same order', () => {
    // cidr_set_test.go TestCIDRSet_RandomishAllocation
    for (const cluster of ['127.123.234.0/16', 'beef:1234::/16']) {
      const set = new CidrSet(cluster, 24)
      const first = Array.from({ length: 256 }, () => set.allocateNext())
      for (const c of first) set.release(c)
      const again = Array.from({ length: 256 }, () => set.allocateNext())
      expect(again, `${cluster}: second round`).toEqual(first)
    }
  })

  test('occupy does not move nextCandidate: after occupying the lower half, allocateNext walks to the first free CIDR above it', () => {
    // cidr_set_test.go TestCidrSetMetricsHistogram
    const set = new CidrSet('10.0.0.0/16', 24)
    set.occupy('10.0.0.0/17')
    expect(set.allocatedCIDRs).toBe(128)
    expect(set.allocateNext()).toBe('10.0.128.0/24')
  })

  test('occupying the upper half and allocating 128 times hands out exactly the lower half, then the set is full', () => {
    // cidr_set_test.go TestCIDRSet_AllocationOccupied
    const set = new CidrSet('10.244.0.0/16', 24)
    set.occupy('10.244.128.0/17')
    set.occupy('10.244.128.0/24')
    const got = Array.from({ length: 128 }, () => set.allocateNext())
    expect(got[0]).toBe('10.244.0.0/24')
    expect(got[127]).toBe('10.244.127.0/24')
    expect(thrown(() => set.allocateNext()).error).toBeInstanceOf(NoCIDRsRemainingError)
  })

  test('the pod network gives kind-control-plane, kind-worker and kind-worker2 the podCIDRs 10.244.0.0/24, 10.244.1.0/24 and 10.244.2.0/24', () => {
    const net = new PodNetwork()
    expect(net.nodes().map((n) => `${n.name} ${n.podCIDR}`)).toEqual(['kind-control-plane 10.244.0.0/24', 'kind-worker 10.244.1.0/24', 'kind-worker2 10.244.2.0/24'])
  })

  test('a node added after another was removed gets the next podCIDR, not the released one', () => {
    const net = new PodNetwork()
    net.removeNode('kind-worker2')
    expect(net.addNode({ name: 'kind-worker3', internalIP: '172.18.0.5', controlPlane: false })).toBe('10.244.3.0/24')
  })

  test('a podCIDR a node registered with is taken: the nodes after it get the free podCIDRs around it, never the same one', () => {
    const [cp, w1, w2] = DEFAULT_NODES
    const net = new PodNetwork({ nodes: [{ ...cp!, podCIDR: '10.244.1.0/24' }, w1!, w2!] })
    expect(net.nodes().map((n) => `${n.name} ${n.podCIDR}`), 'kind-control-plane came with spec.podCIDR 10.244.1.0/24; the others asked the allocator').toEqual([
      'kind-control-plane 10.244.1.0/24',
      'kind-worker 10.244.0.0/24',
      'kind-worker2 10.244.2.0/24',
    ])
  })
})

// ---------------------------------------------------------------------------
/**
 * kind's three nodes as they are once registered, each with the podCIDR the node IPAM
 * controller gave it (node-pod-cidrs): a pod network built from them only occupies those.
 */
const KIND_NODES: NodeRegistration[] = DEFAULT_NODES.map((n, i) => ({ ...n, podCIDR: `10.244.${i}.0/24` }))
const snack = (name: string, node: string): Pod => pod({ name, node })

task('reachability', () => {
  const table: { name: string; from: Origin; ip: (net: PodNetwork) => string; routable?: boolean; reachable: boolean; reason: ReachReason }[] = [
    { name: 'a pod reaches a pod on the same node', from: { kind: 'pod', namespace: 'snackbar', name: 'client' }, ip: () => '10.244.1.2', reachable: true, reason: 'same-node' },
    { name: 'a pod reaches a pod on another node through the route to that node', from: { kind: 'pod', namespace: 'snackbar', name: 'client' }, ip: () => '10.244.2.2', reachable: true, reason: 'routed-via-node' },
    { name: 'a node reaches a pod on another node', from: { kind: 'node', name: 'kind-control-plane' }, ip: () => '10.244.1.2', reachable: true, reason: 'routed-via-node' },
    { name: 'a node reaches a pod on itself', from: { kind: 'node', name: 'kind-worker2' }, ip: () => '10.244.2.2', reachable: true, reason: 'same-node' },
    { name: 'a laptop outside the cluster has no route to a pod IP on kindnet', from: { kind: 'outside', name: 'laptop' }, ip: () => '10.244.1.2', reachable: false, reason: 'no-route-from-outside' },
    { name: 'a VM on the nodes’ own LAN has no route to a pod IP either', from: { kind: 'outside', name: 'vm on 172.18.0.0/16' }, ip: () => '10.244.2.2', reachable: false, reason: 'no-route-from-outside' },
    { name: 'an IP of a podCIDR that no pod holds answers nobody', from: { kind: 'pod', namespace: 'snackbar', name: 'client' }, ip: () => '10.244.1.77', reachable: false, reason: 'no-pod-has-ip' },
    { name: 'the old IP of a recreated pod answers nobody', from: { kind: 'node', name: 'kind-worker' }, ip: () => '10.244.1.4', reachable: false, reason: 'no-pod-has-ip' },
    { name: 'a Service IP is not a pod IP', from: { kind: 'pod', namespace: 'snackbar', name: 'client' }, ip: () => '10.96.0.10', reachable: false, reason: 'not-a-pod-ip' },
    { name: 'with routable pod IPs a machine outside reaches a pod IP', from: { kind: 'outside', name: 'laptop' }, ip: () => '10.244.1.2', routable: true, reachable: true, reason: 'routable-pod-ips' },
    { name: 'with routable pod IPs an IP no pod holds still answers nobody', from: { kind: 'outside', name: 'laptop' }, ip: () => '10.244.1.99', routable: true, reachable: false, reason: 'no-pod-has-ip' },
  ]
  cases(table, (r) => `reach: ${r.name}`, ({ from, ip, routable, reachable, reason }) => {
    const net = new PodNetwork({ nodes: KIND_NODES, routablePodIPs: routable ?? false })
    net.addPod(snack('order-1', 'kind-worker')) // 10.244.1.2
    net.addPod(snack('client', 'kind-worker')) // 10.244.1.3
    net.addPod(snack('menu-1', 'kind-worker2')) // 10.244.2.2
    net.addPod(snack('gone', 'kind-worker')) // 10.244.1.4
    net.deletePod('snackbar', 'gone')
    const target = ip(net)
    const got = net.reach(from, target)
    const who = net.whoHas(target)
    const origin = from.kind === 'outside' ? `outside (${from.name})` : `${from.kind} ${from.name}`
    expect({ reachable: got.reachable, reason: got.reason }, `from ${origin} to ${target} (${who ? `pod ${who.namespace}/${who.name} on ${who.node}` : 'held by no pod'}): ${got.message}`).toEqual({ reachable, reason })
    if (reachable) expect(got.pod?.ip).toBe(target)
  })
})

// ---------------------------------------------------------------------------
const MIN = 60_000
const T0 = Date.parse('2026-01-01T00:00:00Z')
const at = (ms: number) => new Date(T0 + ms).toISOString().replace('.000Z', 'Z')

/** A pod of the `order` app; `readySince` sets the Ready condition's lastTransitionTime. */
function orderPod(o: Partial<PodOptions> & { name: string; readySince?: string }): Pod {
  const p = pod({ labels: { app: 'order' }, containerPorts: [{ name: 'http', containerPort: 8080 }], ...o })
  if (o.readySince) p.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince }]
  return p
}

function deployment(name: string, matchLabels: Record<string, string>, namespace = 'snackbar'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels }, template: { metadata: { labels: matchLabels }, spec: { containers: [{ name: 'app' }] } } },
  }
}

/** The cluster as a fake API server serves it: pods by name, and pod lists filtered by selector. */
function apiServer(o: Omit<ClusterState, 'listPods'>): ClusterState {
  return { ...o, listPods: fakeListPods(o.pods) }
}

const describePod = (p: Pod) =>
  `${p.metadata!.name} (node ${p.spec!.nodeName || '-'}, ${p.status!.phase}, ready ${(p.status!.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')}, restarts ${p.status!.containerStatuses?.[0]?.restartCount ?? 0}, created ${p.metadata!.creationTimestamp ?? '-'})`

task('port-forward-pod-choice', () => {
  const svc = service({ name: 'order', ports: [{ port: 80, targetPort: 'http' }] })
  const choices: { name: string; pods: Pod[]; want: string }[] = [
    { name: 'the Running pod is chosen over a Pending one listed first', pods: [orderPod({ name: 'order-a', phase: 'Pending', ready: false }), orderPod({ name: 'order-b' })], want: 'order-b' },
    { name: 'the ready pod is chosen over a not-ready one listed first', pods: [orderPod({ name: 'order-a', ready: false }), orderPod({ name: 'order-b', ready: true })], want: 'order-b' },
    {
      name: 'the pod ready for longer is chosen over one ready more recently',
      pods: [orderPod({ name: 'order-a', readySince: at(30 * MIN) }), orderPod({ name: 'order-b', readySince: at(2 * MIN) }), orderPod({ name: 'order-c', readySince: at(20 * MIN) })],
      want: 'order-b',
    },
    { name: 'the pod with fewer restarts is chosen', pods: [orderPod({ name: 'order-a', restarts: 7 }), orderPod({ name: 'order-b', restarts: 0 }), orderPod({ name: 'order-c', restarts: 2 })], want: 'order-b' },
    {
      name: 'the oldest pod is chosen when all else is equal',
      pods: [orderPod({ name: 'order-a', creationTimestamp: at(9 * MIN) }), orderPod({ name: 'order-b', creationTimestamp: at(3 * MIN) }), orderPod({ name: 'order-c', creationTimestamp: at(0) })],
      want: 'order-c',
    },
    { name: 'a scheduled Pending pod is chosen over an unscheduled one', pods: [orderPod({ name: 'order-a', node: '', phase: 'Pending', ready: false }), orderPod({ name: 'order-b', phase: 'Pending', ready: false })], want: 'order-b' },
    {
      name: 'pods of another namespace or with other labels are never chosen',
      pods: [orderPod({ name: 'order-a', namespace: 'kitchen', creationTimestamp: at(-60 * MIN) }), orderPod({ name: 'menu-a', labels: { app: 'menu' }, creationTimestamp: at(-60 * MIN) }), orderPod({ name: 'order-b', phase: 'Pending', ready: false })],
      want: 'order-b',
    },
  ]
  cases(choices, (r) => `svc/order attaches to one pod: ${r.name}`, ({ pods, want }) => {
    const got = attachablePodForObject(svc, fakeListPods(pods))
    expect(got.metadata?.name, `pod chosen for svc/order (selector ${labelsText(svc.spec!.selector)}) among:\n${bullets(pods.map(describePod))}`).toBe(want)
  })

  test('deploy/order attaches to the most active pod its matchLabels select', () => {
    const pods = [orderPod({ name: 'order-a', ready: false }), orderPod({ name: 'order-b' }), orderPod({ name: 'menu-a', labels: { app: 'menu' } })]
    expect(attachablePodForObject(deployment('order', { app: 'order' }), fakeListPods(pods)).metadata?.name).toBe('order-b')
  })

  test("deploy/order's matchExpressions count too: a canary pod excluded by NotIn is never chosen", () => {
    const d = deployment('order', { app: 'order' })
    d.spec!.selector.matchExpressions = [{ key: 'track', operator: 'NotIn', values: ['canary'] }]
    const pods = [orderPod({ name: 'order-canary', labels: { app: 'order', track: 'canary' }, creationTimestamp: at(-60 * MIN) }), orderPod({ name: 'order-stable', labels: { app: 'order', track: 'stable' } })]
    expect(attachablePodForObject(d, fakeListPods(pods)).metadata?.name, `pod chosen for selector app=order,track notin (canary) among:\n${bullets(pods.map(describePod))}`).toBe('order-stable')
  })


  test("kubectl lists pods once, with the Service's namespace and selector, and picks the most active pod the API server returns", () => {
    const calls: [string, LabelSelector][] = []
    const answer = [orderPod({ name: 'order-a', namespace: 'kitchen', ready: false }), orderPod({ name: 'order-b', namespace: 'kitchen' })]
    const listPods = (namespace: string, selector: LabelSelector) => {
      calls.push([namespace, selector])
      return answer
    }
    const got = attachablePodForObject(service({ name: 'order', namespace: 'kitchen' }), listPods)
    expect(calls, 'GET /api/v1/namespaces/NS/pods?labelSelector=… requests kubectl made').toEqual([['kitchen', { matchLabels: { app: 'order' } }]])
    expect(got.metadata?.name, `pod chosen among the API server's answer:\n${bullets(answer.map(describePod))}`).toBe('order-b')
  })

  test('pod/NAME is that pod itself, even when it is not the most active one', () => {
    const p = orderPod({ name: 'order-a', ready: false })
    expect(attachablePodForObject(p, fakeListPods([orderPod({ name: 'order-b' }), p])).metadata?.name).toBe('order-a')
  })

  test('a Service without a selector cannot be attached to: kubectl names the Go type and the reason', () => {
    const external = service({ name: 'payments', selector: null })
    const { error, message } = thrown(() => attachablePodForObject(external, fakeListPods([orderPod({ name: 'order-a' })])))
    expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
    expect(message).toBe("cannot attach to *v1.Service: invalid service 'payments': Service is defined without a selector")
  })

  test('a Service that selects no pod makes kubectl wait --pod-running-timeout and give up', () => {
    const { error, message } = thrown(() => attachablePodForObject(svc, fakeListPods([orderPod({ name: 'menu-a', labels: { app: 'menu' } })])))
    expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
    expect(message).toBe('timed out waiting for the condition')
  })

  test('of pods that ActivePods ranks equal, kubectl takes the one the API server lists first', () => {
    const pods = [orderPod({ name: 'order-b' }), orderPod({ name: 'order-a' }), orderPod({ name: 'order-c' })]
    expect(attachablePodForObject(svc, fakeListPods(pods)).metadata?.name, `pod chosen among three equal pods:\n${bullets(pods.map(describePod))}`).toBe('order-b')
  })
})

// ---------------------------------------------------------------------------
task('port-forward-session', () => {
  /** A session as portForward starts it: `svc/order 8080:80` bound to snackbar/order-b. */
  const session = () => new PortForwardSession('snackbar', 'order-b', [{ local: 8080, remote: 8080 }], ['127.0.0.1', '::1'])
  const state = (s: PortForwardSession) => ({ active: s.active, exitError: s.exitError, exitCode: s.exitCode, stderr: s.stderr })
  const forwarding = { active: true, exitError: undefined, exitCode: undefined, stderr: [] }
  const lost = { active: false, exitError: 'lost connection to pod', exitCode: 1, stderr: ['error: lost connection to pod'] }

  cases([
    { name: 'another pod of the same Service', namespace: 'snackbar', pod: 'order-a' },
    { name: 'a pod of the same name in another namespace', namespace: 'kitchen', pod: 'order-b' },
  ], (r) => `deleting ${r.name} is not the session's pod: it keeps forwarding to order-b`, ({ namespace, pod: name }) => {
    const s = session()
    s.podDeleted(namespace, name)
    expect(state(s), `session bound to snackbar/order-b after pod ${namespace}/${name} was deleted`).toEqual(forwarding)
    expect(s.connect(8080), 'the next connection').toEqual({ namespace: 'snackbar', pod: 'order-b', port: 8080 })
  })

  test("deleting the session's own pod ends it with error: lost connection to pod and exit code 1, and nothing listens any more", () => {
    const s = session()
    s.connect(8080)
    s.podDeleted('snackbar', 'order-b')
    expect(state(s), 'session bound to snackbar/order-b after that pod was deleted').toEqual(lost)
    const { error, message } = thrown(() => s.connect(8080))
    expect(error, 'a connection to 127.0.0.1:8080 after the session ended').toBeInstanceOf(ConnectionRefusedError)
    expect(message).toBe('dial tcp 127.0.0.1:8080: connect: connection refused')
  })

  test('a session ends once: deleting its pod again prints the error only once', () => {
    const s = session()
    s.podDeleted('snackbar', 'order-b')
    s.podDeleted('snackbar', 'order-b')
    expect(state(s), 'after snackbar/order-b was deleted twice').toEqual(lost)
  })

  test('a session stopped with Ctrl-C stays stopped with exit code 0 when its pod is deleted afterwards', () => {
    const s = session()
    s.stop()
    s.podDeleted('snackbar', 'order-b')
    expect(state(s), 'Ctrl-C, then snackbar/order-b deleted').toEqual({ active: false, exitError: undefined, exitCode: 0, stderr: [] })
  })
})

// ---------------------------------------------------------------------------
const orderService = service({ name: 'order', ports: [{ name: 'web', port: 80, targetPort: 'http' }] })
/** snackbar's three order pods, all Running and Ready: order-b is the oldest. */
const orderCluster = (): ClusterState =>
  apiServer({
    services: [orderService],
    pods: [orderPod({ name: 'order-a', creationTimestamp: at(2 * MIN) }), orderPod({ name: 'order-b', creationTimestamp: at(0) }), orderPod({ name: 'order-c', creationTimestamp: at(1 * MIN) })],
  })

task('port-forward-svc', () => {
  test('kubectl port-forward svc/order 8080:80 forwards to the pod ActivePods ranks first, not the first one listed', () => {
    const cluster = apiServer({
      services: [orderService],
      pods: [orderPod({ name: 'order-a', ready: false }), orderPod({ name: 'order-b', restarts: 2 }), orderPod({ name: 'order-c' })],
    })
    const session = portForward(cluster, { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' })
    expect(session.pod, `pod chosen among:\n${bullets(cluster.pods.map(describePod))}`).toBe('order-c')
  })

  test('every connection of one port-forward session reaches the same pod, and each prints Handling connection', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar', seed: 1 })
    const pods = Array.from({ length: 12 }, (_, i) => s.connect(8080, i % 2 ? '::1' : '127.0.0.1').pod)
    expect(new Set(pods), `pods reached by 12 connections: ${pods.join(', ')}`).toEqual(new Set(['order-b']))
    expect(s.connect(8080)).toEqual({ namespace: 'snackbar', pod: 'order-b', port: 8080 })
    expect(s.stdout.filter((l) => l === 'Handling connection for 8080')).toHaveLength(13)
  })

  test('deleting another pod of the Service leaves the session running on its own pod', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' })
    s.podDeleted('snackbar', 'order-a')
    s.podDeleted('kitchen', 'order-b')
    expect(s.active, 'the session is still forwarding').toBe(true)
    expect(s.connect(8080).pod).toBe('order-b')
  })

  test('deleting the chosen pod ends the session instead of moving to another pod of the Service', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' })
    s.connect(8080)
    s.podDeleted('snackbar', 'order-b')
    expect({ active: s.active, exitError: s.exitError, exitCode: s.exitCode }).toEqual({ active: false, exitError: 'lost connection to pod', exitCode: 1 })
    expect(s.stderr).toEqual(['error: lost connection to pod'])
    const { error, message } = thrown(() => s.connect(8080))
    expect(error, 'nothing listens on 8080 any more').toBeInstanceOf(ConnectionRefusedError)
    expect(message).toBe('dial tcp 127.0.0.1:8080: connect: connection refused')
  })
})

// ---------------------------------------------------------------------------
// The deep track: the rest of the model, which the core path gives.

task('cidr-set', () => {
  // cidr_set_test.go TestIndexToCIDRBlock
  const indexCases = [
    { cluster: '127.123.3.0/16', mask: 24, index: 0, want: '127.123.0.0/24', what: '1st /24 of an IPv4 /16 (host bits of the cluster CIDR are dropped)' },
    { cluster: '127.123.0.0/16', mask: 24, index: 15, want: '127.123.15.0/24', what: '16th /24 of an IPv4 /16' },
    { cluster: '192.168.5.219/28', mask: 32, index: 5, want: '192.168.5.213/32', what: '6th /32 of an IPv4 /28' },
    { cluster: '2001:0db8:1234:3::/48', mask: 64, index: 0, want: '2001:db8:1234::/64', what: '1st /64 of an IPv6 /48' },
    { cluster: '2001:0db8:1234::/48', mask: 64, index: 15, want: '2001:db8:1234:f::/64', what: '16th /64 of an IPv6 /48' },
    { cluster: '2001:0db8:85a3::8a2e:0370:7334/50', mask: 63, index: 6425, want: '2001:db8:85a3:3232::/63', what: '6426th /63 of an IPv6 /50' },
    { cluster: '2001:0db8::/32', mask: 48, index: 0, want: '2001:db8::/48', what: '1st /48 of an IPv6 /32' },
    { cluster: '2001:0db8::/32', mask: 48, index: 15, want: '2001:db8:f::/48', what: '16th /48 of an IPv6 /32' },
    { cluster: '2001:0db8:85a3::8a2e:0370:7334/32', mask: 48, index: 6425, want: '2001:db8:1919::/48', what: '6426th /48 of an IPv6 /32' },
    { cluster: '2001:0db8:1234:ff00::/56', mask: 72, index: 0, want: '2001:db8:1234:ff00::/72', what: '1st /72 of an IPv6 /56' },
    { cluster: '2001:0db8:1234:ff00::/56', mask: 72, index: 15, want: '2001:db8:1234:ff00:f00::/72', what: '16th /72 of an IPv6 /56' },
    { cluster: '2001:0db8:1234:ff00::0370:7334/56', mask: 72, index: 6425, want: '2001:db8:1234:ff19:1900::/72', what: '6426th /72 of an IPv6 /56' },
    { cluster: '2001:0db8:1234:0:1234::/80', mask: 96, index: 0, want: '2001:db8:1234:0:1234::/96', what: '1st /96 of an IPv6 /80' },
    { cluster: '2001:0db8:1234:0:1234::/80', mask: 96, index: 15, want: '2001:db8:1234:0:1234:f::/96', what: '16th /96 of an IPv6 /80' },
    { cluster: '2001:0db8:1234:ff00::0370:7334/80', mask: 96, index: 6425, want: '2001:db8:1234:ff00:0:1919::/96', what: '6426th /96 of an IPv6 /80' },
  ]
  cases(indexCases, (r) => `node CIDR number ${r.index} of ${r.cluster} with mask /${r.mask} is ${r.want}: the ${r.what}`, ({ cluster, mask, index, want }) => {
    expect(new CidrSet(cluster, mask).indexToCIDRBlock(index), `indexToCIDRBlock(${index}) for cluster ${cluster}, node mask /${mask}`).toBe(want)
  })

  // cidr_set_test.go TestGetBitforCIDR
  const bitCases = [
    { cluster: '127.0.0.0/8', mask: 16, cidr: '127.0.0.0/16', want: 0 },
    { cluster: 'be00::/8', mask: 16, cidr: 'be00::/16', want: 0 },
    { cluster: '127.0.0.0/8', mask: 16, cidr: '127.123.0.0/16', want: 123 },
    { cluster: 'be00::/8', mask: 16, cidr: 'beef::/16', want: 0xef },
    { cluster: '127.0.0.0/8', mask: 16, cidr: '127.168.0.0/16', want: 168 },
    { cluster: 'be00::/8', mask: 16, cidr: 'be68::/16', want: 0x68 },
    { cluster: '127.0.0.0/8', mask: 16, cidr: '127.224.0.0/16', want: 224 },
    { cluster: 'be00::/8', mask: 16, cidr: 'be24::/16', want: 0x24 },
    { cluster: '192.168.0.0/16', mask: 24, cidr: '192.168.12.0/24', want: 12 },
    { cluster: 'beef::/16', mask: 24, cidr: 'beef:1200::/24', want: 0x12 },
    { cluster: '192.168.0.0/16', mask: 24, cidr: '192.168.151.0/24', want: 151 },
    { cluster: 'beef::/16', mask: 24, cidr: 'beef:9700::/24', want: 0x97 },
  ]
  cases(bitCases, (r) => `${r.cidr} is node CIDR number ${r.want} of ${r.cluster} with mask /${r.mask}`, ({ cluster, mask, cidr, want }) => {
    expect(new CidrSet(cluster, mask).getIndexForCIDR(cidr), `getIndexForCIDR(${cidr}) in ${cluster}`).toBe(want)
  })

  cases([
    { cluster: '192.168.0.0/16', cidr: '127.168.224.0/24', want: 'CIDR: 127.168.224.0/24 is out of the range of CIDR allocator' },
    { cluster: 'beef::/16', cidr: '2001:db00::/24', want: 'CIDR: 2001:db00::/24 is out of the range of CIDR allocator' },
    { cluster: '10.244.0.0/16', cidr: '10.245.0.0/24', want: 'CIDR: 10.245.0.0/24 is out of the range of CIDR allocator' },
  ], (r) => `asking the index of ${r.cidr}, which lies outside ${r.cluster}, is refused with the allocator error`, ({ cluster, cidr, want }) => {
    const { error, message } = thrown(() => new CidrSet(cluster, 24).getIndexForCIDR(cidr))
    expect(error, 'a CIDRSetError').toBeInstanceOf(CIDRSetError)
    expect(message).toBe(want)
  })

  // cidr_set_test.go TestOccupy
  const occupyCases = [
    { cluster: '127.0.0.0/8', mask: 16, cidr: '127.0.0.0/8', begin: 0, end: 255, what: 'the whole IPv4 cluster CIDR' },
    { cluster: '2001:beef:1200::/40', mask: 48, cidr: '2001:beef:1200::/40', begin: 0, end: 255, what: 'the whole IPv6 cluster CIDR' },
    { cluster: '127.0.0.0/8', mask: 16, cidr: '127.0.0.0/2', begin: 0, end: 255, what: 'an IPv4 CIDR larger than the cluster CIDR' },
    { cluster: '2001:beef:1200::/40', mask: 48, cidr: '2001:beef:1234::/34', begin: 0, end: 255, what: 'an IPv6 CIDR larger than the cluster CIDR' },
    { cluster: '127.0.0.0/8', mask: 16, cidr: '127.0.0.0/16', begin: 0, end: 0, what: 'one IPv4 node CIDR' },
    { cluster: '2001:beef:1200::/40', mask: 48, cidr: '2001:beef:1200::/48', begin: 0, end: 0, what: 'one IPv6 node CIDR' },
    { cluster: '127.0.0.0/8', mask: 32, cidr: '127.0.0.0/16', begin: 0, end: 65535, what: '65536 IPv4 /32s' },
    { cluster: '2001:beef:1200::/48', mask: 64, cidr: '2001:beef:1200::/48', begin: 0, end: 65535, what: '65536 IPv6 /64s' },
    { cluster: '127.0.0.0/7', mask: 16, cidr: '127.0.0.0/15', begin: 256, end: 257, what: 'IPv4 node CIDRs 256 and 257' },
    { cluster: '2001:beef:7f00::/39', mask: 48, cidr: '2001:beef:7f00::/47', begin: 256, end: 257, what: 'IPv6 node CIDRs 256 and 257' },
    { cluster: '127.0.0.0/7', mask: 15, cidr: '127.0.0.0/15', begin: 128, end: 128, what: 'IPv4 node CIDR 128' },
    { cluster: '2001:beef:7f00::/39', mask: 47, cidr: '2001:beef:7f00::/47', begin: 128, end: 128, what: 'IPv6 node CIDR 128' },
    { cluster: '127.0.0.0/7', mask: 18, cidr: '127.0.0.0/15', begin: 1024, end: 1031, what: 'IPv4 node CIDRs 1024 to 1031' },
    { cluster: '2001:beef:7f00::/39', mask: 50, cidr: '2001:beef:7f00::/47', begin: 1024, end: 1031, what: 'IPv6 node CIDRs 1024 to 1031' },
  ]
  cases(occupyCases, (r) => `occupying ${r.cidr} in ${r.cluster} (mask /${r.mask}) marks ${r.what} as taken, and nothing else`, ({ cluster, mask, cidr, begin, end }) => {
    const set = new CidrSet(cluster, mask)
    set.occupy(cidr)
    expect(set.allocatedCIDRs, `node CIDRs taken after occupy(${cidr})`).toBe(end - begin + 1)
    expect(set.isAllocated(set.indexToCIDRBlock(begin)), `node CIDR ${begin} (${set.indexToCIDRBlock(begin)}) is taken`).toBe(true)
    expect(set.isAllocated(set.indexToCIDRBlock(end)), `node CIDR ${end} (${set.indexToCIDRBlock(end)}) is taken`).toBe(true)
    if (begin > 0) expect(set.isAllocated(set.indexToCIDRBlock(begin - 1)), `node CIDR ${begin - 1} stays free`).toBe(false)
    if (end < set.maxCIDRs - 1) expect(set.isAllocated(set.indexToCIDRBlock(end + 1)), `node CIDR ${end + 1} stays free`).toBe(false)
  })

  test('a cluster CIDR that does not parse is refused when the set is built, with net.ParseCIDR\'s error', () => {
    const { error, message } = thrown(() => new CidrSet('10.244.0.0/33', 24))
    expect(error, 'NewCIDRSet(--cluster-cidr=10.244.0.0/33) fails').toBeInstanceOf(CIDRSetError)
    expect(message).toBe('invalid CIDR address: 10.244.0.0/33')
  })

  test('a node mask shorter than the cluster mask leaves no node CIDR to hand out: maxCIDRs is 0', () => {
    const set = new CidrSet('10.244.0.0/16', 8)
    expect(set.maxCIDRs, 'NewCIDRSet(10.244.0.0/16, 8): 1 << uint32(8-16) is 0 in Go').toBe(0)
    expect(thrown(() => set.allocateNext()).error, 'the first node gets the no-remaining-CIDRs error').toBeInstanceOf(NoCIDRsRemainingError)
  })

  test('an IPv6 node mask more than 16 bits longer than the cluster mask is refused when the set is built', () => {
    const { error, message } = thrown(() => new CidrSet('beef:1234::/32', 49))
    expect(error, 'NewCIDRSet(beef:1234::/32, 49) fails').toBeInstanceOf(SubNetTooBigError)
    expect(message).toBe('New CIDR set failed; the node CIDR size is too big')
  })

  cases([
    { op: 'occupy' as const, cidr: '10.245.0.0/24', want: 'cidr 10.245.0.0/24 is out the range of cluster cidr 10.244.0.0/16' },
    { op: 'release' as const, cidr: '192.168.1.0/24', want: 'cidr 192.168.1.0/24 is out the range of cluster cidr 10.244.0.0/16' },
    { op: 'occupy' as const, cidr: '::af4:0/120', want: 'cidr ::af4:0/120 is out the range of cluster cidr 10.244.0.0/16' },
  ], (r) => `${r.op} of ${r.cidr} outside the cluster CIDR 10.244.0.0/16 is refused with the allocator error`, ({ op, cidr, want }) => {
    const set = new CidrSet('10.244.0.0/16', 24)
    const { error, message } = thrown(() => set[op](cidr))
    expect(error, 'a CIDRSetError').toBeInstanceOf(CIDRSetError)
    expect(message).toBe(want)
  })
})

// ---------------------------------------------------------------------------
const kindnet = (podCIDR: string): RangeConfig[] => [{ subnet: podCIDR }]

task('pod-ips', () => {
  // range_test.go "should generate sane defaults …"
  const defaults = [
    { cfg: { subnet: '10.244.1.0/24' }, want: { subnet: '10.244.1.0/24', rangeStart: '10.244.1.1', rangeEnd: '10.244.1.254', gateway: '10.244.1.1' }, what: "kind-worker's podCIDR" },
    { cfg: { subnet: '192.0.2.0/24' }, want: { subnet: '192.0.2.0/24', rangeStart: '192.0.2.1', rangeEnd: '192.0.2.254', gateway: '192.0.2.1' }, what: 'an IPv4 /24' },
    { cfg: { subnet: '192.0.2.0/25' }, want: { subnet: '192.0.2.0/25', rangeStart: '192.0.2.1', rangeEnd: '192.0.2.126', gateway: '192.0.2.1' }, what: 'an IPv4 /25' },
    {
      cfg: { subnet: '2001:DB8:1::/64' },
      want: { subnet: '2001:db8:1::/64', rangeStart: '2001:db8:1::1', rangeEnd: '2001:db8:1:0:ffff:ffff:ffff:ffff', gateway: '2001:db8:1::1' },
      what: 'an IPv6 /64 (no broadcast address to leave out)',
    },
    {
      cfg: { subnet: '192.0.2.0/24', rangeStart: '192.0.2.40', rangeEnd: '192.0.2.50', gateway: '192.0.2.254' },
      want: { subnet: '192.0.2.0/24', rangeStart: '192.0.2.40', rangeEnd: '192.0.2.50', gateway: '192.0.2.254' },
      title: 'a range with rangeStart, rangeEnd and gateway given keeps them as they are',
    },
    {
      cfg: { subnet: '2001:db8:1::/64', rangeStart: '2001:db8:1::10', rangeEnd: '2001:db8:1::20', gateway: '2001:db8:1::ff' },
      want: { subnet: '2001:db8:1::/64', rangeStart: '2001:db8:1::10', rangeEnd: '2001:db8:1::20', gateway: '2001:db8:1::ff' },
      title: 'an IPv6 range with rangeStart, rangeEnd and gateway given keeps them as they are',
    },
  ]
  const defaultsTitle = (r: (typeof defaults)[number]) =>
    r.title ?? `a range of ${r.what} gets rangeStart, rangeEnd and gateway filled in: network+1, last-but-broadcast, network+1`
  cases(defaults, defaultsTitle, ({ cfg, want }) => {
    expect(new RangeSet([cfg]).list(), `canonical range of ${JSON.stringify(cfg)}`).toEqual([want])
  })

  test('the range set of a kindnet node prints as 10.244.1.1-10.244.1.254: the gateway .1 is inside the range, only skipped', () => {
    expect(String(new RangeSet(kindnet('10.244.1.0/24')))).toBe('10.244.1.1-10.244.1.254')
  })

  // range_test.go / range_set_test.go errors
  const badRanges: { name: string; cfgs: RangeConfig[]; want: string }[] = [
    { name: 'an IPv4 subnet written with host bits', cfgs: [{ subnet: '192.0.2.12/24' }], want: 'Network has host bits set. For a subnet mask of length 24 the network address is 192.0.2.0' },
    { name: 'an IPv6 subnet written with host bits', cfgs: [{ subnet: '2001:DB8:1::24:19ff:fee1:c44a/64' }], want: 'Network has host bits set. For a subnet mask of length 64 the network address is 2001:db8:1::' },
    { name: 'an IPv6 /63 with its last prefix bit set', cfgs: [{ subnet: '2001:DB8:24:19ff::/63' }], want: 'Network has host bits set. For a subnet mask of length 63 the network address is 2001:db8:24:19fe::' },
    { name: 'an IPv4 /23 with its last prefix bit set', cfgs: [{ subnet: '192.168.127.0/23' }], want: 'Network has host bits set. For a subnet mask of length 23 the network address is 192.168.126.0' },
    { name: 'a /31, which has no room for a host', cfgs: [{ subnet: '192.0.2.0/31' }], want: 'Network 192.0.2.0/31 too small to allocate from' },
    { name: 'a rangeStart outside the subnet', cfgs: [{ subnet: '192.0.2.0/24', rangeStart: '192.0.3.0' }], want: 'RangeStart 192.0.3.0 not in network 192.0.2.0/24' },
    { name: 'a rangeEnd outside the subnet', cfgs: [{ subnet: '192.0.2.0/24', rangeEnd: '192.0.4.0' }], want: 'RangeEnd 192.0.4.0 not in network 192.0.2.0/24' },
    { name: 'a rangeStart after the rangeEnd', cfgs: [{ subnet: '192.0.2.0/24', rangeStart: '192.0.2.50', rangeEnd: '192.0.2.40' }], want: 'RangeStart 192.0.2.50 not in network 192.0.2.0/24' },
    { name: 'an empty range set', cfgs: [], want: 'empty range set' },
    // config.go LoadIPAMConfig: json.Unmarshal into types.IPNet and net.IP, whose parse errors it returns as they are
    { name: 'a subnet that is no CIDR', cfgs: [{ subnet: '10.244.1.0/33' }], want: 'invalid CIDR address: 10.244.1.0/33' },
    { name: 'a rangeStart that is no IP', cfgs: [{ subnet: '10.244.1.0/24', rangeStart: '10.244.1.300' }], want: 'invalid IP address: 10.244.1.300' },
    { name: 'a gateway that is no IP', cfgs: [{ subnet: '10.244.1.0/24', gateway: 'gw' }], want: 'invalid IP address: gw' },
    { name: 'an IPv4 and an IPv6 range in one set', cfgs: [{ subnet: '10.0.0.0/24' }, { subnet: '2001:db8::/64' }], want: 'mixed address families' },
    { name: 'a subnet inside another one of the set', cfgs: [{ subnet: '10.0.0.0/20' }, { subnet: '10.0.1.0/24' }], want: 'subnets 10.0.0.1-10.0.15.254 and 10.0.1.1-10.0.1.254 overlap' },
    { name: 'the same subnet twice', cfgs: [{ subnet: '10.0.0.0/24' }, { subnet: '10.0.0.0/24' }], want: 'subnets 10.0.0.1-10.0.0.254 and 10.0.0.1-10.0.0.254 overlap' },
    { name: 'a range that starts inside the one before it', cfgs: [{ subnet: '10.0.0.0/24', rangeEnd: '10.0.0.100' }, { subnet: '10.0.0.0/24', rangeStart: '10.0.0.50' }], want: 'subnets 10.0.0.1-10.0.0.100 and 10.0.0.50-10.0.0.254 overlap' },
    { name: 'a range that ends inside the one after it', cfgs: [{ subnet: '10.0.0.0/24', rangeStart: '10.0.0.50' }, { subnet: '10.0.0.0/24', rangeEnd: '10.0.0.100' }], want: 'subnets 10.0.0.50-10.0.0.254 and 10.0.0.1-10.0.0.100 overlap' },
    { name: 'a range inside the one after it', cfgs: [{ subnet: '10.0.1.0/24' }, { subnet: '10.0.0.0/20' }], want: 'subnets 10.0.1.1-10.0.1.254 and 10.0.0.1-10.0.15.254 overlap' },
  ]
  cases(badRanges, (r) => `host-local refuses ${r.name} with its own message`, ({ cfgs, want }) => {
    const { error, message } = thrown(() => new RangeSet(cfgs))
    expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
    expect(message).toBe(want)
  })

  test('two ranges of one subnet that split it at .127/.128 do not overlap', () => {
    expect(String(new RangeSet([{ subnet: '10.0.0.0/24', rangeEnd: '10.0.0.127' }, { subnet: '10.0.0.0/24', rangeStart: '10.0.0.128' }]))).toBe('10.0.0.1-10.0.0.127,10.0.0.128-10.0.0.254')
  })

  cases([
    { ip: '192.0.3.0', want: false },
    { ip: '192.0.2.39', want: false },
    { ip: '192.0.2.40', want: true },
    { ip: '192.0.2.50', want: true },
    { ip: '192.0.2.51', want: false },
    { ip: '2001:db8:1::40', want: false },
    { ip: '::c000:228', want: false }, // an IPv6 address whose last 32 bits spell 192.0.2.40: range.go Contains compares families first
    { ip: 'not-an-ip', want: false },
  ], (r) => `a range from 192.0.2.40 to 192.0.2.50 contains ${r.ip}: ${r.want}`, ({ ip, want }) => {
    const set = new RangeSet([{ subnet: '192.0.2.0/24', rangeStart: '192.0.2.40', rangeEnd: '192.0.2.50', gateway: '192.0.2.254' }])
    expect(set.contains(ip), `rangeset.Contains(${ip})`).toBe(want)
  })

  test('a fresh /29 hands out .2 to .6 in order (the gateway .1 and the broadcast .7 never), then reports the range set full', () => {
    const alloc = new IPAllocator([{ subnet: '192.168.1.0/29' }])
    const got = [2, 3, 4, 5, 6].map((i) => alloc.get(`ID${i}`, 'eth0').address)
    expect(got).toEqual(['192.168.1.2/29', '192.168.1.3/29', '192.168.1.4/29', '192.168.1.5/29', '192.168.1.6/29'])
    const { error, message } = thrown(() => alloc.get('ID8', 'eth0'))
    expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
    expect(message).toBe('no IP addresses available in range set: 192.168.1.1-192.168.1.6')
  })

  test('the result carries the pod IP, the IP with the subnet prefix, and the gateway', () => {
    expect(new IPAllocator(kindnet('10.244.1.0/24')).get('sandbox-1', 'eth0')).toEqual({ ip: '10.244.1.2', address: '10.244.1.2/24', gateway: '10.244.1.1' })
  })

  // allocator_test.go "should allocate ips in round robin"
  const roundRobin: { name: string; subnets: string[]; ipmap?: Record<string, string>; lastIP?: string; want: string }[] = [
    { name: 'a fresh IPv4 range starts at network+2, after the gateway', subnets: ['10.0.0.0/29'], want: '10.0.0.2' },
    { name: 'a fresh IPv6 range starts at network+2, after the gateway', subnets: ['2001:db8:1::0/64'], want: '2001:db8:1::2' },
    { name: 'a fresh /30 has exactly one IP and hands it out', subnets: ['10.0.0.0/30'], want: '10.0.0.2' },
    { name: 'a fresh range skips an IP that is already reserved', subnets: ['10.0.0.0/29'], ipmap: { '10.0.0.2': 'id' }, want: '10.0.0.3' },
    { name: 'the walk starts right after the last reserved IP', subnets: ['10.0.0.0/29'], lastIP: '10.0.0.5', want: '10.0.0.6' },
    { name: 'an IPv6 walk starts right after the last reserved IP too', subnets: ['2001:db8:1::/64'], lastIP: '2001:db8:1::5', want: '2001:db8:1::6' },
    { name: 'after the last reserved IP, reserved ones are skipped', subnets: ['10.0.0.0/29'], ipmap: { '10.0.0.4': 'id', '10.0.0.5': 'id' }, lastIP: '10.0.0.3', want: '10.0.0.6' },
    { name: 'past rangeEnd the walk wraps to the start of the range', subnets: ['10.0.0.0/29'], ipmap: { '10.0.0.6': 'id' }, lastIP: '10.0.0.5', want: '10.0.0.2' },
    { name: 'a last reserved IP outside the range set is ignored', subnets: ['10.0.0.0/29'], ipmap: { '10.0.0.2': 'id' }, lastIP: '10.0.0.128', want: '10.0.0.3' },
    {
      name: 'when only the last reserved IP is free, the walk wraps all the way round to it',
      subnets: ['10.0.0.0/29'],
      ipmap: { '10.0.0.2': 'id', '10.0.0.4': 'id', '10.0.0.5': 'id', '10.0.0.6': 'id' },
      lastIP: '10.0.0.3',
      want: '10.0.0.3',
    },
    { name: 'several ranges: a fresh set starts in the first', subnets: ['10.0.0.0/30', '10.0.1.0/30'], want: '10.0.0.2' },
    { name: 'several ranges: past the end of one range the walk goes on in the next', subnets: ['10.0.0.0/30', '10.0.1.0/30'], lastIP: '10.0.0.2', want: '10.0.1.2' },
    { name: 'several ranges: past the last range the walk rolls back to the first', subnets: ['10.0.0.0/30', '10.0.1.0/30', '10.0.2.0/30'], lastIP: '10.0.2.2', want: '10.0.0.2' },
  ]
  cases(roundRobin, (r) => `round robin: ${r.name}`, ({ subnets, ipmap, lastIP, want }) => {
    const store = new MemoryStore(ipmap ?? {}, lastIP ? { '0': lastIP } : {})
    const alloc = new IPAllocator(subnets.map((subnet) => ({ subnet })), store, 0)
    const got = alloc.get('ID', 'eth0').ip
    expect(got, `IP for a new container in ${subnets.join(',')}; reserved [${Object.keys(ipmap ?? {}).join(', ')}], last reserved ${lastIP ?? '(none)'}`).toBe(want)
  })

  cases<{ subnets: string[]; ipmap: Record<string, string>; want: string }>([
    { subnets: ['10.0.0.0/30'], ipmap: { '10.0.0.2': 'id' }, want: 'no IP addresses available in range set: 10.0.0.1-10.0.0.2' },
    { subnets: ['10.0.0.0/29'], ipmap: { '10.0.0.2': 'id', '10.0.0.3': 'id', '10.0.0.4': 'id', '10.0.0.5': 'id', '10.0.0.6': 'id' }, want: 'no IP addresses available in range set: 10.0.0.1-10.0.0.6' },
    { subnets: ['10.0.0.0/30', '10.0.1.0/30'], ipmap: { '10.0.0.2': 'id', '10.0.1.2': 'id' }, want: 'no IP addresses available in range set: 10.0.0.1-10.0.0.2,10.0.1.1-10.0.1.2' },
  ], (r) => `a full range set ${r.subnets.join(',')} reports which ranges are exhausted`, ({ subnets, ipmap, want }) => {
    const alloc = new IPAllocator(subnets.map((subnet) => ({ subnet })), new MemoryStore(ipmap))
    const { error, message } = thrown(() => alloc.get('ID', 'eth0'))
    expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
    expect(message).toBe(want)
  })

  test("a kindnet node runs out after 253 pods: kubectl describe pod shows 'no IP addresses available in range set: 10.244.1.1-10.244.1.254'", () => {
    const alloc = new IPAllocator(kindnet('10.244.1.0/24'))
    const ips = Array.from({ length: 253 }, (_, i) => alloc.get(`sandbox-${i}`, 'eth0').ip)
    expect(ips[0]).toBe('10.244.1.2')
    expect(ips[252]).toBe('10.244.1.254')
    expect(thrown(() => alloc.get('sandbox-253', 'eth0')).message).toBe('no IP addresses available in range set: 10.244.1.1-10.244.1.254')
  })

  test('a released IP is not handed out again while others are free: a recreated pod gets a new IP', () => {
    // allocator_test.go "should allocate in a round-robin fashion"
    const alloc = new IPAllocator([{ subnet: '192.168.1.0/29' }])
    expect(alloc.get('ID', 'eth0').address).toBe('192.168.1.2/29')
    alloc.release('ID', 'eth0')
    expect(alloc.get('ID', 'eth0').address, 'the same container asks again after its IP was released').toBe('192.168.1.3/29')
    const kind = new IPAllocator(kindnet('10.244.1.0/24'))
    const before = kind.get('sandbox-order-1', 'eth0').ip
    kind.release('sandbox-order-1', 'eth0')
    const after = kind.get('sandbox-order-2', 'eth0').ip
    expect(`${before} → ${after}`, 'pod order-1 deleted and created again by its Deployment').toBe('10.244.1.2 → 10.244.1.3')
  })

  test('a released IP comes back once the walk has gone round the whole range and it is the only one free', () => {
    const alloc = new IPAllocator([{ subnet: '192.168.1.0/29' }])
    for (const i of [2, 3, 4, 5, 6]) alloc.get(`ID${i}`, 'eth0')
    alloc.release('ID3', 'eth0')
    expect(alloc.get('ID9', 'eth0').ip).toBe('192.168.1.3')
  })

  test('a container that already holds an IP of the range set is refused a second one', () => {
    const alloc = new IPAllocator([{ subnet: '192.168.1.0/29' }])
    alloc.get('ID', 'eth0')
    const { error, message } = thrown(() => alloc.get('ID', 'eth0'))
    expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
    expect(message).toBe('192.168.1.2 has been allocated to ID, duplicate allocation is not allowed')
  })

  test('a requested free IP is reserved as asked, and asking for it again is refused', () => {
    const alloc = new IPAllocator([{ subnet: '192.168.1.0/29' }])
    expect(alloc.get('ID', 'eth0', '192.168.1.5').ip).toBe('192.168.1.5')
    const { error, message } = thrown(() => alloc.get('ID', 'eth0', '192.168.1.5'))
    expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
    expect(message).toBe('requested IP address 192.168.1.5 is not available in range set 192.168.1.1-192.168.1.6')
  })

  cases([
    { name: 'the gateway', ranges: [{ subnet: '192.168.1.0/29' }], ip: '192.168.1.1', want: "requested ip 192.168.1.1 is subnet's gateway" },
    { name: 'an IP after rangeEnd', ranges: [{ subnet: '192.168.1.0/29', rangeEnd: '192.168.1.4' }], ip: '192.168.1.5', want: '192.168.1.5 not in range set 192.168.1.1-192.168.1.4' },
    { name: 'an IP before rangeStart', ranges: [{ subnet: '192.168.1.0/29', rangeStart: '192.168.1.3' }], ip: '192.168.1.2', want: '192.168.1.2 not in range set 192.168.1.3-192.168.1.6' },
    { name: 'an IP of another node', ranges: kindnet('10.244.1.0/24'), ip: '10.244.2.7', want: '10.244.2.7 not in range set 10.244.1.1-10.244.1.254' },
  ], (r) => `requesting ${r.name} is refused with the host-local message`, ({ ranges, ip, want }) => {
    const { error, message } = thrown(() => new IPAllocator(ranges).get('ID', 'eth0', ip))
    expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
    expect(message).toBe(want)
  })

  // backend/disk/backend.go: one file per IP holding `<TrimSpace(id)>\r\n<ifname>`; GetByID and ReleaseByID match both.
  test('host-local records each IP with its container ID, spaces trimmed, and its interface', () => {
    const store = new MemoryStore({ '10.0.0.9': 'old' })
    const alloc = new IPAllocator([{ subnet: '10.0.0.0/28' }], store)
    alloc.get(' sandbox-1\n', 'eth0')
    alloc.get('sandbox-1', 'net1')
    alloc.get('sandbox-2')
    expect(Object.fromEntries(store.reserved()), 'the data directory of the network').toEqual({
      '10.0.0.9': { id: 'old', ifname: 'eth0' },
      '10.0.0.2': { id: 'sandbox-1', ifname: 'eth0' },
      '10.0.0.3': { id: 'sandbox-1', ifname: 'net1' },
      '10.0.0.4': { id: 'sandbox-2', ifname: 'eth0' },
    })
  })

  const byID: { name: string; act: (alloc: IPAllocator) => void; refused?: string; held: string[] }[] = [
    { name: 'asking again with spaces around the same container ID is a duplicate', act: (alloc) => alloc.get(' sandbox-1 ', 'eth0'), refused: '10.0.0.2 has been allocated to  sandbox-1 , duplicate allocation is not allowed', held: ['10.0.0.2', '10.0.0.3'] },
    { name: 'asking again without an interface name asks for eth0: a duplicate', act: (alloc) => alloc.get('sandbox-1'), refused: '10.0.0.2 has been allocated to sandbox-1, duplicate allocation is not allowed', held: ['10.0.0.2', '10.0.0.3'] },
    { name: 'an IP of the initial data directory is held by its container on eth0', act: (alloc) => alloc.get('old', 'eth0'), refused: '10.0.0.9 has been allocated to old, duplicate allocation is not allowed', held: ['10.0.0.2', '10.0.0.3'] },
    { name: 'releasing with spaces around the container ID frees its IP on that interface only', act: (alloc) => alloc.release(' sandbox-1 ', 'net1'), held: ['10.0.0.2'] },
    {
      name: 'once released, that interface of the container is given a new IP',
      act: (alloc) => {
        alloc.release(' sandbox-1 ', 'net1')
        alloc.get('sandbox-1', 'net1')
      },
      held: ['10.0.0.2', '10.0.0.4'],
    },
    {
      name: 'released with spaces on net1, the container still holds eth0: asking again on eth0 is a duplicate',
      act: (alloc) => {
        alloc.release(' sandbox-1 ', 'net1')
        alloc.get('sandbox-1', 'eth0')
      },
      refused: '10.0.0.2 has been allocated to sandbox-1, duplicate allocation is not allowed',
      held: ['10.0.0.2'],
    },
    {
      name: 'both interfaces released with spaces, the container starts afresh on eth0',
      act: (alloc) => {
        alloc.release(' sandbox-1 ', 'eth0')
        alloc.release(' sandbox-1 ', 'net1')
        alloc.get('sandbox-1', 'eth0')
      },
      held: ['10.0.0.4'],
    },
    { name: 'releasing without an interface name frees eth0 only', act: (alloc) => alloc.release('sandbox-1'), held: ['10.0.0.3'] },
    { name: 'releasing another interface of the container frees nothing', act: (alloc) => alloc.release('sandbox-1', 'net2'), held: ['10.0.0.2', '10.0.0.3'] },
    {
      name: 'after eth0 is released, the container still holds its net1 IP: asking again on net1 is a duplicate',
      act: (alloc) => {
        alloc.release('sandbox-1', 'eth0')
        alloc.get('sandbox-1', 'net1')
      },
      refused: '10.0.0.3 has been allocated to sandbox-1, duplicate allocation is not allowed',
      held: ['10.0.0.3'],
    },
  ]
  cases(byID, (r) => `host-local matches a container by its trimmed ID and its interface: ${r.name}`, ({ act, refused, held }) => {
    const alloc = new IPAllocator([{ subnet: '10.0.0.0/28' }], new MemoryStore({ '10.0.0.9': 'old' }))
    alloc.get('sandbox-1', 'eth0') // 10.0.0.2
    alloc.get('sandbox-1', 'net1') // 10.0.0.3
    const { error, message } = thrown(() => act(alloc))
    if (refused) {
      expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
      expect((error as Error).name, 'the name of the error class, as an uncaught error prints it').toBe('HostLocalError')
      expect(message).toBe(refused)
    } else {
      expect(error, message).toBeUndefined()
    }
    const ips = [...alloc.store.reserved()].filter(([, r]) => r.id === 'sandbox-1').map(([ip]) => ip)
    expect(ips, "sandbox-1's IPs afterwards").toEqual(held)
  })

  test('a dual-stack node shares one data directory: the same pod sandbox gets an IPv4 and an IPv6 address', () => {
    // allocator.go Get refuses only an IP the container holds in this range set
    const store = new MemoryStore()
    const v4 = new IPAllocator([{ subnet: '10.244.1.0/24' }], store, 0)
    const v6 = new IPAllocator([{ subnet: 'fd00:10:244:1::/64' }], store, 1)
    expect([v4.get('sandbox-1', 'eth0').ip, v6.get('sandbox-1', 'eth0').ip]).toEqual(['10.244.1.2', 'fd00:10:244:1::2'])
    expect(thrown(() => v6.get('sandbox-1', 'eth0')).message).toBe('fd00:10:244:1::2 has been allocated to sandbox-1, duplicate allocation is not allowed')
    expect(thrown(() => v4.get('sandbox-1', 'eth0')).message, 'the IPv4 range asked again: the sandbox holds both').toBe('10.244.1.2 has been allocated to sandbox-1, duplicate allocation is not allowed')
    v4.release('sandbox-1', 'eth0')
    expect([...store.reserved().keys()], 'after one release (ReleaseByID frees every IP of the container and interface in the data directory)').toEqual([])
  })

  test('property: whatever pods come and go on a node, no pod IP is held twice and none is the network, gateway or broadcast address', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('add' as const), fc.nat(40)), { maxLength: 80 }), (ops) => {
        const alloc = new IPAllocator([{ subnet: '10.244.1.0/27' }])
        const held = new Map<string, string>() // sandbox → pod IP
        let n = 0
        for (const op of ops) {
          if (op === 'add') {
            const id = `sandbox-${n++}`
            if (held.size === 29) {
              expect(thrown(() => alloc.get(id, 'eth0')).error, 'a full /27 (29 pod IPs) refuses the next sandbox').toBeInstanceOf(HostLocalError)
              continue
            }
            const { ip } = alloc.get(id, 'eth0')
            const owner = [...held].find(([, x]) => x === ip)
            expect(owner, `${ip} handed to ${id} while ${owner?.[0]} holds it; held:\n${bullets([...held].map(([s, x]) => `${s} ${x}`))}`).toBeUndefined()
            expect(['10.244.1.0', '10.244.1.1', '10.244.1.31'], `${ip} is not a usable pod IP`).not.toContain(ip)
            held.set(id, ip)
          } else {
            const id = [...held.keys()][op % Math.max(held.size, 1)]
            if (id === undefined) continue
            alloc.release(id, 'eth0')
            held.delete(id)
          }
        }
      }),
      { seed: 20260101, numRuns: 100 },
    )
  })
})

// ---------------------------------------------------------------------------
task('pod-network', () => {
  test("pods get IPs from their own node's podCIDR, starting at .2 on each node", () => {
    const net = new PodNetwork()
    const got = [snack('order-1', 'kind-worker'), snack('order-2', 'kind-worker'), snack('menu-1', 'kind-worker2')].map((p) => `${p.metadata!.name} ${net.addPod(p)}`)
    expect(got).toEqual(['order-1 10.244.1.2', 'order-2 10.244.1.3', 'menu-1 10.244.2.2'])
    expect(net.podIP('snackbar', 'order-2')).toBe('10.244.1.3')
  })

  test('a pod deleted and created again under the same name gets a different IP, so clients cannot keep a pod IP', () => {
    const net = new PodNetwork()
    const first = net.addPod(snack('order-1', 'kind-worker'))
    net.deletePod('snackbar', 'order-1')
    const second = net.addPod(snack('order-1', 'kind-worker'))
    expect(`${first} → ${second}`, 'status.podIP of snackbar/order-1 before and after it was recreated').toBe('10.244.1.2 → 10.244.1.3')
  })

  test('a full node refuses the next pod sandbox with the error the kubelet reports', () => {
    const net = new PodNetwork({ nodeCIDRMaskSize: 30 }) // kind-worker gets the second /30: one pod IP, .6
    expect(net.podCIDR('kind-worker')).toBe('10.244.0.4/30')
    expect(net.addPod(snack('order-1', 'kind-worker'))).toBe('10.244.0.6')
    const { error, message } = thrown(() => net.addPod(snack('order-2', 'kind-worker')))
    expect(error, 'a HostLocalError').toBeInstanceOf(HostLocalError)
    expect(message).toBe('failed to allocate for range 0: no IP addresses available in range set: 10.244.0.5-10.244.0.6')
  })

  test('a pod on a node the network does not know is refused', () => {
    const { error, message } = thrown(() => new PodNetwork().addPod(snack('order-1', 'kind-worker9')))
    expect(error).toBeInstanceOf(PodNetworkError)
    expect(message).toBe('nodes "kind-worker9" not found')
  })

  test('nodes that register with their podCIDRs keep them, in the order they register', () => {
    const net = new PodNetwork({ nodes: [KIND_NODES[2]!, KIND_NODES[0]!] })
    expect(net.nodes().map((n) => `${n.name} ${n.podCIDR}`)).toEqual(['kind-worker2 10.244.2.0/24', 'kind-control-plane 10.244.0.0/24'])
    expect(net.podCIDR('kind-worker2')).toBe('10.244.2.0/24')
  })

  test('a pod network built without options is kindnet\'s: a laptop outside the cluster has no route to a pod IP', () => {
    const net = new PodNetwork()
    const ip = net.addPod(snack('order-1', 'kind-worker'))
    expect(net.routablePodIPs, 'routablePodIPs by default').toBe(false)
    expect(net.reach({ kind: 'outside', name: 'laptop' }, ip).reason).toBe('no-route-from-outside')
  })

  test('a node that registers twice is refused the way the API server refuses a second Node of that name', () => {
    // apimachinery errors.go NewAlreadyExists: `<resource> "<name>" already exists`
    const net = new PodNetwork()
    const { error, message } = thrown(() => net.addNode({ name: 'kind-worker', internalIP: '172.18.0.9', controlPlane: false }))
    expect(error, 'a PodNetworkError').toBeInstanceOf(PodNetworkError)
    expect((error as Error).name, 'the name of the error class, as an uncaught error prints it').toBe('PodNetworkError')
    expect(message).toBe('nodes "kind-worker" already exists')
    expect(net.podCIDR('kind-worker'), 'the registered node keeps its podCIDR').toBe('10.244.1.0/24')
  })

  test('removing a node deletes its pods and no other, and its podCIDR is free again once the walk wraps round', () => {
    // podgc gc_controller.go gcOrphaned deletes the pods of a node that is gone; range_allocator.go ReleaseCIDR frees its podCIDR
    const net = new PodNetwork({ clusterCIDR: '10.244.0.0/23', nodes: [DEFAULT_NODES[1]!, DEFAULT_NODES[2]!] }) // two /24s: both taken
    const order = net.addPod(snack('order-1', 'kind-worker'))
    const menu = net.addPod(snack('menu-1', 'kind-worker2'))
    net.removeNode('kind-worker')
    expect(net.nodes().map((n) => n.name), 'the nodes left').toEqual(['kind-worker2'])
    expect({ podIP: net.podIP('snackbar', 'order-1'), holder: net.whoHas(order) }, `snackbar/order-1 (${order}) ran on kind-worker`).toEqual({ podIP: undefined, holder: undefined })
    expect(net.podIP('snackbar', 'menu-1'), 'snackbar/menu-1 runs on kind-worker2').toBe(menu)
    expect(thrown(() => net.podCIDR('kind-worker')).message).toBe('nodes "kind-worker" not found')
    expect(net.addNode({ name: 'kind-worker3', internalIP: '172.18.0.5', controlPlane: false }), "the next node gets kind-worker's podCIDR back").toBe('10.244.0.0/24')
  })

  test('a pod that names no namespace runs in default, as kubectl run without -n puts it there', () => {
    const net = new PodNetwork()
    const p = snack('debug', 'kind-worker2')
    delete p.metadata!.namespace
    const ip = net.addPod(p)
    expect({ default: net.podIP('default', 'debug'), snackbar: net.podIP('snackbar', 'debug') }).toEqual({ default: ip, snackbar: undefined })
    expect(net.reach({ kind: 'pod', name: 'debug' }, ip).reason, 'kubectl exec debug (no -n) -- curl its own pod IP').toBe('same-node')
  })

  const refusals: { name: string; act: (net: PodNetwork) => unknown; want: string }[] = [
    { name: 'a pod that is not scheduled to a node gets no sandbox and no IP', act: (net) => net.addPod(pod({ name: 'order-1', node: '' })), want: 'pod snackbar/order-1 is not scheduled to a node' },
    { name: 'a pod that still runs cannot be created again under its name', act: (net) => net.addPod(snack('order-1', 'kind-worker2')), want: 'pods "order-1" already exists' },
    { name: 'deleting a pod that does not run', act: (net) => net.deletePod('snackbar', 'order-9'), want: 'pods "order-9" not found' },
    { name: 'deleting a pod of that name in another namespace', act: (net) => net.deletePod('kitchen', 'order-1'), want: 'pods "order-1" not found' },
    { name: 'a packet from a pod that does not run', act: (net) => net.reach({ kind: 'pod', namespace: 'snackbar', name: 'ghost' }, '10.244.1.2'), want: 'pods "ghost" not found' },
    { name: 'a packet from a pod of that name in another namespace', act: (net) => net.reach({ kind: 'pod', namespace: 'kitchen', name: 'order-1' }, '10.244.1.2'), want: 'pods "order-1" not found' },
    { name: 'a packet from a node the cluster does not have', act: (net) => net.reach({ kind: 'node', name: 'kind-worker9' }, '10.244.1.2'), want: 'nodes "kind-worker9" not found' },
    { name: 'removing a node the cluster does not have', act: (net) => net.removeNode('kind-worker9'), want: 'nodes "kind-worker9" not found' },
  ]
  cases(refusals, (r) => `the pod network refuses ${r.name}`, ({ act, want }) => {
    const net = new PodNetwork()
    net.addPod(snack('order-1', 'kind-worker')) // 10.244.1.2
    const { error, message } = thrown(() => act(net))
    expect(error, 'a PodNetworkError').toBeInstanceOf(PodNetworkError)
    expect(message).toBe(want)
  })

  test('a pod of the same name in another namespace is another pod, with its own IP', () => {
    const net = new PodNetwork()
    const a = net.addPod(snack('order-1', 'kind-worker'))
    const b = net.addPod(pod({ name: 'order-1', namespace: 'kitchen', node: 'kind-worker' }))
    expect([a, b, net.podIP('kitchen', 'order-1')]).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.3'])
  })

  test('deleting a pod frees its IP on its node: a full node takes the next pod again, and the old pod has no IP', () => {
    // host-local Release frees what the container ID holds on its interface (allocator.go, backend/disk)
    const net = new PodNetwork({ nodeCIDRMaskSize: 30 }) // kind-worker: 10.244.0.4/30, one pod IP
    const first = net.addPod(snack('order-1', 'kind-worker'))
    net.deletePod('snackbar', 'order-1')
    expect(net.podIP('snackbar', 'order-1'), 'status.podIP of the deleted pod').toBeUndefined()
    expect(net.addPod(snack('order-2', 'kind-worker')), 'the only pod IP of kind-worker, freed by order-1').toBe(first)
  })

  // What reach says, beyond the reason: the pod it reaches, and a message naming what decided it.
  const said: { name: string; from: Origin; ip: string; routable?: boolean; pod?: string; says: string[] }[] = [
    { name: 'a pod on the same node: the IP, the pod and the node', from: { kind: 'pod', namespace: 'snackbar', name: 'client' }, ip: '10.244.1.2', pod: 'snackbar/order-1 kind-worker', says: ['10.244.1.2', 'snackbar/order-1', 'kind-worker'] },
    {
      name: "a pod on another node: the origin's node, the podCIDR it routes, the InternalIP and name of the node it routes it via, the IP and the pod",
      from: { kind: 'pod', namespace: 'snackbar', name: 'client' },
      ip: '10.244.2.2',
      pod: 'snackbar/menu-1 kind-worker2',
      says: ['kind-worker', '10.244.2.0/24', '172.18.0.4', 'kind-worker2', '10.244.2.2', 'snackbar/menu-1'],
    },
    { name: 'a node to a pod on another node: the node the packet starts on', from: { kind: 'node', name: 'kind-control-plane' }, ip: '10.244.2.2', pod: 'snackbar/menu-1 kind-worker2', says: ['kind-control-plane', '10.244.2.0/24', '172.18.0.4', 'kind-worker2'] },
    { name: 'routable pod IPs from outside: the IP and the pod', from: { kind: 'outside', name: 'laptop' }, ip: '10.244.1.2', routable: true, pod: 'snackbar/order-1 kind-worker', says: ['10.244.1.2', 'snackbar/order-1'] },
    { name: 'no route from a named machine outside: its name and the IP, and no pod', from: { kind: 'outside', name: 'laptop' }, ip: '10.244.1.2', says: ['laptop', '10.244.1.2'] },
    { name: 'no route from an unnamed machine outside: "outside" and the IP', from: { kind: 'outside' }, ip: '10.244.2.2', says: ['outside', '10.244.2.2'] },
    { name: "an IP no pod holds: the IP, and the node whose podCIDR holds it", from: { kind: 'pod', namespace: 'snackbar', name: 'client' }, ip: '10.244.2.77', says: ['10.244.2.77', 'kind-worker2', '10.244.2.0/24'] },
    { name: 'an IP of no podCIDR: the IP', from: { kind: 'node', name: 'kind-worker' }, ip: '10.96.0.10', says: ['10.96.0.10'] },
  ]
  cases(said, (r) => `reach names what decided it: ${r.name}`, ({ from, ip, routable, pod: want, says }) => {
    const net = new PodNetwork({ nodes: KIND_NODES, routablePodIPs: routable ?? false })
    net.addPod(snack('order-1', 'kind-worker')) // 10.244.1.2
    net.addPod(snack('client', 'kind-worker')) // 10.244.1.3
    net.addPod(snack('menu-1', 'kind-worker2')) // 10.244.2.2
    const got = net.reach(from, ip)
    const p = got.pod
    expect(p && `${p.namespace}/${p.name} ${p.node} ${p.ip}`, `the pod reach answers with (${got.reason}; none when the packet does not arrive)`).toBe(want && `${want} ${ip}`)
    // Words, not wording: pod names as namespace/name, a node's name apart from a longer one.
    const words = new Set(got.message.split(/[\s(),:']+/))
    expect(says.filter((w) => !words.has(w)), `words missing from the message "${got.message}"`).toEqual([])
  })
})

/** The pod with these status conditions: [type, status, lastTransitionTime as ms after T0]. */
function conditions(p: Pod, ...list: [type: string, status: string, since: number][]): Pod {
  p.status!.conditions = list.map(([type, status, since]) => ({ type, status, lastTransitionTime: at(since) }))
  return p
}
/** The pod as the API server stores it before it is scheduled: no spec.nodeName at all. */
function unscheduled(p: Pod): Pod {
  delete p.spec!.nodeName
  return p
}
/** The pod before the kubelet has reported its containers. */
function noContainerStatuses(p: Pod): Pod {
  delete p.status!.containerStatuses
  return p
}
function created(p: Pod, creationTimestamp: string | undefined): Pod {
  p.metadata = { ...p.metadata, creationTimestamp }
  return p
}

// ---------------------------------------------------------------------------
task('active-pods', () => {
  // Each criterion of kubectl's ActivePods.Less, with `lesser` less active than `greater`.
  const criteria: { name: string; lesser: Pod; greater: Pod }[] = [
    { name: 'an unassigned pod is less active than one on a node', lesser: orderPod({ name: 'a', node: '', phase: 'Running' }), greater: orderPod({ name: 'b', phase: 'Pending', ready: false }) },
    { name: 'a Pending pod is less active than a Running one', lesser: orderPod({ name: 'a', phase: 'Pending', ready: true }), greater: orderPod({ name: 'b', phase: 'Running', ready: false }) },
    { name: 'a Pending pod is less active than an Unknown one', lesser: orderPod({ name: 'a', phase: 'Pending' }), greater: orderPod({ name: 'b', phase: 'Unknown' }) },
    { name: 'an Unknown pod is less active than a Running one', lesser: orderPod({ name: 'a', phase: 'Unknown' }), greater: orderPod({ name: 'b', phase: 'Running' }) },
    { name: 'a Succeeded pod ranks with Pending, below Unknown', lesser: orderPod({ name: 'a', phase: 'Succeeded' }), greater: orderPod({ name: 'b', phase: 'Unknown' }) },
    { name: 'a not-ready pod is less active than a ready one', lesser: orderPod({ name: 'a', ready: false, restarts: 0 }), greater: orderPod({ name: 'b', ready: true, restarts: 5 }) },
    { name: 'a pod without a Ready condition is less active than a ready one', lesser: orderPod({ name: 'a', ready: undefined }), greater: orderPod({ name: 'b', ready: true }) },
    {
      name: 'of two ready pods, the one ready more recently is less active',
      lesser: orderPod({ name: 'a', readySince: at(10 * MIN), restarts: 0 }),
      greater: orderPod({ name: 'b', readySince: at(1 * MIN), restarts: 3 }),
    },
    { name: 'a ready pod with no transition time is less active than one ready since a known time', lesser: orderPod({ name: 'a', ready: true }), greater: orderPod({ name: 'b', readySince: at(0) }) },
    { name: 'a pod with more container restarts is less active', lesser: orderPod({ name: 'a', restarts: 4, creationTimestamp: at(0) }), greater: orderPod({ name: 'b', restarts: 1, creationTimestamp: at(5 * MIN) }) },
    { name: 'a newer pod is less active than an older one', lesser: orderPod({ name: 'a', creationTimestamp: at(5 * MIN) }), greater: orderPod({ name: 'b', creationTimestamp: at(0) }) },
    { name: 'an unscheduled pod without spec.nodeName at all is less active than one on a node', lesser: unscheduled(orderPod({ name: 'a', phase: 'Running' })), greater: orderPod({ name: 'b', phase: 'Pending', ready: false }) },
    { name: 'the node a pod runs on does not rank it: a Pending pod on kind-worker2 is less active than a Running one on kind-worker', lesser: orderPod({ name: 'a', node: 'kind-worker2', phase: 'Pending', ready: false }), greater: orderPod({ name: 'b', node: 'kind-worker', ready: false }) },
    { name: 'a scheduled pod that is not Ready (PodScheduled True, Ready False) is less active than a ready one', lesser: conditions(orderPod({ name: 'a' }), ['PodScheduled', 'True', 0], ['Ready', 'False', 0]), greater: orderPod({ name: 'b', ready: true }) },
    {
      name: "of two ready pods, the Ready condition's time counts, not another condition's",
      lesser: conditions(orderPod({ name: 'a' }), ['PodScheduled', 'True', 0], ['Ready', 'True', 10 * MIN]),
      greater: conditions(orderPod({ name: 'b' }), ['PodScheduled', 'True', 5 * MIN], ['Ready', 'True', 1 * MIN]),
    },
    { name: 'a pod whose containers have not started (no containerStatuses) has no restarts, and the newer one is less active', lesser: noContainerStatuses(orderPod({ name: 'a', phase: 'Pending', ready: false, creationTimestamp: at(5 * MIN) })), greater: orderPod({ name: 'b', phase: 'Pending', ready: false, creationTimestamp: at(0) }) },
  ]
  cases(criteria, (r) => `ActivePods.Less: ${r.name}`, ({ lesser, greater }) => {
    expect(activePodsLess(lesser, greater), `Less(${describePod(lesser)}, ${describePod(greater)})`).toBe(true)
    expect(activePodsLess(greater, lesser), `Less(${describePod(greater)}, ${describePod(lesser)})`).toBe(false)
  })

  cases([
    { name: 'two unscheduled pods', a: orderPod({ name: 'a', node: '', phase: 'Pending', ready: false }), b: orderPod({ name: 'b', node: '', phase: 'Pending', ready: false }) },
    { name: 'two pods that are not ready, whenever they became not ready', a: conditions(orderPod({ name: 'a' }), ['Ready', 'False', 10 * MIN]), b: conditions(orderPod({ name: 'b' }), ['Ready', 'False', 1 * MIN]) },
    { name: 'two pods without a creation time', a: created(orderPod({ name: 'a' }), undefined), b: created(orderPod({ name: 'b' }), undefined) },
  ], (r) => `ActivePods.Less: neither of ${r.name} is less active`, ({ a, b }) => {
    expect([activePodsLess(a, b), activePodsLess(b, a)], `Less(${describePod(a)}, ${describePod(b)}) and the other way round`).toEqual([false, false])
  })

  test('ActivePods.Less: two pods equal in every criterion are not less than each other', () => {
    const a = orderPod({ name: 'a' })
    const b = orderPod({ name: 'b' })
    expect([activePodsLess(a, b), activePodsLess(b, a)]).toEqual([false, false])
  })

  test('a pod with no creation time is less active than any pod that has one', () => {
    const none = orderPod({ name: 'a' })
    none.metadata = { ...none.metadata, creationTimestamp: undefined }
    const old = orderPod({ name: 'b', creationTimestamp: at(0) })
    expect([activePodsLess(none, old), activePodsLess(old, none)]).toEqual([true, false])
  })

  // helpers.go SelectorsForObject: kubectl sends the selector; the API server matches labels.
  const canary = deployment('order', { app: 'order' }, 'kitchen')
  canary.spec!.selector.matchExpressions = [{ key: 'track', operator: 'In', values: ['canary'] }]
  cases([
    {
      name: "a Service's selector map is sent as matchLabels, in the Service's namespace",
      object: service({ name: 'order', selector: { app: 'order', tier: 'web' } }) as Service | Deployment,
      want: { namespace: 'snackbar', selector: { matchLabels: { app: 'order', tier: 'web' } } },
    },
    {
      name: "a Deployment's spec.selector is sent as it is, matchExpressions included",
      object: canary,
      want: { namespace: 'kitchen', selector: { matchLabels: { app: 'order' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['canary'] }] } },
    },
  ], (r) => `SelectorsForObject: ${r.name}`, ({ object, want }) => {
    expect(selectorsForObject(object), `namespace and LabelSelector kubectl lists pods with for ${object.kind} ${object.metadata!.name}`).toEqual(want)
  })

  test("SelectorsForObject: a Service whose manifest names no namespace is in default", () => {
    const svc = service({ name: 'order' })
    delete svc.metadata!.namespace
    expect(selectorsForObject(svc).namespace).toBe('default')
  })

  test('SelectorsForObject refuses a kind that selects no pods, naming its Go type', () => {
    // helpers.go SelectorsForObject: `selector for %T not implemented`
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'order', namespace: 'snackbar' } } as unknown as Service
    const { error, message } = thrown(() => selectorsForObject(cm))
    expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
    expect(message).toBe('selector for *v1.ConfigMap not implemented')
  })

  cases([
    { name: 'no selector at all', svc: service({ name: 'payments', selector: null }) },
    { name: 'an empty selector map', svc: service({ name: 'payments', selector: {} }) },
  ], (r) => `SelectorsForObject refuses a Service with ${r.name}`, ({ svc: s }) => {
    const { error, message } = thrown(() => selectorsForObject(s))
    expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
    expect(message).toBe("invalid service 'payments': Service is defined without a selector")
  })
})


// ---------------------------------------------------------------------------
/** A Service of the kubectl test vectors: only `spec` matters. */
function svcOf(ports: ServicePort[], clusterIP?: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'order', namespace: 'snackbar' }, spec: { ports, ...(clusterIP ? { clusterIP } : {}) } }
}
function podOf(ports: { name?: string; containerPort: number; protocol?: string }[]): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'order-1', namespace: 'snackbar' }, spec: { containers: [{ name: 'app', ports }] } }
}

task('port-forward-ports', () => {
  // portforward_test.go TestTranslateServicePortToTargetPort
  const translate: { name: string; svc: Service; pod: Pod; ports: string[]; want: string[] | string }[] = [
    { name: 'a numeric targetPort: service port 80 goes to container port 8080', svc: svcOf([{ port: 80, targetPort: 8080 }]), pod: podOf([{ name: 'http', containerPort: 8080 }]), ports: ['80'], want: ['80:8080'] },
    { name: 'a numeric targetPort with a random local port', svc: svcOf([{ port: 80, targetPort: 8080 }]), pod: podOf([{ name: 'http', containerPort: 8080 }]), ports: [':80'], want: [':8080'] },
    { name: 'an explicit local port is kept', svc: svcOf([{ port: 8080, targetPort: 8080 }]), pod: podOf([{ name: 'http', containerPort: 8080 }]), ports: ['8000:8080'], want: ['8000:8080'] },
    { name: 'a headless Service: no translation', svc: svcOf([{ port: 80, targetPort: 8080 }], 'None'), pod: podOf([{ name: 'http', containerPort: 8080 }]), ports: ['80'], want: ['80'] },
    { name: 'a headless Service with a random local port: no translation', svc: svcOf([{ port: 80, targetPort: 8080 }], 'None'), pod: podOf([{ name: 'http', containerPort: 8080 }]), ports: [':80'], want: [':80'] },
    {
      name: 'named targetPorts resolve to the container ports of the chosen pod',
      svc: svcOf([{ port: 80, targetPort: 'http' }, { port: 443, targetPort: 'https' }]),
      pod: podOf([{ name: 'http', containerPort: 8080 }, { name: 'https', containerPort: 8443 }]),
      ports: ['80', '443'],
      want: ['80:8080', '443:8443'],
    },
    {
      name: 'named targetPorts with random local ports',
      svc: svcOf([{ port: 80, targetPort: 'http' }, { port: 443, targetPort: 'https' }]),
      pod: podOf([{ name: 'http', containerPort: 8080 }, { name: 'https', containerPort: 8443 }]),
      ports: [':80', ':443'],
      want: [':8080', ':8443'],
    },
    {
      name: 'a service port named on the command line becomes its number locally',
      svc: svcOf([{ port: 80, name: 'http', targetPort: 8080 }, { port: 443, name: 'https', targetPort: 8443 }]),
      pod: podOf([{ containerPort: 8080 }, { containerPort: 8443 }]),
      ports: ['http', 'https'],
      want: ['80:8080', '443:8443'],
    },
    {
      name: 'a service port named on the command line with a random local port',
      svc: svcOf([{ port: 80, name: 'http', targetPort: 8080 }, { port: 443, name: 'https', targetPort: 8443 }]),
      pod: podOf([{ containerPort: 8080 }, { containerPort: 8443 }]),
      ports: [':http', ':https'],
      want: [':8080', ':8443'],
    },
    { name: 'a named service port with a named targetPort', svc: svcOf([{ port: 80, name: 'http', targetPort: 'http' }]), pod: podOf([{ name: 'http', containerPort: 80 }]), ports: ['http'], want: ['80'] },
    { name: 'an omitted targetPort means the service port', svc: svcOf([{ port: 80 }]), pod: podOf([{ name: 'http', containerPort: 80 }]), ports: ['80'], want: ['80'] },
    { name: 'an omitted targetPort with a random local port', svc: svcOf([{ port: 80 }]), pod: podOf([{ name: 'http', containerPort: 80 }]), ports: [':80'], want: [':80'] },
    { name: 'kubectl port-forward svc/order 8080:80 with targetPort 5000', svc: svcOf([{ port: 80, targetPort: 5000 }]), pod: podOf([]), ports: ['8080:80'], want: ['8080:5000'] },
    { name: 'a service port name with a digit is a name (h2), not a number', svc: svcOf([{ port: 443, name: 'h2', targetPort: 8443 }]), pod: podOf([]), ports: ['h2'], want: ['443:8443'] },
    { name: 'a service port name that starts with digits is a name (8443-tls), not a number', svc: svcOf([{ port: 443, name: '8443-tls', targetPort: 8443 }]), pod: podOf([]), ports: ['8443-tls'], want: ['443:8443'] },
    { name: "an empty remote port is the Service's unnamed port, as Go compares port names", svc: svcOf([{ port: 80, targetPort: 8080 }]), pod: podOf([]), ports: ['8080:'], want: ['8080'] },
    { name: 'a named targetPort the pod does not declare', svc: svcOf([{ port: 80, targetPort: 'http' }]), pod: podOf([{ name: 'https', containerPort: 443 }]), ports: ['80'], want: "Pod 'order-1' does not have a named port 'http'" },
    { name: 'a service port name the Service does not have', svc: svcOf([{ port: 80, targetPort: 'http' }]), pod: podOf([{ name: 'http', containerPort: 8080 }]), ports: ['https'], want: "Service 'order' does not have a named port 'https'" },
    { name: 'a service port number the Service does not have', svc: svcOf([{ port: 80, targetPort: 'http' }]), pod: podOf([{ name: 'https', containerPort: 443 }]), ports: ['443'], want: 'Service order does not have a service port 443' },
  ]
  cases(translate, (r) => `svc/NAME ports: ${r.name}`, ({ svc, pod: p, ports, want }) => {
    const what = `translateServicePortToTargetPort(${JSON.stringify(ports)}) for Service ports ${JSON.stringify(svc.spec!.ports)}`
    if (typeof want === 'string') {
      const { error, message } = thrown(() => translateServicePortToTargetPort(ports, svc, p))
      expect(error, `${what} must fail`).toBeInstanceOf(PortForwardError)
      expect(message).toBe(want)
    } else {
      expect(translateServicePortToTargetPort(ports, svc, p), what).toEqual(want)
    }
  })

  test('a numeric targetPort of 0 means the service port, as an omitted one does', () => {
    expect(lookupContainerPortNumberByServicePort(svcOf([{ port: 9090, targetPort: 0 }]), podOf([]), 9090)).toBe(9090)
  })

  // portforward_test.go TestConvertPodNamedPortToNumber
  const convert: { name: string; ports: string[]; want: string[] | string }[] = [
    { name: 'a number without a local port stays', ports: ['80'], want: ['80'] },
    { name: 'a number with a local port stays', ports: ['8000:80'], want: ['8000:80'] },
    { name: 'a number with a random local port stays', ports: [':80'], want: [':80'] },
    { name: 'a named port becomes its number', ports: ['http'], want: ['80'] },
    { name: 'a named port with a local port', ports: ['8000:http'], want: ['8000:80'] },
    { name: 'a named port with a random local port', ports: [':http'], want: [':80'] },
    { name: 'a name the pod does not declare', ports: ['https'], want: "Pod 'order-1' does not have a named port 'https'" },
    { name: 'one of several names the pod does not declare', ports: ['http', 'metrics'], want: "Pod 'order-1' does not have a named port 'metrics'" },
    { name: 'an empty remote port', ports: ['8080:'], want: 'remote port cannot be empty' },
  ]
  cases(convert, (r) => `pod/NAME ports: ${r.name}`, ({ ports, want }) => {
    const p = podOf([{ name: 'http', containerPort: 80 }])
    if (typeof want === 'string') {
      const { error, message } = thrown(() => convertPodNamedPortToNumber(ports, p))
      expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
      expect(message).toBe(want)
    } else {
      expect(convertPodNamedPortToNumber(ports, p), `convertPodNamedPortToNumber(${JSON.stringify(ports)})`).toEqual(want)
    }
  })

  // portforward_test.go TestCheckUDPPort
  const udp: { name: string; check: () => void; want?: string }[] = [
    { name: 'a UDP-only container port is refused', check: () => checkUDPPortInPod(['53'], podOf([{ containerPort: 53, protocol: 'UDP' }])), want: 'UDP protocol is not supported for 53' },
    { name: 'a named UDP-only container port is refused by its name', check: () => checkUDPPortInPod(['dns'], podOf([{ name: 'dns', containerPort: 53, protocol: 'UDP' }])), want: 'UDP protocol is not supported for dns' },
    { name: 'a container port that is UDP and TCP is fine (UDP listed first)', check: () => checkUDPPortInPod([':53'], podOf([{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }])) },
    { name: 'a container port that is TCP and UDP is fine (TCP listed first)', check: () => checkUDPPortInPod([':53'], podOf([{ containerPort: 53, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }])) },
    { name: 'a UDP-only service port is refused', check: () => checkUDPPortInService(['53'], svcOf([{ port: 53, protocol: 'UDP' }])), want: 'UDP protocol is not supported for 53' },
    { name: 'a named UDP-only service port is refused by its name', check: () => checkUDPPortInService(['10053:dns'], svcOf([{ port: 53, name: 'dns', protocol: 'UDP' }])), want: 'UDP protocol is not supported for dns' },
    { name: 'a service port that is UDP and TCP is fine (UDP listed first)', check: () => checkUDPPortInService(['53'], svcOf([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }])) },
    { name: 'a service port that is TCP and UDP is fine (TCP listed first)', check: () => checkUDPPortInService(['53'], svcOf([{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }])) },
    { name: "an empty remote port is the pod's unnamed container port, as Go compares port names: TCP is fine", check: () => checkUDPPortInPod(['8080:'], podOf([{ containerPort: 8080, protocol: 'TCP' }])) },
  ]
  cases(udp, (r) => `UDP: ${r.name}`, ({ check, want }) => {
    if (want === undefined) {
      expect(check(), 'the check passes and returns nothing').toBeUndefined()
    } else {
      const { error, message } = thrown(check)
      expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
      expect(message).toBe(want)
    }
  })

  cases([
    { ports: ['5000'], want: [{ local: 5000, remote: 5000 }] },
    { ports: ['8888:5000'], want: [{ local: 8888, remote: 5000 }] },
    { ports: [':5000', '0:5001'], want: [{ local: 0, remote: 5000 }, { local: 0, remote: 5001 }] },
    { ports: ['65535'], want: [{ local: 65535, remote: 65535 }] },
  ], (r) => `client-go parses ${r.ports.join(' ')} into local and remote ports`, ({ ports, want }) => {
    expect(parsePorts(ports)).toEqual(want)
  })

  cases([
    { port: '1:2:3', want: "invalid port format '1:2:3'" },
    { port: 'abc:80', want: `error parsing local port 'abc': strconv.ParseUint: parsing "abc": invalid syntax` },
    { port: '8080:70000', want: `error parsing remote port '70000': strconv.ParseUint: parsing "70000": value out of range` },
    { port: '8080:0', want: 'remote port must be > 0' },
    { port: '8080:80x', want: `error parsing remote port '80x': strconv.ParseUint: parsing "80x": invalid syntax` },
    { port: 'x8080:80', want: `error parsing local port 'x8080': strconv.ParseUint: parsing "x8080": invalid syntax` },
    { port: '', want: `error parsing local port '': strconv.ParseUint: parsing "": invalid syntax` },
  ], (r) => `client-go refuses the port argument '${r.port}'`, ({ port, want }) => {
    const { error, message } = thrown(() => parsePorts([port]))
    expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
    expect(message).toBe(want)
  })

  const cluster = apiServer({
    services: [service({ name: 'order', ports: [{ port: 80, targetPort: 'http' }] }), service({ name: 'dns', ports: [{ port: 53, protocol: 'UDP' }] }), service({ name: 'menu', namespace: 'kitchen' })],
    pods: [orderPod({ name: 'order-a', phase: 'Pending', ready: false }), pod({ name: 'dns-a', labels: { app: 'dns' } })],
    deployments: [deployment('order', { app: 'order' })],
  })
  cases([
    { name: 'no ports', resource: 'svc/order', ports: [], want: "TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples", output: undefined },
    { name: 'a Service that does not exist', resource: 'svc/orders', ports: ['80'], want: 'services "orders" not found', output: 'Error from server (NotFound): services "orders" not found' },
    { name: 'a pod that does not exist', resource: 'order-z', ports: ['80'], want: 'pods "order-z" not found', output: 'Error from server (NotFound): pods "order-z" not found' },
    { name: 'a Deployment that does not exist', resource: 'deploy/menu', ports: ['80'], want: 'deployments.apps "menu" not found', output: undefined },
    { name: 'an unknown resource type', resource: 'frobs/order', ports: ['80'], want: 'the server doesn\'t have a resource type "frobs"', output: undefined },
    { name: 'a Service of another namespace', resource: 'svc/menu', ports: ['80'], want: 'services "menu" not found', output: 'Error from server (NotFound): services "menu" not found' },
    // cli-runtime builder.go splitResourceTypeName
    { name: 'TYPE/NAME with two slashes', resource: 'svc/order/x', ports: ['80'], want: 'arguments in resource/name form may not have more than one slash', output: 'error: arguments in resource/name form may not have more than one slash' },
    { name: 'TYPE/ without a NAME', resource: 'svc/', ports: ['80'], want: 'arguments in resource/name form must have a single resource and name', output: 'error: arguments in resource/name form must have a single resource and name' },
    { name: '/NAME without a TYPE', resource: '/order', ports: ['80'], want: 'arguments in resource/name form must have a single resource and name', output: undefined },
    { name: 'a pod that is still Pending', resource: 'svc/order', ports: ['8080:80'], want: 'unable to forward port because pod is not running. Current status=Pending', output: 'error: unable to forward port because pod is not running. Current status=Pending' },
    { name: 'a UDP Service port', resource: 'svc/dns', ports: ['53'], want: 'UDP protocol is not supported for 53', output: undefined },
    { name: 'a Service port that does not exist, before the pod phase is looked at', resource: 'svc/order', ports: ['8080:81'], want: 'Service order does not have a service port 81', output: undefined },
  ], (r) => `kubectl port-forward refuses ${r.name} with its message`, ({ resource, ports, want, output }) => {
    const { error, message } = thrown(() => portForward(cluster, { resource, ports, namespace: 'snackbar' }))
    expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
    expect(message).toBe(want)
    if (output) expect((error as PortForwardError).output, 'what kubectl prints').toBe(output)
    if (output?.startsWith('Error from server')) expect(error).toBeInstanceOf(NotFoundError)
    expect((error as Error).name, 'the name of the error class, as an uncaught error prints it').toBe(error instanceof NotFoundError ? 'NotFoundError' : 'PortForwardError')
  })
})

// ---------------------------------------------------------------------------
task('port-forward-command', () => {
  test('kubectl port-forward svc/order 8080:80 prints one Forwarding line per listen address: 127.0.0.1 and [::1], to the container port', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' })
    expect(s.stdout).toEqual(['Forwarding from 127.0.0.1:8080 -> 8080', 'Forwarding from [::1]:8080 -> 8080'])
  })

  test('several ports print their lines port by port, and --address 0.0.0.0 listens on that address only', () => {
    const s = portForward(orderCluster(), { resource: 'pod/order-a', ports: ['8888:8080', 'http'], namespace: 'snackbar', address: ['0.0.0.0'] })
    expect(s.stdout).toEqual(['Forwarding from 0.0.0.0:8888 -> 8080', 'Forwarding from 0.0.0.0:8080 -> 8080'])
  })

  test('a random local port (:80) is one port, shared by the 127.0.0.1 and [::1] listeners', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: [':web'], namespace: 'snackbar', seed: 7 })
    const local = s.ports[0]!.local
    expect(local, 'a port of the ephemeral range').toBeGreaterThanOrEqual(32768)
    expect(local).toBeLessThanOrEqual(60999)
    expect(s.stdout).toEqual([`Forwarding from 127.0.0.1:${local} -> 8080`, `Forwarding from [::1]:${local} -> 8080`])
  })

  test('Ctrl-C stops the session cleanly with exit code 0', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' })
    s.stop()
    expect({ active: s.active, exitError: s.exitError, exitCode: s.exitCode, stderr: s.stderr }).toEqual({ active: false, exitError: undefined, exitCode: 0, stderr: [] })
  })

  test('deploy/order 8080:80 forwards to container port 80 of its pod: only a Service translates ports', () => {
    const cluster = apiServer({ services: [orderService], pods: orderCluster().pods, deployments: [deployment('order', { app: 'order' })] })
    const s = portForward(cluster, { resource: 'deploy/order', ports: ['8080:80'], namespace: 'snackbar' })
    expect({ pod: s.pod, stdout: s.stdout }).toEqual({ pod: 'order-b', stdout: ['Forwarding from 127.0.0.1:8080 -> 80', 'Forwarding from [::1]:8080 -> 80'] })
  })

  const aliases = ['pod/order-b', 'pods/order-b', 'po/order-b', 'order-b', 'service/order', 'services/order', 'svc/order', 'SVC/order', 'deployment/order', 'deployments/order', 'deploy/order', 'deployment.apps/order', 'deployments.apps/order']
  cases(aliases, (r) => `kubectl port-forward ${r} finds the object and forwards to order-b`, (resource) => {
    const cluster = apiServer({ services: [orderService], pods: orderCluster().pods, deployments: [deployment('order', { app: 'order' })] })
    const ports = /^s/i.test(resource) ? ['8080:80'] : ['8080:8080'] // a Service's port 80 is the pods' 8080
    const s = portForward(cluster, { resource, ports, namespace: 'snackbar' })
    expect({ namespace: s.namespace, pod: s.pod, stdout: s.stdout[0] }).toEqual({ namespace: 'snackbar', pod: 'order-b', stdout: 'Forwarding from 127.0.0.1:8080 -> 8080' })
  })

  test('a pod whose manifest names no namespace is found without -n, in default', () => {
    const debug = pod({ name: 'debug' })
    delete debug.metadata!.namespace
    const s = portForward(apiServer({ pods: [debug] }), { resource: 'debug', ports: ['8080'] })
    expect({ namespace: s.namespace, pod: s.pod }).toEqual({ namespace: 'default', pod: 'debug' })
  })

  cases([
    { address: ['::1', '127.0.0.1'], want: ['Forwarding from 127.0.0.1:8080 -> 8080', 'Forwarding from [::1]:8080 -> 8080'], what: 'are sorted' },
    { address: ['127.0.0.1', 'localhost'], want: ['Forwarding from 127.0.0.1:8080 -> 8080', 'Forwarding from [::1]:8080 -> 8080'], what: 'listen once each, localhost included' },
  ], (r) => `--address ${r.address.join(',')}: the listen addresses ${r.what}`, ({ address, want }) => {
    // client-go portforward.go parseAddresses: a set of addresses, sorted
    expect(portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar', address }).stdout).toEqual(want)
  })

  test('--address that is no IP is refused', () => {
    const { error, message } = thrown(() => portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar', address: ['0.0.0.0.0'] }))
    expect(error, 'a PortForwardError').toBeInstanceOf(PortForwardError)
    expect(message).toBe('0.0.0.0.0 is not a valid IP')
  })

  test('a client connecting to localhost reaches the 127.0.0.1 listener; with --address ::1 only [::1] listens', () => {
    expect(portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' }).connect(8080, 'localhost').pod).toBe('order-b')
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar', address: ['::1'] })
    expect(s.connect(8080, '::1').pod).toBe('order-b')
    const { error, message } = thrown(() => s.connect(8080, '127.0.0.1'))
    expect(error, 'nothing listens on 127.0.0.1').toBeInstanceOf(ConnectionRefusedError)
    expect((error as Error).name, 'the name of the error class, as an uncaught error prints it').toBe('ConnectionRefusedError')
    expect(message).toBe('dial tcp 127.0.0.1:8080: connect: connection refused')
  })

  test('Ctrl-C after the pod was deleted changes nothing: kubectl already ended with exit code 1', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' })
    s.podDeleted('snackbar', 'order-b')
    s.stop()
    expect({ active: s.active, exitError: s.exitError, exitCode: s.exitCode }).toEqual({ active: false, exitError: 'lost connection to pod', exitCode: 1 })
  })

  test('a connection to a local port that is not forwarded is refused', () => {
    const s = portForward(orderCluster(), { resource: 'svc/order', ports: ['8080:80'], namespace: 'snackbar' })
    const { error, message } = thrown(() => s.connect(9090))
    expect(error).toBeInstanceOf(ConnectionRefusedError)
    expect(message).toBe('dial tcp 127.0.0.1:9090: connect: connection refused')
  })
})
