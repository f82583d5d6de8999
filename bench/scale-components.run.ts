// The scale benchmark's first half (see bench/scale.ts): the endpoints controller, the
// EndpointSlice controller and kube-proxy fed 10,000 Services and 150,000 pods directly.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { Pod } from 'kubernetes-types/core/v1'
import { test } from 'vitest'
import { EndpointsController } from '@impl/controller/endpoints.ts'
import { syncService as syncSlices } from '@impl/controller/endpointslice.ts'
import { Proxier } from '@impl/proxy/iptables/proxier.ts'
import { CONNECTIONS, ip, makePod, makeService, median, ms, peakLine, POD_CHANGES, PODS, row, sample, SERVICES, timed } from './scale.ts'

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

test('scale, components: 10,000 Services, 150,000 pods', () => {
  const lines: string[] = []
  components(lines)
  lines.push(peakLine('components (with their input objects)'))
  console.log(`\n${lines.join('\n')}\n`)
})
