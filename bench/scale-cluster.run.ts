// The scale benchmark's second half (see bench/scale.ts): kata 09's Cluster of 5,000
// nodes, 10,000 Services and 150,000 pods, built through its API, then asked a few questions.
import { test } from 'vitest'
import { Cluster } from '@impl/cluster/cluster.ts'
import { LOOKUPS, median, ms, NAMESPACES, NODES, peakLine, PODS, row, sample, SERVICES, timed } from './scale.ts'

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

test('scale, Cluster: 5,000 nodes, 10,000 Services, 150,000 pods', () => {
  const lines: string[] = []
  wholeCluster(lines)
  lines.push(peakLine('the Cluster'))
  console.log(`\n${lines.join('\n')}\n`)
})
