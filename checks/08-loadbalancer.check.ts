// Kata 08 — LoadBalancer.
// Core tasks: service-controller (wantsLoadBalancer, needsCleanup, syncLoadBalancerIfNeeded),
// health-checks (serveHealthCheck, probeBackend), external-ip (externalIPColumn), and
// kubectl-get-svc (the controller's status as the EXTERNAL-IP column). Deep tasks: the fake
// cloud, the controller's bookkeeping, backend nodes, health-check ports, source ranges.
// Vectors: k8s.io/cloud-provider controllers/service/controller_test.go
// (TestSyncLoadBalancerIfNeeded, TestNeedsCleanup, node predicates), service/helpers/helper_test.go
// (TestGetLoadBalancerSourceRanges, TestAllowAll, TestRequestsOnlyLocalTraffic, TestNeedsHealthCheck,
// TestHasLBFinalizer), pkg/printers/internalversion/printers_test.go (TestPrintService,
// TestPrintServiceLoadBalancer) and kubectl get svc's EXTERNAL-IP column.
import fc from 'fast-check'
import type { LoadBalancerStatus, Node, Service, ServiceSpec } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { expect, test } from 'vitest'
import { defaultLoadBalancerName, ImplementedElsewhereError } from '@impl/cloud/provider.ts'
import { FakeCloud, InvalidPoolError, NoAvailableIPsError } from '@impl/cloud/fake.ts'
import {
  backendNodes,
  hasLBFinalizer,
  loadBalancerStatusEqual,
  needsCleanup,
  nodeIncludedPredicate,
  ServiceController,
  shouldSyncUpdatedNode,
  wantsLoadBalancer,
} from '@impl/controller/service.ts'
import {
  getServiceHealthCheckPathPort,
  healthyBackends,
  localReadyEndpoints,
  needsHealthCheck,
  probeBackend,
  requestsOnlyLocalTraffic,
  serveHealthCheck,
  type BackendNode,
  type KubeProxyState,
} from '@impl/proxy/healthcheck.ts'
import {
  allowedSource,
  getLoadBalancerSourceRanges,
  InvalidSourceRangesError,
  isAllowAll,
  loadBalancerVIPs,
  proxyAllowsSource,
} from '@impl/proxy/loadbalancer.ts'
import { externalIPColumn, loadBalancerStatusStringer } from '@impl/printers/external_ip.ts'
import { LOAD_BALANCER_POOL } from '../lib/cluster/defaults.ts'
import { listDiff } from './support/explain.ts'
import { EXCLUDE_LABEL, eventLine, FINALIZER, ingressOf, kindNodes, lbService, node, ref, type LBServiceOptions } from './support/loadbalancer.ts'
import { NamedCloud, NODE_SYNC_ROWS, OBSERVED_AS, observe, RECREATE_ROWS, scene, STORE_ROWS, type StoryRow } from './support/service-controller-rows.ts'
import { table } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('08-loadbalancer')

const SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges'
const POOL_TEXT = `${LOAD_BALANCER_POOL.first}-${LOAD_BALANCER_POOL.last}`
const EXHAUSTED = `Error syncing load balancer: failed to ensure load balancer: no available IPs in pool ${POOL_TEXT}`

/** A controller over a fresh fake cloud, with the kind cluster's three nodes. */
function cluster(nodes: Node[] = kindNodes()) {
  const cloud = new FakeCloud()
  const ctl = new ServiceController(cloud)
  for (const n of nodes) ctl.addNode(n)
  return { cloud, ctl }
}

const lines = (ctl: ServiceController, namespace = 'snackbar', name?: string) => ctl.events(namespace, name).map(eventLine)

function eventsMessage(who: string, want: readonly string[], got: readonly string[]): string {
  return `events of Service ${who} (kubectl describe svc):\n${listDiff(want, got) || '(same)'}`
}

/** Runs one story of ./support/service-controller-rows.ts and compares what it asks about. */
function story({ nodes, setup, act, want }: StoryRow): void {
  const s = scene(nodes)
  setup?.(s)
  const got = observe(s, act)
  for (const key of Object.keys(want) as (keyof typeof want)[]) {
    const w = want[key]
    const g = got[key]
    const diff = Array.isArray(w) && Array.isArray(g) && typeof w[0] !== 'object' ? `:\n${listDiff(w.map(String), g.map(String)) || '(same)'}` : ''
    expect(g, `${OBSERVED_AS[key]}${diff}`).toEqual(w)
  }
}

/** `svc-000` … : names of the services that fill the pool. */
const nth = (i: number) => `svc-${String(i).padStart(3, '0')}`

/** Creates `count` LoadBalancer Services svc-000, svc-001, … in snackbar. */
function createMany(ctl: ServiceController, count: number): void {
  for (let i = 0; i < count; i++) ctl.addService(lbService({ name: nth(i) }))
}

