// The model at Kubernetes' scalability envelope: 10,000 Services and 150,000 pods over
// 5,000 nodes. Run with `npm run bench` (or `--only scale`); prints medians. Two halves,
// each in its own process (vitest forks one per file), so each peak RSS is its own:
//
// bench/scale-components.run.ts — the controllers and kube-proxy fed the objects directly:
//   full endpoints reconcile      every Service synced once after loading all objects
//   one pod change                a pod's readiness flips; its Services re-synced
//   EndpointSlices                every Service's slices built
//   kube-proxy sync               one node's rules for every Service
//   100,000 routed connections    new connections to random cluster IPs on that node
// bench/scale-cluster.run.ts — kata 09's Cluster:
//   the cluster through Cluster   5,000 nodes join, then 10,000 Services and 150,000 pods
//                                 are applied as API objects (scheduled, started, given
//                                 IPs, their endpoints kept)
//   DNS and curl on that cluster  a pod's lookup of a Service name, and a curl to it
//
// Each figure is wall time, with the CPU time of this process beside it: on a machine
// other work shares, the CPU time is what the model itself cost.
import type { Pod, Service } from 'kubernetes-types/core/v1'

export const SERVICES = 10_000
export const PODS = 150_000
export const NODES = 5_000
export const NAMESPACES = 100
export const CONNECTIONS = 100_000
export const POD_CHANGES = 2_000
export const LOOKUPS = 200

export const ip = (base: number, n: number) => `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
export const ms = (x: number) => `${x.toFixed(3)} ms`
const s = (x: number) => `${(x / 1000).toFixed(3)} s`

let peak = 0
/** Remembers the highest RSS seen so far in this process. */
export const sample = () => (peak = Math.max(peak, process.memoryUsage().rss))
/** The line for this process's peak RSS. */
export const peakLine = (part: string) => `peak memory (RSS), ${part}`.padEnd(64) + `${(sample() / 2 ** 20).toFixed(0)} MiB  (target ≤ 600 MiB)`

/** Wall and CPU time of `run`, in ms. */
export function timed<T>(run: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const value = run()
  const wall = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { value, wall, cpu: (c.user + c.system) / 1000 }
}
export const row = (label: string, t: { wall: number; cpu: number }, target = '') =>
  `${label.padEnd(64)}${s(t.wall)}  (cpu ${s(t.cpu)})${target ? `  (target ${target})` : ''}`

export function makeService(i: number): Service {
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

export function makePod(j: number, ready = true): Pod {
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
