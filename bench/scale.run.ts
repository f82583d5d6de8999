// The model at Kubernetes' scalability envelope: 10,000 Services and 150,000 pods
// over 5,000 nodes. Prints medians; run with `npm run bench` (or `--only scale`).
//
//   full endpoints reconcile      every Service synced once after loading all objects
//   one pod change                a pod's readiness flips; its Services re-synced
//   EndpointSlices                every Service's slices built
//   kube-proxy sync               one node's rules for every Service
//   100,000 routed connections    new connections to random cluster IPs on that node
//   the cluster through Cluster   kata 09's Cluster: 5,000 nodes join, then 10,000
//                                 Services and 150,000 pods are applied as API objects
//                                 (scheduled, started, given IPs, their endpoints kept)
//   DNS and curl on that cluster  a pod's lookup of a Service name, and a curl to it
//
// Each figure is wall time, with the CPU time of this process beside it: on a machine
// other work shares, the CPU time is what the model itself cost.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { test } from 'vitest'
import { Cluster } from '@impl/cluster/cluster.ts'
import { EndpointsController } from '@impl/controller/endpoints.ts'
import { syncService as syncSlices } from '@impl/controller/endpointslice.ts'
import { Proxier } from '@impl/proxy/iptables/proxier.ts'

const SERVICES = 10_000
const PODS = 150_000
const NODES = 5_000
const NAMESPACES = 100
const CONNECTIONS = 100_000
const POD_CHANGES = 2_000
const LOOKUPS = 200

const ip = (base: number, n: number) => `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ms = (x: number) => `${x.toFixed(3)} ms`
const s = (x: number) => `${(x / 1000).toFixed(3)} s`
let peak = 0
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss))

/** Wall and CPU time of `run`, in ms. */
function timed<T>(run: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const value = run()
  const wall = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { value, wall, cpu: (c.user + c.system) / 1000 }
}
const row = (label: string, t: { wall: number; cpu: number }, target = '') => `${label.padEnd(64)}${s(t.wall)}  (cpu ${s(t.cpu)})${target ? `  (target ${target})` : ''}`

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

/** The controllers and kube-proxy on their own, fed the objects directly. */
function components(lines: string[]): void {
  const services = Array.from({ length: SERVICES }, (_, i) => makeService(i))
  const pods = Array.from({ length: PODS }, (_, j) => makePod(j))
  sample()

  // Endpoints: load everything, every Service synced once.
  const ctrl = new EndpointsController()
  const full = timed(() =>
    ctrl.batch(() => {
      for (const svc of services) ctrl.addService(svc)
      for (const p of pods) ctrl.addPod(p)
    }),
  )
  sample()
  lines.push(row(`full endpoints reconcile (${SERVICES} services, ${PODS} pods)`, full, '≤ 2 s'))

  // One pod change: readiness flips, its Service is re-synced.
  const changes: number[] = []
  for (let k = 0; k < POD_CHANGES; k++) {
    const j = (k * 7919) % PODS
    const t0 = performance.now()
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
  const slices: EndpointSlice[] = []
  const sliced = timed(() => services.forEach((svc, i) => slices.push(...(syncSlices(svc, bySvc.get(i) ?? []) ?? []))))
  lines.push(row(`EndpointSlices for every Service (${slices.length} slices)`, sliced))
  sample()

  // kube-proxy on one node, then connections to random cluster IPs.
  const proxier = new Proxier({ nodeName: 'node-0', nodeIPs: ['172.18.0.10'] })
  const synced = timed(() => proxier.sync(services, slices))
  lines.push(row(`kube-proxy sync on one node (${proxier.rules.rules('nat', 'KUBE-SERVICES').length} KUBE-SERVICES rules)`, synced, '≤ 1 s'))
  sample()
  const routed = timed(() => {
    let n = 0
    for (let c = 0; c < CONNECTIONS; c++) {
      const svc = services[(c * 104729) % SERVICES]!
      const v = proxier.route({ sourceIP: ip(10, 0xf40000 + (c % PODS)), destIP: svc.spec!.clusterIP!, destPort: 80 })
      if (v.output.includes(':')) n++
    }
    return n
  })
  lines.push(row(`${CONNECTIONS} routed connections (${routed.value} reached a pod)`, routed, '≤ 1 s'))
  sample()
}

/** kata 09's Cluster, built through its API as `kubectl apply` would, then asked a few questions. */
function wholeCluster(lines: string[]): void {
  // 5,000 nodes need more than kind's 10.244.0.0/16 (256 nodes of /24): a /9 holds 32,768.
  const nodes = Array.from({ length: NODES }, (_, i) => ({
    name: i === 0 ? 'kind-control-plane' : `kind-worker${i}`,
    internalIP: `172.18.${(i + 2) >> 8}.${(i + 2) & 255}`,
    controlPlane: i === 0,
  }))
  const built = timed(() => {
    const cluster = new Cluster({ nodes, clusterCIDR: '10.128.0.0/9', cloud: false })
    cluster.batch(() => {
      for (let n = 0; n < NAMESPACES; n++) cluster.applyObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } })
      for (let i = 0; i < SERVICES; i++) {
        cluster.applyObject({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc-${i}`, namespace: `ns-${i % NAMESPACES}` },
          spec: { selector: { app: `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
        })
      }
      for (let j = 0; j < PODS; j++) {
        const svc = j % SERVICES
        cluster.applyObject({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `pod-${j}`, namespace: `ns-${svc % NAMESPACES}`, labels: { app: `app-${svc}` } },
          spec: { containers: [{ name: 'app', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', ports: [{ containerPort: 8080 }] }] },
        })
        if (j % 10_000 === 0) sample()
      }
    })
    return cluster
  })
  sample()
  const cluster = built.value
  lines.push(row(`Cluster: ${NODES} nodes, ${cluster.services().length} Services, ${PODS} pods applied`, built, '≤ 5 s'))

  // A client pod asks for Services by name, then connects to them.
  const client = cluster.pods('ns-0')[0]!
  const from = { pod: `ns-0/${client.metadata!.name}` }
  const lookups: number[] = []
  const curls: number[] = []
  for (let k = 0; k < LOOKUPS; k++) {
    const svc = (k * 7919) % SERVICES
    const name = `svc-${svc}.ns-${svc % NAMESPACES}`
    let t0 = performance.now()
    const r = cluster.lookup('ns-0', client.metadata!.name!, name)
    lookups.push(performance.now() - t0)
    if (!r.found) throw new Error(`${name} did not resolve`)
    t0 = performance.now()
    const c = cluster.curl(from, `http://${name}:80/hostname`)
    curls.push(performance.now() - t0)
    if (c.exitCode !== 0) throw new Error(`curl ${name}: ${c.stderr}`)
  }
  lines.push(`a pod's DNS lookup of a Service name (median of ${LOOKUPS})`.padEnd(64) + ms(median(lookups)))
  lines.push(`a pod's curl to a Service by name (median of ${LOOKUPS})`.padEnd(64) + ms(median(curls)))
  sample()
}

test('scale: 10,000 Services, 150,000 pods, 5,000 nodes', () => {
  const lines: string[] = []
  components(lines)
  const first = peak
  wholeCluster(lines)
  lines.push(`peak memory (RSS)`.padEnd(64) + `${(peak / 2 ** 20).toFixed(0)} MiB  (components ${(first / 2 ** 20).toFixed(0)} MiB; target ≤ 600 MiB)`)
  console.log(`\n${lines.join('\n')}\n`)
})