// ---------------------------------------------------------------------------
// Core path.
task('service-controller', () => {
  const wants: { name: string; svc: Service; want: boolean }[] = [
    { name: 'wantsLoadBalancer: type LoadBalancer without loadBalancerClass wants one', svc: lbService({ name: 'order' }), want: true },
    {
      name: 'wantsLoadBalancer: a loadBalancerClass naming another controller means the default controller does not provision',
      svc: lbService({ name: 'order', loadBalancerClass: 'example.com/lb' }),
      want: false,
    },
    { name: 'wantsLoadBalancer: a ClusterIP Service does not want one', svc: lbService({ name: 'order', type: 'ClusterIP' }), want: false },
    { name: 'wantsLoadBalancer: a NodePort Service does not want one', svc: lbService({ name: 'order', type: 'NodePort' }), want: false },
    { name: 'wantsLoadBalancer: an ExternalName Service does not want one', svc: lbService({ name: 'order', type: 'ExternalName' }), want: false },
  ]
  table(wants, ({ svc, want }) => {
    const cls = svc.spec?.loadBalancerClass
    expect(wantsLoadBalancer(svc), `Service ${ref(svc)} of type ${svc.spec?.type}${cls ? ` with loadBalancerClass ${cls}` : ''}`).toBe(want)
  })

  const cleanup: { name: string; o: Partial<LBServiceOptions>; want: boolean }[] = [
    { name: 'needsCleanup: a Service being deleted without the finalizer has nothing to clean up', o: { deleting: true }, want: false },
    { name: 'needsCleanup: a Service being deleted with the finalizer needs cleanup', o: { deleting: true, finalizers: [FINALIZER] }, want: true },
    { name: 'needsCleanup: a ClusterIP Service that still has the finalizer needs cleanup', o: { type: 'ClusterIP', finalizers: [FINALIZER] }, want: true },
    { name: 'needsCleanup: a live LoadBalancer Service with the finalizer needs none', o: { finalizers: [FINALIZER] }, want: false },
    {
      name: 'needsCleanup: a LoadBalancer Service with a loadBalancerClass and the finalizer needs none (its type is still LoadBalancer)',
      o: { finalizers: [FINALIZER], loadBalancerClass: 'example.com/lb' },
      want: false,
    },
    { name: 'needsCleanup: an unrelated finalizer does not count', o: { deleting: true, finalizers: ['example.com/other'] }, want: false },
  ]
  table(cleanup, ({ o, want }) => {
    const svc = lbService({ name: 'order', ...o })
    expect(needsCleanup(svc), `Service ${ref(svc)} type ${svc.spec?.type}, finalizers [${(o.finalizers ?? []).join(', ')}], deleting ${!!o.deleting}`).toBe(want)
  })

  test('the controller adds the finalizer, ensures a load balancer on the two workers and writes 172.18.255.200 with ipMode VIP to the status', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    const got = ctl.get('snackbar', 'order')
    expect(got?.status?.loadBalancer, 'Service snackbar/order: status.loadBalancer after the controller synced it').toEqual({
      ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }],
    })
    expect(got?.metadata?.finalizers, 'the cleanup finalizer is added before the load balancer is created').toEqual([FINALIZER])
    expect(cloud.balancers().map((b) => [b.name, b.hosts.join(',')]), 'one load balancer, named a+UID, backed by the two workers (kubeadm excludes the control plane)').toEqual([
      ['auidsvcorder', 'kind-worker,kind-worker2'],
    ])
    const want = ['Normal EnsuringLoadBalancer: Ensuring load balancer', 'Normal EnsuredLoadBalancer: Ensured load balancer']
    expect(lines(ctl), eventsMessage('snackbar/order', want, lines(ctl))).toEqual(want)
  })

  test('a 52nd LoadBalancer Service finds the pool exhausted: it keeps its finalizer, shows <pending> and gets a SyncLoadBalancerFailed warning', () => {
    const { ctl } = cluster()
    createMany(ctl, 51)
    expect(ingressOf(ctl.get('snackbar', nth(50))), 'the 51st Service takes the last address of the pool').toEqual(['172.18.255.250'])
    ctl.addService(lbService({ name: 'order' }))
    const got = ctl.get('snackbar', 'order')
    expect(ingressOf(got), 'Service snackbar/order: no address was left for it, so status.loadBalancer has no ingress (EXTERNAL-IP <pending>)').toEqual([])
    expect(got?.metadata?.finalizers, 'the finalizer was added before the cloud failed').toEqual([FINALIZER])
    const want = ['Normal EnsuringLoadBalancer: Ensuring load balancer', `Warning SyncLoadBalancerFailed: ${EXHAUSTED}`]
    expect(lines(ctl, 'snackbar', 'order'), eventsMessage('snackbar/order', want, lines(ctl, 'snackbar', 'order'))).toEqual(want)
    expect(ctl.failedKeys(), 'the controller retries the key later').toEqual(['snackbar/order'])
  })

  test('deleting a Service frees its IP and removes the finalizer, so the Service is gone, and the pending Service gets that IP on retry', () => {
    const { cloud, ctl } = cluster()
    createMany(ctl, 51)
    ctl.addService(lbService({ name: 'order' }))
    ctl.deleteService('snackbar', nth(0))
    expect(ctl.get('snackbar', nth(0)), `Service snackbar/${nth(0)} still exists: the controller must remove its finalizer once the load balancer is deleted`).toBeUndefined()
    const want = ['Normal DeletingLoadBalancer: Deleting load balancer', 'Normal DeletedLoadBalancer: Deleted load balancer']
    const got = lines(ctl, 'snackbar', nth(0)).slice(2)
    expect(got, eventsMessage(`snackbar/${nth(0)}`, want, got)).toEqual(want)
    expect(cloud.balancers().some((b) => b.ip === '172.18.255.200'), 'the cloud still holds 172.18.255.200').toBe(false)
    ctl.retryFailed()
    expect(ingressOf(ctl.get('snackbar', 'order')), 'Service snackbar/order, retried after the delete, gets the freed address').toEqual(['172.18.255.200'])
    expect(ctl.failedKeys()).toEqual([])
  })

  test('a Service whose loadBalancerClass names another controller gets no finalizer, no event and no cloud call, and stays <pending>', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order', loadBalancerClass: 'example.com/lb' }))
    const got = ctl.get('snackbar', 'order')
    const why = 'its loadBalancerClass example.com/lb names another controller, so the service controller leaves it alone'
    expect(ingressOf(got), `Service snackbar/order got status.loadBalancer.ingress ${JSON.stringify(ingressOf(got))}, want none (EXTERNAL-IP <pending>): ${why}`).toEqual([])
    expect(cloud.calls, `the cloud was called for snackbar/order: ${why}`).toEqual([])
    expect(got?.metadata?.finalizers, `Service snackbar/order got a finalizer: ${why}`).toBeUndefined()
    expect(lines(ctl), `events were recorded for snackbar/order: ${why}`).toEqual([])
  })

  test('changing type from LoadBalancer to ClusterIP deletes the load balancer, removes the finalizer and clears status.loadBalancer', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    ctl.updateService(lbService({ name: 'order', type: 'ClusterIP' }))
    const got = ctl.get('snackbar', 'order')
    expect(got?.status?.loadBalancer ?? {}, 'Service snackbar/order: the controller clears the status it wrote').toEqual({})
    expect(got?.metadata?.finalizers, 'the finalizer goes once the load balancer is deleted').toBeUndefined()
    expect(cloud.calls, 'the cloud load balancer is deleted').toEqual(['create', 'delete'])
    const want = [
      'Normal Type: LoadBalancer -> ClusterIP',
      'Normal DeletingLoadBalancer: Deleting load balancer',
      'Normal DeletedLoadBalancer: Deleted load balancer',
    ]
    const ev = lines(ctl).slice(2)
    expect(ev, eventsMessage('snackbar/order', want, ev)).toEqual(want)
  })

  test('a cloud error while ensuring records SyncLoadBalancerFailed with the wrapped error; the retry succeeds once the cloud works', () => {
    const { cloud, ctl } = cluster()
    cloud.failWith('ensure', new Error('quota exceeded'))
    ctl.addService(lbService({ name: 'order' }))
    expect(ingressOf(ctl.get('snackbar', 'order')), 'nothing was provisioned: no ingress in the status').toEqual([])
    const want = ['Normal EnsuringLoadBalancer: Ensuring load balancer', 'Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to ensure load balancer: quota exceeded']
    expect(lines(ctl), eventsMessage('snackbar/order', want, lines(ctl))).toEqual(want)
    cloud.failWith('ensure', undefined)
    ctl.retryFailed()
    expect(ingressOf(ctl.get('snackbar', 'order')), 'the retried sync provisions the load balancer').toEqual(['172.18.255.200'])
    expect(lines(ctl).at(-1)).toBe('Normal EnsuredLoadBalancer: Ensured load balancer')
  })

  test('syncService returns the error of a failed sync and undefined once it succeeds', () => {
    const { cloud, ctl } = cluster()
    cloud.failWith('ensure', new Error('quota exceeded'))
    ctl.addService(lbService({ name: 'order' }))
    expect(ctl.syncService('snackbar/order')?.message, 'the error the work queue would retry').toBe('failed to ensure load balancer: quota exceeded')
    cloud.failWith('ensure', undefined)
    expect(ctl.syncService('snackbar/order'), 'a successful sync').toBeUndefined()
    expect(ctl.syncService('snackbar/nothing-here'), 'a key nobody synced before: nothing to do').toBeUndefined()
  })

  test('a cloud error while deleting keeps the finalizer, so the Service stays Terminating until a retry deletes the load balancer', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    cloud.failWith('delete', new Error('load balancer is busy'))
    ctl.deleteService('snackbar', 'order')
    const terminating = ctl.get('snackbar', 'order')
    expect(terminating?.metadata?.deletionTimestamp, 'kubectl delete only marks a Service that has finalizers').toBeDefined()
    expect(terminating?.metadata?.finalizers, 'the finalizer holds the Service until its load balancer is gone').toEqual([FINALIZER])
    expect(lines(ctl).at(-1)).toBe('Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to delete load balancer: load balancer is busy')
    cloud.failWith('delete', undefined)
    ctl.retryFailed()
    expect(ctl.get('snackbar', 'order'), 'once the load balancer is deleted the finalizer goes and so does the Service').toBeUndefined()
    expect(cloud.balancers()).toEqual([])
  })

  test('with no backend nodes the controller warns UnAvailableLoadBalancer and still ensures the load balancer', () => {
    const { cloud, ctl } = cluster([kindNodes()[0]!])
    ctl.addService(lbService({ name: 'order' }))
    const want = [
      'Normal EnsuringLoadBalancer: Ensuring load balancer',
      'Warning UnAvailableLoadBalancer: There are no available nodes for LoadBalancer',
      'Normal EnsuredLoadBalancer: Ensured load balancer',
    ]
    expect(lines(ctl), eventsMessage('snackbar/order (only the excluded control-plane node exists)', want, lines(ctl))).toEqual(want)
    expect(cloud.balancer('auidsvcorder')?.hosts).toEqual([])
  })

  test('allocateLoadBalancerNodePorts false is accepted: the load balancer is ensured without nodePorts and kube-proxy captures its VIP on every node', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order', allocateLoadBalancerNodePorts: false }))
    const got = ctl.get('snackbar', 'order')
    expect(ingressOf(got), 'the Service is provisioned like any other').toEqual(['172.18.255.200'])
    expect(cloud.balancer('auidsvcorder')?.nodePorts, 'no nodePorts exist: only load balancers that reach nodes or pods directly can work').toEqual([])
    expect(loadBalancerVIPs(got!), 'the VIP that kube-proxy captures, so traffic needs no nodePort').toEqual(['172.18.255.200'])
  })

  test('a cloud answering ImplementedElsewhere makes the controller stop quietly: finalizer added, no Ensured event, no status, no error', () => {
    const { cloud, ctl } = cluster()
    cloud.failWith('ensure', new ImplementedElsewhereError())
    ctl.addService(lbService({ name: 'order' }))
    const got = ctl.get('snackbar', 'order')
    expect(got?.metadata?.finalizers).toEqual([FINALIZER])
    expect(lines(ctl), 'ImplementedElsewhere is not an error').toEqual(['Normal EnsuringLoadBalancer: Ensuring load balancer'])
    expect(ctl.failedKeys()).toEqual([])
    expect(ingressOf(got), 'no status was written').toEqual([])
  })

  test("syncLoadBalancerIfNeeded reports what it did: 'ensure' for a LoadBalancer Service, 'delete' once it is changed to ClusterIP", () => {
    const { ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    expect(ctl.syncLoadBalancerIfNeeded(ctl.get('snackbar', 'order')!), 'Service snackbar/order of type LoadBalancer').toBe('ensure')
    ctl.updateService(lbService({ name: 'order', type: 'ClusterIP' }))
    expect(ctl.syncLoadBalancerIfNeeded(ctl.get('snackbar', 'order')!), 'Service snackbar/order changed to ClusterIP').toBe('delete')
  })

  test("once the load balancer is deleted and the Service gone, the informer's delete event finds nothing to do: no second delete, no event", () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    ctl.deleteService('snackbar', 'order')
    const before = lines(ctl)
    expect(ctl.syncService('snackbar/order'), 'the sync of the delete event').toBeUndefined()
    expect(cloud.calls, "the controller forgets a Service whose load balancer it deleted (the 'delete' operation drops it from its cache)").toEqual(['create', 'delete'])
    expect(lines(ctl), eventsMessage('snackbar/order', before, lines(ctl))).toEqual(before)
  })

  test('deleting a Service whose load balancer was never created calls no delete: only DeletedLoadBalancer, and the Service is gone', () => {
    const { cloud, ctl } = cluster()
    cloud.failWith('ensure', new Error('quota exceeded'))
    ctl.addService(lbService({ name: 'order' }))
    ctl.deleteService('snackbar', 'order')
    expect(ctl.get('snackbar', 'order'), 'the finalizer is removed: there is nothing to clean up in the cloud').toBeUndefined()
    expect(cloud.calls, 'getLoadBalancer says it does not exist, so EnsureLoadBalancerDeleted is not called').toEqual(['create'])
    const want = [
      'Normal EnsuringLoadBalancer: Ensuring load balancer',
      'Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to ensure load balancer: quota exceeded',
      'Normal DeletedLoadBalancer: Deleted load balancer',
    ]
    expect(lines(ctl), eventsMessage('snackbar/order', want, lines(ctl))).toEqual(want)
  })

  test('a cloud error while checking whether the load balancer exists keeps the finalizer: failed to check if load balancer exists before cleanup', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    cloud.failWith('get', new Error('cloud API unavailable'))
    ctl.deleteService('snackbar', 'order')
    expect(ctl.get('snackbar', 'order')?.metadata?.finalizers, 'the Service stays Terminating').toEqual([FINALIZER])
    expect(lines(ctl).at(-1)).toBe('Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to check if load balancer exists before cleanup: cloud API unavailable')
    expect(cloud.calls, 'nothing was deleted').toEqual(['create'])
    expect(ctl.failedKeys(), 'the controller retries the key later').toEqual(['snackbar/order'])
  })

  test('a cloud answering ImplementedElsewhere on delete is not an error: the finalizer goes and the Service is gone', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    cloud.failWith('delete', new ImplementedElsewhereError())
    ctl.deleteService('snackbar', 'order')
    expect(ctl.get('snackbar', 'order'), 'another controller cleans up; this one removes its finalizer').toBeUndefined()
    expect(ctl.failedKeys()).toEqual([])
    const want = ['Normal DeletingLoadBalancer: Deleting load balancer', 'Normal DeletedLoadBalancer: Deleted load balancer']
    const got = lines(ctl).slice(2)
    expect(got, eventsMessage('snackbar/order', want, got)).toEqual(want)
  })

  test('a Service deleted without any finalizer is gone at once, with no event and no cloud call', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order', loadBalancerClass: 'example.com/lb' }))
    ctl.deleteService('snackbar', 'order')
    expect(ctl.get('snackbar', 'order')).toBeUndefined()
    expect(cloud.calls).toEqual([])
    expect(lines(ctl)).toEqual([])
  })
})

