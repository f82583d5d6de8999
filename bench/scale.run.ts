// The model at Kubernetes' scalability envelope: 10,000 Services and 150,000 pods
// over 5,000 nodes. Prints medians; run with `npm run bench` (or `--only scale`).
//
//   full endpoints reconcile      every Service synced once after loading all objects
//   one pod change                a pod's readiness flips; its Services re-synced
//   EndpointSlices                every Service's slices built
//   kube-proxy sync               one node's rules for every Service
//   100,000 routed connections    new connections to random cluster IPs on that node
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { test } from 'vitest'
import { EndpointsController } from '@impl/controller/endpoints.ts'
import { syncService as syncSlices } from '@impl/controller/endpointslice.ts'
import { Proxier } from '@impl/proxy/iptables/proxier.ts'

const SERVICES = 10_000
const PODS = 150_000
const NODES = 5_000
const NAMESPACES = 100
const CONNECTIONS = 100_000
const POD_CHANGES = 2_000

const ip = (base: number, n: number) => `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ms = (x: number) => `${x.toFixed(3)} ms`
const s = (x: number) => `${(x / 1000).toFixed(3)} s`
let peak = 0
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss))

function makeService(i: number): Service {
  const ns = `ns-${i % NAMESPACES}`
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: ns, uid: `svc-uid-${i}`, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      type: 'ClusterIP',
      selector: { app: `app-${i}` },
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      clusterIP: ip(10, 0x600000 + i + 16),
      clusterIPs: [ip(10, 0x600000 + i + 16)],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
  }
}

function makePod(j: number, ready = true): Pod {
  const svc = j % SERVICES
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${j}`, namespace: `ns-${svc % NAMESPACES}`, uid: `pod-uid-${j}`, labels: { app: `app-${svc}` } },
    spec: { nodeName: `node-${j % NODES}`, containers: [{ name: 'app', image: 'agnhost', ports: [{ containerPort: 8080 }] }] },
    status: {
      phase: 'Running',
      podIP: ip(10, 0xf40000 + j),
      podIPs: [{ ip: ip(10, 0xf40000 + j) }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  }
}

test('scale: 10,000 Services, 150,000 pods, 5,000 nodes', () => {
  const lines: string[] = []
  const services = Array.from({ length: SERVICES }, (_, i) => makeService(i))
  const pods = Array.from({ length: PODS }, (_, j) => makePod(j))
  sample()

  // Endpoints: load everything, every Service synced once.
  const ctrl = new EndpointsController()
  let t0 = performance.now()
  ctrl.batch(() => {
    for (const svc of services) ctrl.addService(svc)
    for (const p of pods) ctrl.addPod(p)
  })
  const full = performance.now() - t0
  sample()
  lines.push(`full endpoints reconcile (${SERVICES} services, ${PODS} pods)`.padEnd(64) + s(full) + '  (target ≤ 2 s)')

  // One pod change: readiness flips, its Service is re-synced.
  const changes: number[] = []
  for (let k = 0; k < POD_CHANGES; k++) {
    const j = (k * 7919) % PODS
    t0 = performance.now()
    ctrl.updatePod(makePod(j, k % 2 === 1))
    changes.push(performance.now() - t0)
  }
  lines.push(`one pod change re-reconciled (median of ${POD_CHANGES})`.padEnd(64) + ms(median(changes)) + '  (target ≤ 1 ms)')

  // EndpointSlices for every Service.
  const bySvc = new Map<number, Pod[]>()
  pods.forEach((p, j) => {
    const k = j % SERVICES
    const list = bySvc.get(k) ?? []
    list.push(p)
    bySvc.set(k, list)
  })
  t0 = performance.now()
  const slices: EndpointSlice[] = []
  services.forEach((svc, i) => slices.push(...(syncSlices(svc, bySvc.get(i) ?? []) ?? [])))
  lines.push(`EndpointSlices for every Service (${slices.length} slices)`.padEnd(64) + s(performance.now() - t0))
  sample()

  // kube-proxy on one node, then connections to random cluster IPs.
  const proxier = new Proxier({ nodeName: 'node-0', nodeIPs: ['172.18.0.10'] })
  t0 = performance.now()
  proxier.sync(services, slices)
  lines.push(`kube-proxy sync on one node (${proxier.rules.rules("nat", "KUBE-SERVICES").length} KUBE-SERVICES rules)`.padEnd(64) + s(performance.now() - t0))
  sample()
  t0 = performance.now()
  let routed = 0
  for (let c = 0; c < CONNECTIONS; c++) {
    const svc = services[(c * 104729) % SERVICES]!
    const v = proxier.route({ sourceIP: ip(10, 0xf40000 + (c % PODS)), destIP: svc.spec!.clusterIP!, destPort: 80 })
    if (v.output.includes(':')) routed++
  }
  const route = performance.now() - t0
  lines.push(`${CONNECTIONS} routed connections (${routed} reached a pod)`.padEnd(64) + s(route) + '  (target ≤ 1 s)')
  sample()
  lines.push(`peak memory (RSS)`.padEnd(64) + `${(peak / 2 ** 20).toFixed(0)} MiB`)
  console.log(`\n${lines.join('\n')}\n`)
})