// ---------------------------------------------------------------------------
task('health-checks', () => {
  const localSvc = lbService({ name: 'order', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 })
  const body = (n: number, healthy: boolean) =>
    `{\n\t"service": {\n\t\t"namespace": "snackbar",\n\t\t"name": "order"\n\t},\n\t"localEndpoints": ${n},\n\t"serviceProxyHealthy": ${healthy}\n}`
  const answers: { name: string; endpoints: number; healthy: boolean; status: 200 | 503 }[] = [
    { name: 'two local endpoints and a healthy kube-proxy: 200 with weight 2', endpoints: 2, healthy: true, status: 200 },
    { name: 'no local endpoint: 503, so the load balancer skips this node', endpoints: 0, healthy: true, status: 503 },
    { name: 'kube-proxy unhealthy: 503 even with a local endpoint', endpoints: 1, healthy: false, status: 503 },
  ]
  table(answers, ({ endpoints, healthy, status }) => {
    const got = serveHealthCheck(localSvc, endpoints, healthy)
    const curl = `curl -i http://172.18.0.3:32000/healthz (snackbar/order, ${endpoints} local endpoints, kube-proxy ${healthy ? 'healthy' : 'unhealthy'})`
    expect(got?.status, `${curl}: status`).toBe(status)
    expect(got?.headers, `${curl}: headers`).toEqual({
      'Content-Type': 'application/json',
      'X-Content-Type-Options': 'nosniff',
      'X-Load-Balancing-Endpoint-Weight': String(endpoints),
    })
    expect(got?.body, `${curl}: body, tab-indented like kube-proxy's, without a trailing newline`).toBe(body(endpoints, healthy))
  })

  test('nothing listens on a health-check port for a Service that needs no health check', () => {
    expect(serveHealthCheck(lbService({ name: 'order' }), 3, true), 'externalTrafficPolicy Cluster: kube-proxy opens no health-check port').toBeUndefined()
  })

  const [, w1, w2] = kindNodes()
  const w3 = node('kind-worker3')
  const backend = (n: Node, kubeProxy: KubeProxyState, localEndpoints: number): BackendNode => ({ node: n, kubeProxy, localEndpoints })

  test('with externalTrafficPolicy Local the load balancer sends only to nodes with a ready endpoint of the Service', () => {
    const got = healthyBackends(localSvc, [backend(w1!, 'healthy', 1), backend(w2!, 'healthy', 0), backend(w3, 'healthy', 2)])
    expect(got, 'kind-worker2 has no pod of snackbar/order: its health check answers 503').toEqual(['kind-worker', 'kind-worker3'])
  })

  test('with externalTrafficPolicy Cluster every node whose kube-proxy is healthy is used, endpoints or not', () => {
    const svc = lbService({ name: 'order' })
    const got = healthyBackends(svc, [backend(w1!, 'healthy', 1), backend(w2!, 'healthy', 0), backend(w3, 'unhealthy', 2)])
    expect(got, 'any node can forward to any endpoint; only kube-proxy\'s own /healthz counts').toEqual(['kind-worker', 'kind-worker2'])
  })

  test('a node that is down answers no health check, so the load balancer stops using it: a dead node no longer hurts clients', () => {
    for (const svc of [localSvc, lbService({ name: 'order' })]) {
      const probe = probeBackend(svc, backend(w2!, 'down', 1))
      expect(probe.status, `probe of kind-worker2 (down) for ETP ${svc.spec?.externalTrafficPolicy}: no answer, the probe times out`).toBeUndefined()
      expect(healthyBackends(svc, [backend(w1!, 'healthy', 1), backend(w2!, 'down', 1)])).toEqual(['kind-worker'])
    }
  })

  test('the probe targets healthCheckNodePort /healthz for Local and kube-proxy\'s /healthz on 10256 for Cluster', () => {
    expect(probeBackend(localSvc, backend(w1!, 'healthy', 1))).toEqual({ target: { path: '/healthz', port: 32000 }, status: 200 })
    expect(probeBackend(lbService({ name: 'order' }), backend(w1!, 'healthy', 0))).toEqual({ target: { path: '/healthz', port: 10256 }, status: 200 })
  })

  test("with Cluster, a node tainted ToBeDeletedByClusterAutoscaler fails kube-proxy's /healthz with 503 so it can drain", () => {
    const doomed = node('kind-worker2', { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' }] })
    expect(probeBackend(lbService({ name: 'order' }), backend(doomed, 'healthy', 1)).status).toBe(503)
    expect(probeBackend(lbService({ name: 'order' }), backend(node('kind-worker2', { deleting: true }), 'healthy', 1)).status, 'a node being deleted too').toBe(503)
  })

  table(
    [
      {
        name: 'with Cluster, a cordoned node (taint node.kubernetes.io/unschedulable) still answers 200: only ToBeDeletedByClusterAutoscaler fails /healthz',
        taint: { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const },
      },
      {
        name: 'with Cluster, a node tainted NoExecute for maintenance still answers 200: kube-proxy looks at no taint but ToBeDeletedByClusterAutoscaler',
        taint: { key: 'example.com/maintenance', effect: 'NoExecute' as const },
      },
    ],
    ({ taint }) => {
      const got = probeBackend(lbService({ name: 'order' }), backend(node('kind-worker2', { taints: [taint] }), 'healthy', 0)).status
      expect(got, `kube-proxy's /healthz on kind-worker2 tainted ${taint.key}:${taint.effect}: nodeEligible is false only for ToBeDeletedByClusterAutoscaler or a deletionTimestamp`).toBe(200)
    },
  )

  test('a probe of a node that is down still targets its health-check port and path; it just gets no answer', () => {
    expect(probeBackend(localSvc, backend(w2!, 'down', 1)), 'externalTrafficPolicy Local').toEqual({ target: { path: '/healthz', port: 32000 }, status: undefined })
    expect(probeBackend(lbService({ name: 'order' }), backend(w2!, 'down', 1)), 'externalTrafficPolicy Cluster').toEqual({ target: { path: '/healthz', port: 10256 }, status: undefined })
  })
})

// ---------------------------------------------------------------------------
task('external-ip', () => {
  const withStatus = (o: LBServiceOptions, status?: LoadBalancerStatus, externalName?: string): Service => {
    const s = lbService(o)
    return {
      ...s,
      spec: { ...s.spec, ...(externalName ? { externalName } : {}) },
      ...(status ? { status: { loadBalancer: status } } : {}),
    }
  }
  const columns: { name: string; svc: Service; wide?: boolean; want: string }[] = [
    { name: 'EXTERNAL-IP of a ClusterIP Service is <none>', svc: withStatus({ name: 'order', type: 'ClusterIP' }), want: '<none>' },
    { name: 'EXTERNAL-IP of a ClusterIP Service with externalIPs lists them', svc: withStatus({ name: 'order', type: 'ClusterIP', externalIPs: ['80.11.12.10'] }), want: '80.11.12.10' },
    { name: 'EXTERNAL-IP of a NodePort Service is <none>, not <nodes>', svc: withStatus({ name: 'order-np', type: 'NodePort' }), want: '<none>' },
    { name: 'EXTERNAL-IP of a NodePort Service joins its externalIPs with commas', svc: withStatus({ name: 'order-np', type: 'NodePort', externalIPs: ['80.11.12.10', '80.11.12.11'] }), want: '80.11.12.10,80.11.12.11' },
    { name: 'EXTERNAL-IP of a LoadBalancer Service without status is <pending>', svc: withStatus({ name: 'order-lb' }), want: '<pending>' },
    { name: 'EXTERNAL-IP of a provisioned LoadBalancer Service is its ingress IP', svc: withStatus({ name: 'order-lb2' }, { ingress: [{ ip: '203.0.113.10' }] }), want: '203.0.113.10' },
    { name: 'EXTERNAL-IP lists two ingress IPs, 2.3.4.5,3.4.5.6', svc: withStatus({ name: 'service1' }, { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }] }), want: '2.3.4.5,3.4.5.6' },
    {
      name: 'EXTERNAL-IP longer than 16 characters is cut to 13 and "..."',
      svc: withStatus({ name: 'service4' }, { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8', hostname: 'host5678' }] }),
      want: '2.3.4.5,3.4.5...',
    },
    {
      name: 'EXTERNAL-IP with -o wide is not cut',
      svc: withStatus({ name: 'service4' }, { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8', hostname: 'host5678' }] }),
      wide: true,
      want: '2.3.4.5,3.4.5.6,5.6.7.8',
    },
    {
      name: 'EXTERNAL-IP of an AWS load balancer shows its hostname cut to a1b2c3d4e5f6-...',
      svc: withStatus({ name: 'order-lb' }, { ingress: [{ hostname: 'a1b2c3d4e5f6-1234567890.us-east-1.elb.amazonaws.com' }] }),
      want: 'a1b2c3d4e5f6-...',
    },
    {
      name: 'EXTERNAL-IP lists ingress IPs once each and sorted as strings, so 1.0.0.10 comes before 1.0.0.9',
      svc: withStatus({ name: 'order-lb' }, { ingress: [{ ip: '1.0.0.9' }, { ip: '1.0.0.10' }, { ip: '1.0.0.9' }] }),
      want: '1.0.0.10,1.0.0.9',
    },
    { name: 'EXTERNAL-IP of a LoadBalancer Service with an externalIP and no status shows the externalIP, not <pending>', svc: withStatus({ name: 'test4', externalIPs: ['80.11.12.10'] }), want: '80.11.12.10' },
    {
      name: 'EXTERNAL-IP puts the ingress IP first and the externalIP after it',
      svc: withStatus({ name: 'test5', externalIPs: ['80.11.12.10'] }, { ingress: [{ ip: '3.4.5.6', hostname: 'test.cluster.com' }] }),
      want: '3.4.5.6,80.11.12.10',
    },
    {
      name: 'EXTERNAL-IP appends every externalIP to the ingress IPs, uncut',
      svc: withStatus({ name: 'test6', externalIPs: ['80.11.12.10', '80.11.12.11'] }, { ingress: [{ ip: '2.3.4.5', hostname: 'test.cluster.local' }, { ip: '3.4.5.6', hostname: 'test.cluster.com' }] }),
      want: '2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11',
    },
    { name: 'EXTERNAL-IP of an ExternalName Service is its externalName', svc: withStatus({ name: 'ext', type: 'ExternalName' }, undefined, 'db.example.com'), want: 'db.example.com' },
  ]
  table(columns, ({ svc, wide, want }) => {
    const got = externalIPColumn(svc, wide ?? false)
    expect(got, `kubectl get svc ${svc.metadata?.name}${wide ? ' -o wide' : ''} (type ${svc.spec?.type}): EXTERNAL-IP`).toBe(want)
  })

  test('externalIPColumn without the wide argument is plain kubectl get svc: an EXTERNAL-IP past 16 characters is cut', () => {
    const svc = withStatus({ name: 'service4' }, { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8' }] })
    expect(externalIPColumn(svc), 'kubectl get svc service4 (no -o wide)').toBe('2.3.4.5,3.4.5...')
  })

  test('EXTERNAL-IP of a Service of an unknown type is <unknown>', () => {
    const svc = lbService({ name: 'odd' })
    expect(externalIPColumn({ ...svc, spec: { ...svc.spec, type: 'Headless' } })).toBe('<unknown>')
  })
})

// ---------------------------------------------------------------------------
// How the controller's status reads in kubectl get svc: the core tasks together.
task('kubectl-get-svc', () => {
  test('a LoadBalancer Service shows EXTERNAL-IP <pending> until the controller writes 172.18.255.200 with ipMode VIP to its status', () => {
    const { ctl } = cluster()
    const manifest = lbService({ name: 'order' })
    expect(externalIPColumn(manifest), 'a Service nobody has provisioned yet').toBe('<pending>')
    ctl.addService(manifest)
    const got = ctl.get('snackbar', 'order')
    expect(externalIPColumn(got!), 'kubectl get svc order: EXTERNAL-IP').toBe('172.18.255.200')
  })

  const lives: { name: string; live: (ctl: ServiceController, cloud: FakeCloud) => void; want: string }[] = [
    {
      name: 'kubectl get svc: a Service whose loadBalancerClass names another controller stays <pending>',
      live: (ctl) => ctl.addService(lbService({ name: 'order', loadBalancerClass: 'example.com/lb' })),
      want: '<pending>',
    },
    {
      name: 'kubectl get svc: the 52nd LoadBalancer Service stays <pending> while the pool is exhausted',
      live: (ctl) => {
        createMany(ctl, 51)
        ctl.addService(lbService({ name: 'order' }))
      },
      want: '<pending>',
    },
    {
      name: 'kubectl get svc: the 52nd LoadBalancer Service shows the IP a deleted Service freed, once its sync is retried',
      live: (ctl) => {
        createMany(ctl, 51)
        ctl.addService(lbService({ name: 'order' }))
        ctl.deleteService('snackbar', nth(7))
        ctl.retryFailed()
      },
      want: '172.18.255.207',
    },
    {
      name: 'kubectl get svc: a LoadBalancer Service changed to ClusterIP shows <none>',
      live: (ctl) => {
        ctl.addService(lbService({ name: 'order' }))
        ctl.updateService(lbService({ name: 'order', type: 'ClusterIP' }))
      },
      want: '<none>',
    },
    {
      name: 'kubectl get svc: a Service whose cloud answers ImplementedElsewhere stays <pending>',
      live: (ctl, cloud) => {
        cloud.failWith('ensure', new ImplementedElsewhereError())
        ctl.addService(lbService({ name: 'order' }))
      },
      want: '<pending>',
    },
  ]
  table(lives, ({ live, want }) => {
    const { cloud, ctl } = cluster()
    live(ctl, cloud)
    const got = ctl.get('snackbar', 'order')
    expect(got && externalIPColumn(got), `kubectl get svc order -n snackbar: EXTERNAL-IP (events: ${lines(ctl, 'snackbar', 'order').join('; ') || 'none'})`).toBe(want)
  })
})

// ---------------------------------------------------------------------------
// Deep track.
task('load-balancer-interface', () => {
  const names: { name: string; uid: string | undefined; want: string }[] = [
    {
      name: 'DefaultLoadBalancerName of a real UID is "a" plus the UID without dashes, cut to 32 characters',
      uid: '9a3c2f1e-1b2c-4d5e-8f90-1234567890ab',
      want: 'a9a3c2f1e1b2c4d5e8f901234567890a',
    },
    { name: 'DefaultLoadBalancerName of the short UID uid-svc-order is auidsvcorder', uid: 'uid-svc-order', want: 'auidsvcorder' },
    {
      name: 'DefaultLoadBalancerName removes the dashes before cutting, so a dash-heavy UID keeps all its digits',
      uid: '1-2-3-4-5-6-7-8-9-0-1-2-3-4-5-6-7-8-9-0',
      want: 'a12345678901234567890',
    },
    {
      name: 'DefaultLoadBalancerName keeps a name of exactly 32 characters whole',
      uid: '0123456789abcdef0123456789abcde',
      want: 'a0123456789abcdef0123456789abcde',
    },
    { name: 'DefaultLoadBalancerName of a Service with an empty UID is just "a"', uid: '', want: 'a' },
    { name: 'DefaultLoadBalancerName of a Service the API server has not stored yet (no metadata.uid) is just "a"', uid: undefined, want: 'a' },
  ]
  table(names, ({ uid, want }) => {
    const stored = lbService({ name: 'order', uid: uid ?? '' })
    const { uid: _, ...unstored } = stored.metadata ?? {}
    const svc: Service = uid === undefined ? { ...stored, metadata: unstored } : stored
    const got = defaultLoadBalancerName(svc)
    expect(got, `the cloud names the load balancer of Service snackbar/order (uid ${JSON.stringify(uid)}) ${want}, not ${got}`).toBe(want)
  })

  test('a cloud answering ImplementedElsewhere throws an ImplementedElsewhereError: implemented by alternate to cloud provider', () => {
    const cloud = new FakeCloud()
    cloud.failWith('ensure', new ImplementedElsewhereError())
    let err: unknown
    try {
      cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'order' }), kindNodes().slice(1))
    } catch (e) {
      err = e
    }
    expect(err, 'the cloud was told to answer ImplementedElsewhere').toBeInstanceOf(ImplementedElsewhereError)
    expect((err as Error).message, "Go's cloudprovider.ImplementedElsewhere text").toBe('implemented by alternate to cloud provider')
    expect((err as Error).name, 'the name of the error class, as an uncaught error prints it').toBe('ImplementedElsewhereError')
  })

  test('the first load balancer gets the first IP of the pool, 172.18.255.200, as a VIP', () => {
    const cloud = new FakeCloud()
    const status = cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'order' }), kindNodes().slice(1))
    expect(status, 'the kind pool starts at 172.18.255.200; a VIP-style load balancer reports ipMode VIP').toEqual({
      ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }],
    })
    expect(cloud.calls, 'Kubernetes\' fake cloud records an ensure as "create"').toEqual(['create'])
    const b = cloud.balancer('auidsvcorder')
    expect(b?.hosts, 'the load balancer forwards to the nodes it was given').toEqual(['kind-worker', 'kind-worker2'])
    expect(b?.nodePorts, 'and to the Service\'s nodePorts').toEqual([30080])
  })

  test('a second service gets the next free IP, 172.18.255.201', () => {
    const cloud = new FakeCloud()
    cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'order' }), [])
    const status = cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'cart' }), [])
    expect(status.ingress?.[0]?.ip, 'snackbar/cart is the second load balancer: the lowest free IP is .201').toBe('172.18.255.201')
  })

  test('ensuring the same service again keeps its IP and records a second create call', () => {
    const cloud = new FakeCloud()
    const svc = lbService({ name: 'order' })
    cloud.ensureLoadBalancer('kubernetes', svc, [])
    const again = cloud.ensureLoadBalancer('kubernetes', svc, kindNodes())
    expect(again.ingress?.[0]?.ip, 'EnsureLoadBalancer on an existing load balancer updates it; its IP must not change').toBe('172.18.255.200')
    expect(cloud.balancers().map((b) => b.ip), 'still one load balancer').toEqual(['172.18.255.200'])
    expect(cloud.calls).toEqual(['create', 'create'])
  })

  test('getLoadBalancer reports exists=false before ensure and the status after', () => {
    const cloud = new FakeCloud()
    const svc = lbService({ name: 'order' })
    expect(cloud.getLoadBalancer('kubernetes', svc).exists, 'no load balancer exists for snackbar/order yet').toBe(false)
    cloud.ensureLoadBalancer('kubernetes', svc, [])
    expect(cloud.getLoadBalancer('kubernetes', svc), 'after ensure it exists, with its ingress IP').toEqual({
      exists: true,
      status: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] },
    })
    expect(cloud.calls, 'GetLoadBalancer is not recorded, as in Kubernetes\' fake').toEqual(['create'])
  })

  test('deleting a load balancer frees its IP at once, and the next new service gets that lowest free IP', () => {
    const cloud = new FakeCloud()
    const [a, b, c] = ['a', 'b', 'c'].map((n) => lbService({ name: n }))
    for (const s of [a!, b!]) cloud.ensureLoadBalancer('kubernetes', s, [])
    cloud.ensureLoadBalancerDeleted('kubernetes', a!)
    expect(cloud.getLoadBalancer('kubernetes', a!).exists, 'the deleted load balancer is gone').toBe(false)
    const status = cloud.ensureLoadBalancer('kubernetes', c!, [])
    expect(status.ingress?.[0]?.ip, '172.18.255.200 was freed by the delete and is the lowest free IP again').toBe('172.18.255.200')
    expect(cloud.calls).toEqual(['create', 'create', 'delete', 'create'])
  })

  test('deleting a load balancer that does not exist succeeds and still records the delete call', () => {
    const cloud = new FakeCloud()
    cloud.ensureLoadBalancerDeleted('kubernetes', lbService({ name: 'never' }))
    expect(cloud.calls, 'EnsureLoadBalancerDeleted returns nil when there is nothing to delete').toEqual(['delete'])
  })

  test('with every IP of a two-address pool held, ensure throws NoAvailableIPsError naming the pool', () => {
    const cloud = new FakeCloud({ first: '192.0.2.10', last: '192.0.2.11' })
    cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'a' }), [])
    cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'b' }), [])
    const third = () => cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'c' }), [])
    expect(third, 'a third load balancer finds no free IP').toThrow(NoAvailableIPsError)
    expect(third).toThrow('no available IPs in pool 192.0.2.10-192.0.2.11')
    let err: unknown
    try {
      third()
    } catch (e) {
      err = e
    }
    expect((err as Error).name, 'the name of the error class, as an uncaught error prints it').toBe('NoAvailableIPsError')
    expect(cloud.balancers().map((b) => b.service), 'the failed ensure created nothing').toEqual(['snackbar/a', 'snackbar/b'])
  })

  test('the default pool holds exactly 51 addresses, 172.18.255.200 to 172.18.255.250', () => {
    const cloud = new FakeCloud()
    const ips = Array.from({ length: 51 }, (_, i) => cloud.ensureLoadBalancer('kubernetes', lbService({ name: nth(i) }), []).ingress?.[0]?.ip)
    expect(ips[50], 'the 51st load balancer gets the last address of the pool').toBe('172.18.255.250')
    expect(new Set(ips).size, '51 different addresses').toBe(51)
    expect(() => cloud.ensureLoadBalancer('kubernetes', lbService({ name: nth(51) }), []), 'the 52nd finds the pool exhausted').toThrow(
      NoAvailableIPsError,
    )
  })

  test('updateLoadBalancer records the hosts it was given and sets them on the load balancer', () => {
    const cloud = new FakeCloud()
    const svc = lbService({ name: 'order' })
    cloud.ensureLoadBalancer('kubernetes', svc, kindNodes().slice(1))
    cloud.updateLoadBalancer('kubernetes', svc, [node('kind-worker2')])
    expect(cloud.updateCalls, 'UpdateBalancerCall: the service and the hosts').toEqual([{ service: 'snackbar/order', hosts: ['kind-worker2'] }])
    expect(cloud.balancer('auidsvcorder')?.hosts, 'the load balancer now forwards to kind-worker2 only').toEqual(['kind-worker2'])
    expect(cloud.calls).toEqual(['create', 'update'])
  })

  test('failWith makes ensure throw the given error, records the call and changes nothing; clearing it makes ensure work again', () => {
    const cloud = new FakeCloud()
    const boom = new Error('quota exceeded')
    cloud.failWith('ensure', boom)
    const svc = lbService({ name: 'order' })
    expect(() => cloud.ensureLoadBalancer('kubernetes', svc, []), 'the cloud was told to fail EnsureLoadBalancer').toThrow(boom)
    expect(cloud.calls, 'the failed call is recorded').toEqual(['create'])
    expect(cloud.balancers(), 'a failed ensure holds no IP').toEqual([])
    cloud.failWith('ensure', undefined)
    expect(cloud.ensureLoadBalancer('kubernetes', svc, []).ingress?.[0]?.ip).toBe('172.18.255.200')
  })

  test('a service with allocateLoadBalancerNodePorts false is accepted: its load balancer has no nodePorts to forward to', () => {
    const cloud = new FakeCloud()
    const svc = lbService({ name: 'order', allocateLoadBalancerNodePorts: false })
    const status = cloud.ensureLoadBalancer('kubernetes', svc, kindNodes().slice(1))
    expect(status.ingress?.[0]?.ip, 'a VIP-style load balancer needs no nodePort: kube-proxy captures its IP on every node').toBe('172.18.255.200')
    expect(cloud.balancer('auidsvcorder')?.nodePorts, 'spec.ports[].nodePort is absent, so there is nothing to forward to').toEqual([])
  })

  const pools: { name: string; first: string; last: string; valid: boolean }[] = [
    { name: 'a pool whose first address comes after its last is refused with InvalidPoolError', first: '172.18.255.250', last: '172.18.255.200', valid: false },
    { name: 'a pool whose first address is no IP is refused', first: 'kind', last: '172.18.255.250', valid: false },
    { name: 'a pool whose last address is no IP is refused', first: '172.18.255.200', last: '172.18.255.256', valid: false },
    { name: 'a pool from an IPv4 to an IPv6 address is refused: a pool is of one family', first: '172.18.255.200', last: 'fc00:f853:ccd:e793::ff', valid: false },
    { name: 'a pool of one address, first = last, is a pool: one load balancer gets it', first: '172.18.255.200', last: '172.18.255.200', valid: true },
  ]
  table(pools, ({ first, last, valid }) => {
    const make = () => new FakeCloud({ first, last })
    if (valid) {
      const cloud = make()
      expect(cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'order' }), []).ingress?.[0]?.ip, `pool ${first}-${last}`).toBe(first)
      expect(() => cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'cart' }), []), 'a second load balancer finds no free IP').toThrow(NoAvailableIPsError)
      return
    }
    let err: unknown
    try {
      make()
    } catch (e) {
      err = e
    }
    expect(err, `pool ${first}-${last} must be refused with InvalidPoolError`).toBeInstanceOf(InvalidPoolError)
    expect((err as Error).message).toBe(`invalid address pool ${first}-${last}`)
    expect((err as Error).name, 'the name of the error class, as an uncaught error prints it').toBe('InvalidPoolError')
  })

  test('getLoadBalancerName is DefaultLoadBalancerName: auidsvcorder for snackbar/order', () => {
    expect(new FakeCloud().getLoadBalancerName('kubernetes', lbService({ name: 'order' }))).toBe('auidsvcorder')
  })

  test('balancers lists the load balancers lowest IP first, not in the order they were made', () => {
    const cloud = new FakeCloud()
    const [a, b, c] = ['a', 'b', 'c'].map((n) => lbService({ name: n }))
    for (const s of [a!, b!]) cloud.ensureLoadBalancer('kubernetes', s, [])
    cloud.ensureLoadBalancerDeleted('kubernetes', a!)
    cloud.ensureLoadBalancer('kubernetes', c!, [])
    expect(cloud.balancers().map((x) => `${x.ip} ${x.service}`), 'snackbar/c took the freed 172.18.255.200 after snackbar/b took .201').toEqual([
      '172.18.255.200 snackbar/c',
      '172.18.255.201 snackbar/b',
    ])
  })

  test('balancer hands out a copy: changing it does not change the load balancer the cloud holds', () => {
    const cloud = new FakeCloud()
    cloud.ensureLoadBalancer('kubernetes', lbService({ name: 'order' }), kindNodes().slice(1))
    cloud.balancer('auidsvcorder')?.hosts.push('kind-control-plane')
    expect(cloud.balancer('auidsvcorder')?.hosts, 'only ensure and update change the backend nodes').toEqual(['kind-worker', 'kind-worker2'])
  })

  test('updateLoadBalancer for a service that has no load balancer records the call and creates nothing', () => {
    const cloud = new FakeCloud()
    cloud.updateLoadBalancer('kubernetes', lbService({ name: 'order' }), [node('kind-worker')])
    expect(cloud.updateCalls, 'UpdateBalancerCall: the service and the hosts').toEqual([{ service: 'snackbar/order', hosts: ['kind-worker'] }])
    expect(cloud.calls).toEqual(['update'])
    expect(cloud.balancers(), 'an update creates no load balancer').toEqual([])
  })

  test('across random creates and deletes no two services ever hold the same ingress IP, and every IP is in the pool (property)', () => {
    const first = 0xac12ffc8 // 172.18.255.200
    const last = 0xac12fffa // 172.18.255.250
    const toNum = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0)
    const op = fc.record({ del: fc.boolean(), svc: fc.integer({ min: 0, max: 59 }) })
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), (ops) => {
        const cloud = new FakeCloud()
        const ctl = new ServiceController(cloud)
        ctl.addNode(node('kind-worker'))
        const live = new Set<string>()
        for (const o of ops) {
          const name = nth(o.svc)
          if (o.del) {
            ctl.deleteService('snackbar', name)
            live.delete(name)
          } else if (!live.has(name)) {
            ctl.addService(lbService({ name }))
            live.add(name)
          }
        }
        const held = [...live].flatMap((n) => ingressOf(ctl.get('snackbar', n)).map((ip) => ({ n, ip })))
        const ips = held.map((h) => h.ip)
        expect(new Set(ips).size, `two Services share an ingress IP: ${held.map((h) => `${h.n}=${h.ip}`).join(', ')}`).toBe(ips.length)
        for (const ip of ips) expect(toNum(ip) >= first && toNum(ip) <= last, `${ip} is outside the pool ${POOL_TEXT}`).toBe(true)
        expect(held.length, 'every Service gets an IP while the pool lasts').toBe(Math.min(live.size, 51))
        expect(cloud.balancers().map((b) => b.ip).sort(), 'the cloud holds exactly the IPs the Services show').toEqual([...ips].sort())
      }),
      { seed: 808, numRuns: 60 },
    )
  })
})

// ---------------------------------------------------------------------------
task('controller-plumbing', () => {
  const finalizers: { name: string; finalizers: string[] | undefined; want: boolean }[] = [
    { name: 'HasLBFinalizer: service without finalizer', finalizers: undefined, want: false },
    { name: 'HasLBFinalizer: service with unrelated finalizer', finalizers: ['unrelated'], want: false },
    { name: 'HasLBFinalizer: service with one finalizer', finalizers: [FINALIZER], want: true },
    { name: 'HasLBFinalizer: service with multiple finalizers', finalizers: [FINALIZER, 'unrelated'], want: true },
  ]
  table(finalizers, ({ finalizers: f, want }) => {
    expect(hasLBFinalizer(lbService({ name: 'order', ...(f ? { finalizers: f } : {}) })), `finalizers ${JSON.stringify(f ?? [])}`).toBe(want)
  })

  const statuses: { name: string; a: LoadBalancerStatus | undefined; b: LoadBalancerStatus | undefined; want: boolean }[] = [
    { name: 'LoadBalancerStatusEqual: two empty statuses are equal', a: {}, b: { ingress: [] }, want: true },
    { name: 'LoadBalancerStatusEqual: no status at all equals an empty one', a: undefined, b: {}, want: true },
    { name: 'LoadBalancerStatusEqual: an empty status equals no status at all', a: {}, b: undefined, want: true },
    { name: 'LoadBalancerStatusEqual: the same hostname is equal', a: { ingress: [{ hostname: 'lb-a.example.com' }] }, b: { ingress: [{ hostname: 'lb-a.example.com' }] }, want: true },
    { name: 'LoadBalancerStatusEqual: another hostname differs', a: { ingress: [{ hostname: 'lb-a.example.com' }] }, b: { ingress: [{ hostname: 'lb-b.example.com' }] }, want: false },
    { name: 'LoadBalancerStatusEqual: the same IP and ipMode are equal', a: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] }, b: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] }, want: true },
    { name: 'LoadBalancerStatusEqual: another IP differs', a: { ingress: [{ ip: '172.18.255.200' }] }, b: { ingress: [{ ip: '172.18.255.201' }] }, want: false },
    { name: 'LoadBalancerStatusEqual: another ipMode differs', a: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] }, b: { ingress: [{ ip: '172.18.255.200', ipMode: 'Proxy' }] }, want: false },
    { name: 'LoadBalancerStatusEqual: the same entries in another order differ', a: { ingress: [{ ip: '1.1.1.1' }, { ip: '2.2.2.2' }] }, b: { ingress: [{ ip: '2.2.2.2' }, { ip: '1.1.1.1' }] }, want: false },
    { name: 'LoadBalancerStatusEqual: a pending status differs from an ensured one', a: {}, b: { ingress: [{ hostname: 'lb.example.com' }] }, want: false },
  ]
  table(statuses, ({ a, b, want }) => {
    expect(loadBalancerStatusEqual(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(want)
  })

  type Version = Partial<LBServiceOptions> & { spec?: ServiceSpec }
  const port80 = { name: 'http', port: 80, targetPort: 80 }
  const updates: { name: string; from: Version; to: Version; want: boolean; events: string[] }[] = [
    { name: 'needsUpdate: LoadBalancer to NodePort needs a sync and records the Type event', from: {}, to: { type: 'NodePort' }, want: true, events: ['Normal Type: LoadBalancer -> NodePort'] },
    { name: 'needsUpdate: ClusterIP to NodePort does not: neither version wants a load balancer', from: { type: 'ClusterIP' }, to: { type: 'NodePort' }, want: false, events: [] },
    { name: 'needsUpdate: NodePort to LoadBalancer needs a sync', from: { type: 'NodePort' }, to: {}, want: true, events: ['Normal Type: NodePort -> LoadBalancer'] },
    {
      name: 'needsUpdate: a new loadBalancerSourceRanges entry records the old and new lists the way Go prints them',
      from: {},
      to: { loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.0/24'] },
      want: true,
      events: ['Normal LoadBalancerSourceRanges: [] -> [203.0.113.0/24 198.51.100.0/24]'],
    },
    { name: 'needsUpdate: externalTrafficPolicy Cluster to Local', from: {}, to: { externalTrafficPolicy: 'Local' }, want: true, events: ['Normal ExternalTrafficPolicy: Cluster -> Local'] },
    { name: 'needsUpdate: a new healthCheckNodePort', from: { healthCheckNodePort: 30001 }, to: { healthCheckNodePort: 30002 }, want: true, events: ['Normal HealthCheckNodePort: 30001 -> 30002'] },
    { name: 'needsUpdate: a new externalIP', from: {}, to: { externalIPs: ['198.51.100.7'] }, want: true, events: ['Normal ExternalIP: Count: 0 -> 1'] },
    { name: 'needsUpdate: another port needs a sync without an event', from: {}, to: { ports: [{ name: 'http', port: 8080 }] }, want: true, events: [] },
    { name: 'needsUpdate: an annotation change needs a sync without an event', from: {}, to: { annotations: { 'example.com/tier': 'gold' } }, want: true, events: [] },
    { name: 'needsUpdate: the same Service twice needs nothing', from: {}, to: {}, want: false, events: [] },
    {
      name: 'needsUpdate: the same annotations in another order need nothing',
      from: { annotations: { 'example.com/tier': 'gold', 'example.com/team': 'snacks' } },
      to: { annotations: { 'example.com/team': 'snacks', 'example.com/tier': 'gold' } },
      want: false,
      events: [],
    },
    { name: 'needsUpdate: an empty annotations map is no annotations (the API drops empty maps)', from: {}, to: { annotations: {} }, want: false, events: [] },
    { name: 'needsUpdate: an empty loadBalancerSourceRanges list is none (the API drops empty lists)', from: {}, to: { loadBalancerSourceRanges: [] }, want: false, events: [] },
    { name: 'needsUpdate: another port name', from: {}, to: { ports: [{ ...port80, name: 'web' }] }, want: true, events: [] },
    { name: 'needsUpdate: another protocol', from: {}, to: { ports: [{ ...port80, protocol: 'UDP' }] }, want: true, events: [] },
    { name: 'needsUpdate: another port number, same targetPort', from: {}, to: { ports: [{ ...port80, port: 8080 }] }, want: true, events: [] },
    { name: 'needsUpdate: another nodePort', from: {}, to: { ports: [{ ...port80, nodePort: 30090 }] }, want: true, events: [] },
    { name: 'needsUpdate: a targetPort by name instead of number', from: {}, to: { ports: [{ ...port80, targetPort: 'http' }] }, want: true, events: [] },
    { name: 'needsUpdate: an empty port name and protocol are none (Go reads both as "")', from: { ports: [{ port: 80, protocol: '' }] }, to: { ports: [{ name: '', port: 80, protocol: undefined }] }, want: false, events: [] },
    { name: 'needsUpdate: no port name and protocol are empty ones (Go reads both as "")', from: { ports: [{ name: '', port: 80, protocol: undefined }] }, to: { ports: [{ port: 80, protocol: '' }] }, want: false, events: [] },
    { name: 'needsUpdate: a new appProtocol', from: {}, to: { ports: [{ ...port80, appProtocol: 'kubernetes.io/h2c' }] }, want: true, events: [] },
    { name: 'needsUpdate: a second port', from: {}, to: { ports: [port80, { name: 'https', port: 443, targetPort: 443 }] }, want: true, events: [] },
    {
      name: 'needsUpdate: the second of two ports changes',
      from: { ports: [port80, { name: 'https', port: 443, targetPort: 443 }] },
      to: { ports: [port80, { name: 'https', port: 443, targetPort: 8443 }] },
      want: true,
      events: [],
    },
    { name: 'needsUpdate: sessionAffinity None to ClientIP', from: {}, to: { spec: { sessionAffinity: 'ClientIP' } }, want: true, events: [] },
    {
      name: 'needsUpdate: another sessionAffinity timeout',
      from: { spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } } },
      to: { spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } } },
      want: true,
      events: [],
    },
    {
      name: 'needsUpdate: another loadBalancerIP',
      from: { spec: { loadBalancerIP: '172.18.255.210' } },
      to: { spec: { loadBalancerIP: '172.18.255.211' } },
      want: true,
      events: ['Normal LoadbalancerIP: 172.18.255.210 -> 172.18.255.211'],
    },
    { name: 'needsUpdate: a loadBalancerIP requested where there was none', from: {}, to: { spec: { loadBalancerIP: '172.18.255.210' } }, want: true, events: ['Normal LoadbalancerIP:  -> 172.18.255.210'] },
    { name: 'needsUpdate: the loadBalancerIP dropped', from: { spec: { loadBalancerIP: '172.18.255.210' } }, to: {}, want: true, events: ['Normal LoadbalancerIP: 172.18.255.210 -> '] },
    { name: 'needsUpdate: one externalIP swapped for another', from: { externalIPs: ['198.51.100.7'] }, to: { externalIPs: ['198.51.100.8'] }, want: true, events: ['Normal ExternalIP: Added: 198.51.100.8'] },
    { name: 'needsUpdate: the same two externalIPs need nothing', from: { externalIPs: ['198.51.100.7', '198.51.100.8'] }, to: { externalIPs: ['198.51.100.7', '198.51.100.8'] }, want: false, events: [] },
    {
      name: 'needsUpdate: a Service deleted and created again under the same name has a new UID',
      from: { uid: 'uid-svc-order' },
      to: { uid: 'uid-svc-order-2' },
      want: true,
      events: ['Normal UID: uid-svc-order -> uid-svc-order-2'],
    },
    {
      name: 'needsUpdate: a second IP family',
      from: {},
      to: { spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.100', 'fd00:10:96::100'] } },
      want: true,
      events: ['Normal IPFamilies: Count: 1 -> 2'],
    },
  ]
  test('the controller stamps its events and a deletionTimestamp by its clock, to the second (RFC 3339), and tags events with the uid', () => {
    const cloud = new FakeCloud()
    const ctl = new ServiceController(cloud, { now: () => new Date('2026-03-04T05:06:07.890Z') })
    for (const n of kindNodes()) ctl.addNode(n)
    ctl.addService(lbService({ name: 'order' }))
    const [first] = ctl.events('snackbar', 'order')
    expect(first && { timestamp: first.timestamp, uid: first.uid }, 'kubectl describe svc: the event of Service snackbar/order').toEqual({ timestamp: '2026-03-04T05:06:07Z', uid: 'uid-svc-order' })
    cloud.failWith('delete', new Error('load balancer is busy'))
    ctl.deleteService('snackbar', 'order')
    expect(ctl.get('snackbar', 'order')?.metadata?.deletionTimestamp, 'the Service stays Terminating while the cloud cannot delete').toBe('2026-03-04T05:06:07Z')
  })

  const version = (v: Version): Service => {
    const base = lbService({ name: 'order', ...v })
    return { ...base, spec: { ...base.spec, ...v.spec } }
  }
  table(updates, ({ from, to, want, events }) => {
    const ctl = new ServiceController(new FakeCloud())
    const got = ctl.needsUpdate(version(from), version(to))
    expect(got, `update of Service snackbar/order from ${JSON.stringify(from)} to ${JSON.stringify(to)}`).toBe(want)
    expect(lines(ctl), eventsMessage('snackbar/order', events, lines(ctl))).toEqual(events)
  })

  table([...STORE_ROWS, ...RECREATE_ROWS], story)

  test('every cloud call carries the cluster name: kube-controller-manager\'s --cluster-name default kubernetes, or the one given', () => {
    for (const clusterName of [undefined, 'kind']) {
      const cloud = new NamedCloud()
      const ctl = new ServiceController(cloud, clusterName ? { clusterName } : {})
      for (const n of kindNodes()) ctl.addNode(n)
      ctl.addService(lbService({ name: 'order' }))
      ctl.addNode(node('kind-worker3'))
      ctl.deleteService('snackbar', 'order')
      expect([...cloud.clusterNames], `cluster names of the get, ensure, update and delete calls with clusterName ${clusterName ?? '(not given)'}`).toEqual([clusterName ?? 'kubernetes'])
    }
  })

  test('events(namespace) lists that namespace\'s events only, events(namespace, name) one Service\'s, events() every one, none before any sync', () => {
    const { ctl } = cluster()
    expect(ctl.events(), 'a fresh controller has recorded no event').toEqual([])
    ctl.addService(lbService({ name: 'order' }))
    ctl.addService(lbService({ name: 'order', namespace: 'kitchen' }))
    ctl.addService(lbService({ name: 'menu', namespace: 'kitchen' }))
    const who = (es: { namespace: string; name: string }[]) => [...new Set(es.map((e) => `${e.namespace}/${e.name}`))]
    expect(who(ctl.events('snackbar')), 'kubectl get events -n snackbar').toEqual(['snackbar/order'])
    expect(who(ctl.events('kitchen', 'order')), 'kubectl describe svc order -n kitchen').toEqual(['kitchen/order'])
    expect(who(ctl.events()), 'kubectl get events -A').toEqual(['snackbar/order', 'kitchen/order', 'kitchen/menu'])
  })

  test('failedKeys lists the keys to retry sorted, whatever order their syncs failed in', () => {
    const { cloud, ctl } = cluster()
    cloud.failWith('ensure', new Error('quota exceeded'))
    for (const name of ['web', 'order', 'menu']) ctl.addService(lbService({ name }))
    expect(ctl.failedKeys(), 'the work queue holds snackbar/web, snackbar/order and snackbar/menu').toEqual(['snackbar/menu', 'snackbar/order', 'snackbar/web'])
  })
})

// ---------------------------------------------------------------------------
task('backend-nodes', () => {
  const labelValues: { name: string; value: string | undefined; want: boolean }[] = [
    { name: 'a node without the exclusion label is a backend', value: undefined, want: true },
    { name: 'exclude-from-external-load-balancers="" (as kubeadm sets it on control planes) excludes the node', value: '', want: false },
    { name: 'exclude-from-external-load-balancers=true excludes the node', value: 'true', want: false },
    { name: 'exclude-from-external-load-balancers=false keeps the node (Go ParseBool reads false)', value: 'false', want: true },
    { name: 'exclude-from-external-load-balancers=False keeps the node', value: 'False', want: true },
    { name: 'exclude-from-external-load-balancers=FALSE keeps the node', value: 'FALSE', want: true },
    { name: 'exclude-from-external-load-balancers=0 keeps the node', value: '0', want: true },
    { name: 'exclude-from-external-load-balancers=f keeps the node', value: 'f', want: true },
    { name: 'exclude-from-external-load-balancers=1 excludes the node', value: '1', want: false },
    { name: 'exclude-from-external-load-balancers=T excludes the node', value: 'T', want: false },
    { name: 'exclude-from-external-load-balancers=no excludes the node: not a Go boolean, so it counts as set', value: 'no', want: false },
    { name: 'exclude-from-external-load-balancers=yes excludes the node', value: 'yes', want: false },
  ]
  table(labelValues, ({ value, want }) => {
    const n = node('kind-worker', value === undefined ? {} : { labels: { [EXCLUDE_LABEL]: value } })
    const label = value === undefined ? 'no exclusion label' : `${EXCLUDE_LABEL}=${JSON.stringify(value)}`
    expect(nodeIncludedPredicate(n), `node kind-worker with ${label}: ${want ? 'kept' : 'excluded'} by the service controller`).toBe(want)
  })

  const sets: { name: string; nodes: Node[]; want: string[] }[] = [
    { name: "the kind cluster's control-plane node carries kubeadm's exclusion label, so only the two workers are backends", nodes: kindNodes(), want: ['kind-worker', 'kind-worker2'] },
    { name: 'a NotReady node stays a backend: readiness is not a criterion, the load balancer health check handles it', nodes: [node('kind-worker', { ready: false }), node('kind-worker2')], want: ['kind-worker', 'kind-worker2'] },
    { name: 'a node whose Ready condition is Unknown stays a backend', nodes: [node('kind-worker', { ready: 'Unknown' })], want: ['kind-worker'] },
    { name: 'a node being deleted is not a backend', nodes: [node('kind-worker', { deleting: true }), node('kind-worker2')], want: ['kind-worker2'] },
    {
      name: 'a node tainted ToBeDeletedByClusterAutoscaler is not a backend, whatever the taint effect',
      nodes: [node('kind-worker', { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1700000000', effect: 'NoSchedule' }] }), node('kind-worker2', { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', effect: 'PreferNoSchedule' }] })],
      want: [],
    },
    { name: 'an ordinary NoSchedule taint does not keep a node out of the load balancer', nodes: [node('kind-worker', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })], want: ['kind-worker'] },
    { name: 'backends keep the order of the node list', nodes: [node('c'), node('a'), node('b')], want: ['c', 'a', 'b'] },
  ]
  table(sets, ({ nodes, want }) => {
    const got = backendNodes(nodes).map((n) => n.metadata?.name ?? '')
    expect(got, `backend nodes of the load balancer:\n${listDiff(want, got)}`).toEqual(want)
  })

  const updates: { name: string; from: Node; to: Node; want: boolean }[] = [
    { name: 'shouldSyncUpdatedNode: a node going NotReady triggers no node sync', from: node('w'), to: node('w', { ready: false }), want: false },
    { name: 'shouldSyncUpdatedNode: adding exclude-from-external-load-balancers=true triggers a node sync', from: node('w'), to: node('w', { labels: { [EXCLUDE_LABEL]: 'true' } }), want: true },
    { name: 'shouldSyncUpdatedNode: flipping the exclusion label from true to false triggers a node sync', from: node('w', { labels: { [EXCLUDE_LABEL]: 'true' } }), to: node('w', { labels: { [EXCLUDE_LABEL]: 'false' } }), want: true },
    { name: 'shouldSyncUpdatedNode: changing the label from "" to true changes nothing: excluded both times', from: node('w', { labels: { [EXCLUDE_LABEL]: '' } }), to: node('w', { labels: { [EXCLUDE_LABEL]: 'true' } }), want: false },
    { name: 'shouldSyncUpdatedNode: a providerID appearing triggers a node sync', from: node('w'), to: node('w', { providerID: 'kind://docker/kind/w' }), want: true },
    { name: 'shouldSyncUpdatedNode: the ToBeDeletedByClusterAutoscaler taint alone triggers no node sync', from: node('w'), to: node('w', { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' }] }), want: false },
    { name: 'shouldSyncUpdatedNode: an unrelated label triggers no node sync', from: node('w'), to: node('w', { labels: { tier: 'edge' } }), want: false },
  ]
  table(updates, ({ from, to, want }) => {
    expect(shouldSyncUpdatedNode(from, to), 'does this node update make the service controller re-check every load balancer?').toBe(want)
  })

  /** A synced LoadBalancer Service on the kind cluster; events of the first sync dropped. */
  function synced() {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order' }))
    const before = ctl.events().length
    return { cloud, ctl, later: () => ctl.events().slice(before).map(eventLine) }
  }
  const hosts = (cloud: FakeCloud) => cloud.balancer('auidsvcorder')?.hosts ?? []

  test('a third worker joining is added to every load balancer with an UpdatedLoadBalancer event', () => {
    const { cloud, ctl, later } = synced()
    ctl.addNode(node('kind-worker3'))
    expect(cloud.updateCalls, 'UpdateLoadBalancer with the new backend set').toEqual([{ service: 'snackbar/order', hosts: ['kind-worker', 'kind-worker2', 'kind-worker3'] }])
    expect(hosts(cloud)).toEqual(['kind-worker', 'kind-worker2', 'kind-worker3'])
    expect(later()).toEqual(['Normal UpdatedLoadBalancer: Updated load balancer with new hosts'])
  })

  test('a worker newly tainted ToBeDeletedByClusterAutoscaler triggers no node sync by itself: the load balancer keeps it until the next one', () => {
    const { cloud, ctl, later } = synced()
    ctl.updateNode(node('kind-worker2', { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1700000000', effect: 'NoSchedule' }] }))
    expect(cloud.updateCalls, 'shouldSyncUpdatedNode looks only at the exclusion label and providerID').toEqual([])
    expect(hosts(cloud)).toEqual(['kind-worker', 'kind-worker2'])
    expect(later()).toEqual([])
  })

  test('a worker going NotReady changes nothing: no update call, and the load balancer keeps it', () => {
    const { cloud, ctl, later } = synced()
    ctl.updateNode(node('kind-worker2', { ready: false }))
    expect(cloud.updateCalls, 'the service controller does not react to readiness').toEqual([])
    expect(hosts(cloud)).toEqual(['kind-worker', 'kind-worker2'])
    expect(later()).toEqual([])
  })

  test('labelling a worker exclude-from-external-load-balancers=true removes it from the load balancer', () => {
    const { cloud, ctl, later } = synced()
    ctl.updateNode(node('kind-worker2', { labels: { [EXCLUDE_LABEL]: 'true' } }))
    expect(hosts(cloud), 'kind-worker2 is excluded now').toEqual(['kind-worker'])
    expect(later()).toEqual(['Normal UpdatedLoadBalancer: Updated load balancer with new hosts'])
  })

  test('deleting a node removes it from the load balancer', () => {
    const { cloud, ctl } = synced()
    ctl.deleteNode('kind-worker')
    expect(hosts(cloud)).toEqual(['kind-worker2'])
  })

  test('excluding every node leaves the load balancer without hosts and records UnAvailableLoadBalancer', () => {
    const { cloud, ctl, later } = synced()
    ctl.updateNode(node('kind-worker', { labels: { [EXCLUDE_LABEL]: '' } }))
    ctl.updateNode(node('kind-worker2', { labels: { [EXCLUDE_LABEL]: '' } }))
    expect(hosts(cloud)).toEqual([])
    expect(later()).toEqual([
      'Normal UpdatedLoadBalancer: Updated load balancer with new hosts',
      'Warning UnAvailableLoadBalancer: There are no available nodes for LoadBalancer',
    ])
  })

  test('a failed host update records UpdateLoadBalancerFailed with the node set, then syncs the Service again in full', () => {
    const { cloud, ctl, later } = synced()
    cloud.failWith('update', new Error('backend pool update failed'))
    ctl.addNode(node('kind-worker3'))
    expect(later()).toEqual([
      'Warning UpdateLoadBalancerFailed: Error updating load balancer with new hosts map[kind-worker:{} kind-worker2:{} kind-worker3:{}]: backend pool update failed',
      'Normal EnsuringLoadBalancer: Ensuring load balancer',
      'Normal EnsuredLoadBalancer: Ensured load balancer',
    ])
    expect(hosts(cloud), 'the full sync ensured the load balancer with all three workers').toEqual(['kind-worker', 'kind-worker2', 'kind-worker3'])
  })

  table(NODE_SYNC_ROWS, story)

  test('a LoadBalancer Service with another loadBalancerClass is left out of node syncs too', () => {
    const { cloud, ctl } = cluster()
    ctl.addService(lbService({ name: 'order', loadBalancerClass: 'example.com/lb' }))
    ctl.addNode(node('kind-worker3'))
    expect(cloud.calls, 'the service controller never calls the cloud for it').toEqual([])
  })
})

// ---------------------------------------------------------------------------
task('health-check-ports', () => {
  const local: { name: string; o: Partial<LBServiceOptions>; spec?: ServiceSpec; requests: boolean; needs: boolean }[] = [
    { name: 'a ClusterIP Service never requests only local traffic', o: { type: 'ClusterIP' }, requests: false, needs: false },
    {
      name: 'a ClusterIP Service with externalIPs may set externalTrafficPolicy Local, yet the helper reads the type: no local-only traffic',
      o: { type: 'ClusterIP', externalIPs: ['203.0.113.10'] },
      spec: { externalTrafficPolicy: 'Local' },
      requests: false,
      needs: false,
    },
    { name: 'a NodePort Service with externalTrafficPolicy Cluster', o: { type: 'NodePort' }, requests: false, needs: false },
    { name: 'a NodePort Service with externalTrafficPolicy Local requests only local traffic but gets no health check', o: { type: 'NodePort', externalTrafficPolicy: 'Local' }, requests: true, needs: false },
    { name: 'a LoadBalancer Service with externalTrafficPolicy Cluster needs no health check', o: {}, requests: false, needs: false },
    { name: 'a LoadBalancer Service with externalTrafficPolicy Local needs a health check', o: { externalTrafficPolicy: 'Local' }, requests: true, needs: true },
  ]
  table(local, ({ o, spec, requests, needs }) => {
    const base = lbService({ name: 'order', ...o })
    const svc: Service = { ...base, spec: { ...base.spec, ...spec } }
    const what = `Service ${ref(svc)} type ${svc.spec?.type} externalTrafficPolicy ${svc.spec?.externalTrafficPolicy ?? '(none)'}`
    expect(requestsOnlyLocalTraffic(svc), `RequestsOnlyLocalTraffic(${what})`).toBe(requests)
    expect(needsHealthCheck(svc), `NeedsHealthCheck(${what})`).toBe(needs)
  })

  const targets: { name: string; o: Partial<LBServiceOptions>; want: { path: string; port: number } }[] = [
    { name: 'the cloud health-checks /healthz on the healthCheckNodePort of a Local LoadBalancer Service', o: { externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 }, want: { path: '/healthz', port: 32000 } },
    { name: 'a Cluster LoadBalancer Service has no health-check path and port of its own', o: { healthCheckNodePort: 32000 }, want: { path: '', port: 0 } },
    { name: 'a Local LoadBalancer Service without a healthCheckNodePort has none either', o: { externalTrafficPolicy: 'Local' }, want: { path: '', port: 0 } },
  ]
  table(targets, ({ o, want }) => {
    expect(getServiceHealthCheckPathPort(lbService({ name: 'order', ...o })), 'GetServiceHealthCheckPathPort').toEqual(want)
  })

  const slice = (endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = [{ name: 'http', port: 8080, protocol: 'TCP' }]): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'order-abc12', namespace: 'snackbar', labels: { 'kubernetes.io/service-name': 'order' } },
    addressType: 'IPv4',
    endpoints,
    ports,
  })
  const ep = (ip: string, nodeName: string, ready: boolean | undefined, terminating = false) => ({
    addresses: [ip],
    nodeName,
    conditions: { ...(ready !== undefined ? { ready } : {}), serving: ready ?? true, terminating },
  })
  const portless = ({ ports: _, ...rest }: EndpointSlice): EndpointSlice => rest
  const counts: { name: string; slices: EndpointSlice[]; want: number }[] = [
    { name: 'localReadyEndpoints counts the ready endpoints on this node only', slices: [slice([ep('10.244.1.2', 'kind-worker', true), ep('10.244.1.3', 'kind-worker', true), ep('10.244.2.2', 'kind-worker2', true)])], want: 2 },
    { name: 'localReadyEndpoints leaves out a not-ready local endpoint', slices: [slice([ep('10.244.1.2', 'kind-worker', false), ep('10.244.1.3', 'kind-worker', true)])], want: 1 },
    { name: 'localReadyEndpoints leaves out a terminating endpoint, so a node with only terminating endpoints fails its health check', slices: [slice([ep('10.244.1.2', 'kind-worker', false, true)])], want: 0 },
    { name: 'localReadyEndpoints counts an endpoint whose ready condition is unset', slices: [slice([ep('10.244.1.2', 'kind-worker', undefined)])], want: 1 },
    {
      name: 'localReadyEndpoints counts one pod once even when two slices list it for two ports',
      slices: [slice([ep('10.244.1.2', 'kind-worker', true)]), slice([ep('10.244.1.2', 'kind-worker', true)], [{ name: 'https', port: 8443, protocol: 'TCP' }])],
      want: 1,
    },
    { name: 'localReadyEndpoints ignores a slice without ports', slices: [slice([ep('10.244.1.2', 'kind-worker', true)], [])], want: 0 },
    { name: 'localReadyEndpoints ignores a slice whose ports field is absent, as an empty list', slices: [portless(slice([ep('10.244.1.2', 'kind-worker', true)]))], want: 0 },
    {
      name: 'localReadyEndpoints counts an endpoint written without conditions: unset means ready',
      slices: [slice([{ addresses: ['10.244.1.2'], nodeName: 'kind-worker' }])],
      want: 1,
    },
  ]
  table(counts, ({ slices, want }) => {
    expect(localReadyEndpoints(slices, 'kind-worker'), 'local ready endpoints of snackbar/order on kind-worker').toBe(want)
  })
})

// ---------------------------------------------------------------------------
task('source-ranges-and-addresses', () => {
  const bad: { name: string; value: string; annotation: string; spec: string }[] = [
    {
      name: 'source ranges: 10.0.0.1/33 is not a CIDR',
      value: '10.0.0.1/33',
      annotation: `${SOURCE_RANGES}: 10.0.0.1/33 is not valid. Expecting a comma-separated list of source IP ranges. For example, 10.0.0.0/24,192.168.2.0/24`,
      spec: 'service.Spec.LoadBalancerSourceRanges: [10.0.0.1/33] is not valid. Expecting a list of IP ranges. For example, 10.0.0.0/24. Error msg: invalid CIDR address: 10.0.0.1/33',
    },
    {
      name: 'source ranges: foo.bar is not a CIDR',
      value: 'foo.bar',
      annotation: `${SOURCE_RANGES}: foo.bar is not valid. Expecting a comma-separated list of source IP ranges. For example, 10.0.0.0/24,192.168.2.0/24`,
      spec: 'service.Spec.LoadBalancerSourceRanges: [foo.bar] is not valid. Expecting a list of IP ranges. For example, 10.0.0.0/24. Error msg: invalid CIDR address: foo.bar',
    },
    {
      name: 'source ranges: a * after a good CIDR is refused',
      value: '10.0.0.1/32,*',
      annotation: `${SOURCE_RANGES}: 10.0.0.1/32,* is not valid. Expecting a comma-separated list of source IP ranges. For example, 10.0.0.0/24,192.168.2.0/24`,
      spec: 'service.Spec.LoadBalancerSourceRanges: [10.0.0.1/32 *] is not valid. Expecting a list of IP ranges. For example, 10.0.0.0/24. Error msg: invalid CIDR address: *',
    },
    {
      name: 'source ranges: a trailing comma leaves an empty range, which is refused',
      value: '10.0.0.1/32,',
      annotation: `${SOURCE_RANGES}: 10.0.0.1/32, is not valid. Expecting a comma-separated list of source IP ranges. For example, 10.0.0.0/24,192.168.2.0/24`,
      spec: 'service.Spec.LoadBalancerSourceRanges: [10.0.0.1/32 ] is not valid. Expecting a list of IP ranges. For example, 10.0.0.0/24. Error msg: invalid CIDR address: ',
    },
    {
      name: 'source ranges: a trailing comma and space is refused too (the whole value is trimmed, the empty part stays)',
      value: '10.0.0.1/32, ',
      annotation: `${SOURCE_RANGES}: 10.0.0.1/32, is not valid. Expecting a comma-separated list of source IP ranges. For example, 10.0.0.0/24,192.168.2.0/24`,
      spec: 'service.Spec.LoadBalancerSourceRanges: [10.0.0.1/32  ] is not valid. Expecting a list of IP ranges. For example, 10.0.0.0/24. Error msg: invalid CIDR address: ',
    },
    {
      name: 'source ranges: a bare IP without prefix length is refused',
      value: '10.0.0.1',
      annotation: `${SOURCE_RANGES}: 10.0.0.1 is not valid. Expecting a comma-separated list of source IP ranges. For example, 10.0.0.0/24,192.168.2.0/24`,
      spec: 'service.Spec.LoadBalancerSourceRanges: [10.0.0.1] is not valid. Expecting a list of IP ranges. For example, 10.0.0.0/24. Error msg: invalid CIDR address: 10.0.0.1',
    },
  ]
  table(bad, ({ value, annotation, spec }) => {
    const viaAnnotation = lbService({ name: 'order', annotations: { [SOURCE_RANGES]: value } })
    expect(() => getLoadBalancerSourceRanges(viaAnnotation), `annotation ${JSON.stringify(value)}`).toThrow(InvalidSourceRangesError)
    expect(() => getLoadBalancerSourceRanges(viaAnnotation)).toThrow(annotation)
    const viaSpec = lbService({ name: 'order', loadBalancerSourceRanges: value.split(',') })
    expect(() => getLoadBalancerSourceRanges(viaSpec), `spec.loadBalancerSourceRanges ${JSON.stringify(value.split(','))}`).toThrow(InvalidSourceRangesError)
    expect(() => getLoadBalancerSourceRanges(viaSpec)).toThrow(spec)
    let err: unknown
    try {
      getLoadBalancerSourceRanges(viaSpec)
    } catch (e) {
      err = e
    }
    expect((err as Error).name, 'the name of the error class, as an uncaught error prints it').toBe('InvalidSourceRangesError')
  })

  const good: { name: string; value: string; want: string[] }[] = [
    { name: 'source ranges: one CIDR', value: '192.168.0.1/32', want: ['192.168.0.1/32'] },
    { name: 'source ranges: a CIDR given twice is one range after de-duplication', value: '192.168.0.1/32,192.168.0.1/32', want: ['192.168.0.1/32'] },
    { name: 'source ranges: two CIDRs', value: '192.168.0.1/32,192.168.0.2/32', want: ['192.168.0.1/32', '192.168.0.2/32'] },
    { name: 'source ranges: spaces around each CIDR are trimmed', value: '  192.168.0.1/32 , 192.168.0.2/32   ', want: ['192.168.0.1/32', '192.168.0.2/32'] },
    { name: 'source ranges: a CIDR is reduced to its network, 10.0.0.1/24 to 10.0.0.0/24', value: '10.0.0.1/24', want: ['10.0.0.0/24'] },
    { name: 'source ranges: the set comes back sorted, whatever order it was written in', value: '192.168.0.2/32,10.0.0.0/8', want: ['10.0.0.0/8', '192.168.0.2/32'] },
  ]
  table(good, ({ value, want }) => {
    for (const svc of [lbService({ name: 'order', annotations: { [SOURCE_RANGES]: value } }), lbService({ name: 'order', loadBalancerSourceRanges: value.split(',') })]) {
      const where = svc.spec?.loadBalancerSourceRanges ? 'spec.loadBalancerSourceRanges' : 'the annotation'
      expect(getLoadBalancerSourceRanges(svc), `source ranges ${JSON.stringify(value)} via ${where}`).toEqual(want)
    }
  })

  test('source ranges: none given, or an empty annotation, means 0.0.0.0/0, which allows all', () => {
    for (const svc of [lbService({ name: 'order' }), lbService({ name: 'order', annotations: { [SOURCE_RANGES]: '' } })]) {
      const got = getLoadBalancerSourceRanges(svc)
      expect(got).toEqual(['0.0.0.0/0'])
      expect(isAllowAll(got), 'the default is allow-all').toBe(true)
    }
  })

  test('source ranges: the spec field wins over the annotation', () => {
    const svc = lbService({ name: 'order', loadBalancerSourceRanges: ['203.0.113.0/24'], annotations: { [SOURCE_RANGES]: '10.0.0.0/8' } })
    expect(getLoadBalancerSourceRanges(svc)).toEqual(['203.0.113.0/24'])
  })

  const allowAll: { name: string; cidrs: string[]; want: boolean }[] = [
    { name: 'IsAllowAll: one host range does not allow all', cidrs: ['10.0.0.1/32'], want: false },
    { name: 'IsAllowAll: two host ranges do not allow all', cidrs: ['10.0.0.1/32', '10.0.0.2/32'], want: false },
    { name: 'IsAllowAll: the same host range twice does not allow all', cidrs: ['10.0.0.1/32', '10.0.0.1/32'], want: false },
    { name: 'IsAllowAll: 0.0.0.0/0 allows all', cidrs: ['0.0.0.0/0'], want: true },
    { name: 'IsAllowAll: 192.168.0.0/0 is normalised to 0.0.0.0/0 and allows all', cidrs: ['192.168.0.0/0'], want: true },
    { name: 'IsAllowAll: 0.0.0.0/0 next to a host range allows all', cidrs: ['192.168.0.1/32', '0.0.0.0/0'], want: true },
    { name: 'IsAllowAll: ::/0 alone is not the allow-all range', cidrs: ['::/0'], want: false },
  ]
  table(allowAll, ({ cidrs, want }) => {
    const ranges = getLoadBalancerSourceRanges(lbService({ name: 'order', loadBalancerSourceRanges: cidrs }))
    expect(isAllowAll(ranges), `loadBalancerSourceRanges ${JSON.stringify(cidrs)} (normalised ${JSON.stringify(ranges)})`).toBe(want)
  })

  const clients: { name: string; o: Partial<LBServiceOptions>; client: string; cloud: boolean; proxy: boolean }[] = [
    { name: 'a client inside loadBalancerSourceRanges gets in', o: { loadBalancerSourceRanges: ['203.0.113.0/24'] }, client: '203.0.113.7', cloud: true, proxy: true },
    { name: 'a client outside loadBalancerSourceRanges is dropped by the cloud and by kube-proxy', o: { loadBalancerSourceRanges: ['203.0.113.0/24'] }, client: '198.51.100.7', cloud: false, proxy: false },
    { name: 'without source ranges every client gets in', o: {}, client: '198.51.100.7', cloud: true, proxy: true },
    {
      name: 'the annotation restricts the cloud load balancer, but kube-proxy only reads the spec field',
      o: { annotations: { [SOURCE_RANGES]: '10.0.0.0/8' } },
      client: '198.51.100.7',
      cloud: false,
      proxy: true,
    },
    { name: 'kube-proxy trims whitespace around a source range', o: { loadBalancerSourceRanges: [' 203.0.113.0/24 '] }, client: '203.0.113.7', cloud: true, proxy: true },
    {
      name: 'a range padded with whitespace still makes a firewall: kube-proxy drops a client outside it',
      o: { loadBalancerSourceRanges: [' 203.0.113.0/24 '] },
      client: '198.51.100.7',
      cloud: false,
      proxy: false,
    },
    {
      name: 'a client inside one of two loadBalancerSourceRanges gets in: one matching range is enough',
      o: { loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.0/24'] },
      client: '203.0.113.7',
      cloud: true,
      proxy: true,
    },
    {
      name: 'without the spec field the cloud reads the annotation as a comma-separated list: a client inside its second range gets in',
      o: { annotations: { [SOURCE_RANGES]: '10.0.0.0/8, 203.0.113.0/24' } },
      client: '203.0.113.7',
      cloud: true,
      proxy: true,
    },
    {
      name: 'an empty loadBalancerSourceRanges list counts as unset: the cloud falls back to the annotation',
      o: { loadBalancerSourceRanges: [], annotations: { [SOURCE_RANGES]: '10.0.0.0/8' } },
      client: '198.51.100.7',
      cloud: false,
      proxy: true,
    },
    {
      name: 'with both set the spec field wins: a client inside only the annotation\'s range is dropped',
      o: { loadBalancerSourceRanges: ['203.0.113.0/24'], annotations: { [SOURCE_RANGES]: '198.51.100.0/24' } },
      client: '198.51.100.7',
      cloud: false,
      proxy: false,
    },
    {
      name: 'a client address with its port (203.0.113.7:40000) is no IP and lies in no source range',
      o: { loadBalancerSourceRanges: ['203.0.113.0/24'] },
      client: '203.0.113.7:40000',
      cloud: false,
      proxy: false,
    },
    { name: 'an IPv4 client against IPv6-only source ranges: the cloud drops it, kube-proxy has no IPv4 firewall', o: { loadBalancerSourceRanges: ['2001:db8::/32'] }, client: '198.51.100.7', cloud: false, proxy: true },
    { name: 'an IPv6 client with allow-all 0.0.0.0/0 gets through the cloud', o: { loadBalancerSourceRanges: ['0.0.0.0/0'] }, client: '2001:db8::7', cloud: true, proxy: true },
  ]
  table(clients, ({ o, client, cloud, proxy }) => {
    const svc = lbService({ name: 'order', ...o })
    const what = `client ${client} → Service snackbar/order (${JSON.stringify(o)})`
    expect(allowedSource(svc, client), `${what}: the cloud load balancer ${cloud ? 'lets it in' : 'drops it'}`).toBe(cloud)
    expect(proxyAllowsSource(svc, client), `${what}: kube-proxy's KUBE-FW chain ${proxy ? 'lets it in' : 'drops it'}`).toBe(proxy)
  })

  const vips: { name: string; status: Service['status']; want: string[] }[] = [
    { name: 'kube-proxy captures an ingress IP with ipMode VIP', status: { loadBalancer: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] } }, want: ['172.18.255.200'] },
    { name: 'kube-proxy captures an ingress IP without ipMode', status: { loadBalancer: { ingress: [{ ip: '172.18.255.201' }] } }, want: ['172.18.255.201'] },
    { name: 'kube-proxy does not capture an ingress IP with ipMode Proxy', status: { loadBalancer: { ingress: [{ ip: '172.18.255.202', ipMode: 'Proxy' }] } }, want: [] },
    {
      name: 'kube-proxy captures nothing for a hostname-only ingress',
      status: { loadBalancer: { ingress: [{ hostname: 'a1b2c3d4e5f6-1234567890.us-east-1.elb.amazonaws.com' }] } },
      want: [],
    },
    { name: 'kube-proxy captures nothing for a Service without status: no load balancer has been provisioned yet', status: undefined, want: [] },
    { name: 'kube-proxy captures nothing for a status without loadBalancer (a manifest\'s status: {})', status: {}, want: [] },
  ]
  table(vips, ({ status, want }) => {
    const svc: Service = { ...lbService({ name: 'order' }), ...(status ? { status } : {}) }
    expect(loadBalancerVIPs(svc), `status ${JSON.stringify(status)}`).toEqual(want)
  })

  const statusStrings: { name: string; status: LoadBalancerStatus | undefined; wide?: boolean; want: string }[] = [
    { name: 'loadBalancerStatusStringer: no status is the empty string', status: undefined, want: '' },
    { name: 'loadBalancerStatusStringer: an ingress with an ip shows the ip, not the hostname', status: { ingress: [{ ip: '5.6.7.8', hostname: 'host5678' }] }, want: '5.6.7.8' },
    { name: 'loadBalancerStatusStringer: an entry with neither ip nor hostname is skipped', status: { ingress: [{}, { hostname: 'lb.example.com' }] }, want: 'lb.example.com' },
    { name: 'loadBalancerStatusStringer: exactly 16 characters are not cut', status: { ingress: [{ ip: '10.0.0.1' }, { ip: '1.2.3.4' }] }, want: '1.2.3.4,10.0.0.1' },
    { name: 'loadBalancerStatusStringer: 17 characters are cut to 13 and "..."', status: { ingress: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }, want: '10.0.0.1,10.0...' },
    { name: 'loadBalancerStatusStringer: with wide nothing is cut', status: { ingress: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }] }, wide: true, want: '10.0.0.1,10.0.0.2' },
  ]
  table(statusStrings, ({ status, wide, want }) => {
    // Without the wide argument it is plain kubectl get svc.
    const got = wide === undefined ? loadBalancerStatusStringer(status) : loadBalancerStatusStringer(status, wide)
    expect(got, `addresses of status.loadBalancer ${JSON.stringify(status)}${wide ? ' (-o wide)' : ''}`).toBe(want)
  })
})
