// Kata 08: more rows for the service controller's bookkeeping, each a short story on
// the kind cluster (a fresh fake cloud, the three kind nodes unless told): what an
// update keeps, a second `kubectl delete`, a finalizer of another controller, a
// Service deleted and created again under the same name before the controller saw
// the delete (its cache still holds the old one), copies handed out, and node syncs
// that change nothing, change the set without changing its size, or fail quietly.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
import type { Node, Service } from 'kubernetes-types/core/v1'
import { ImplementedElsewhereError } from '@impl/cloud/provider.ts'
import { FakeCloud } from '@impl/cloud/fake.ts'
import { ServiceController } from '@impl/controller/service.ts'
import { eventLine, FINALIZER, ingressOf, kindNodes, lbService, node, type LBServiceOptions } from './loadbalancer.ts'

/** A finalizer of some other controller, which the service controller must leave alone. */
export const OTHER_FINALIZER = 'example.com/protect'
const BUSY = 'load balancer is busy'

/** A FakeCloud that also notes the cluster name of every call (`--cluster-name`). */
export class NamedCloud extends FakeCloud {
  readonly clusterNames = new Set<string>()
  override getLoadBalancer(clusterName: string, service: Service) {
    this.clusterNames.add(clusterName)
    return super.getLoadBalancer(clusterName, service)
  }
  override ensureLoadBalancer(clusterName: string, service: Service, nodes: readonly Node[]) {
    this.clusterNames.add(clusterName)
    return super.ensureLoadBalancer(clusterName, service, nodes)
  }
  override updateLoadBalancer(clusterName: string, service: Service, nodes: readonly Node[]) {
    this.clusterNames.add(clusterName)
    super.updateLoadBalancer(clusterName, service, nodes)
  }
  override ensureLoadBalancerDeleted(clusterName: string, service: Service) {
    this.clusterNames.add(clusterName)
    super.ensureLoadBalancerDeleted(clusterName, service)
  }
}

export interface Scene {
  cloud: FakeCloud
  ctl: ServiceController
}

/** A controller over a fresh fake cloud with `nodes`; its clock ticks a second at every reading. */
export function scene(nodes: Node[] = kindNodes()): Scene {
  const cloud = new FakeCloud()
  let t = Date.parse('2026-03-04T05:06:00Z')
  const ctl = new ServiceController(cloud, { now: () => new Date((t += 1000)) })
  for (const n of nodes) ctl.addNode(n)
  return { cloud, ctl }
}

/** Service snackbar/order as stored, the way `kubectl get svc order -o yaml` would show it. */
export interface View {
  uid: string | undefined
  labels?: Record<string, string>
  finalizers: string[]
  deletionTimestamp?: string
  /** EXTERNAL-IP: the status's ingress addresses. */
  ingress: string[]
  /** Whether the controller ever wrote a status. */
  status: boolean
}

export function view(s: Service | undefined): View | undefined {
  if (!s) return undefined
  const m = s.metadata ?? {}
  return {
    uid: m.uid,
    ...(m.labels ? { labels: m.labels } : {}),
    finalizers: m.finalizers ?? [],
    ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    ingress: ingressOf(s),
    status: s.status !== undefined,
  }
}

/** What a story leaves behind, counted from the end of its setup. */
export interface Observed {
  /** Events of every Service, as `name: Type Reason: message` (kubectl describe svc). */
  events: string[]
  /** The uid each of those events was recorded on: kubectl describe lists only the object's own. */
  eventUids: (string | undefined)[]
  /** The cloud calls: `create` (ensure), `update`, `delete`. */
  calls: string[]
  /** UpdateLoadBalancer calls, as `namespace/name: hosts`. */
  hostUpdates: string[]
  /** The cloud's load balancers, as `name IP hosts`. */
  balancers: string[]
  /** snackbar/order as stored; undefined once it is gone. */
  order: View | undefined
  /** The keys the work queue retries. */
  failedKeys: string[]
}

export const OBSERVED_AS: Record<keyof Observed, string> = {
  events: 'events recorded (kubectl describe svc)',
  eventUids: 'the uid of the Service each event was recorded on',
  calls: 'calls the controller made to the cloud',
  hostUpdates: "UpdateLoadBalancer calls with the load balancer's backend nodes",
  balancers: "the cloud's load balancers (name, IP, backend nodes)",
  order: 'Service snackbar/order as stored (kubectl get svc order -o yaml)',
  failedKeys: 'keys the controller retries later',
}

/** Runs `act` and observes what changed since. */
export function observe(s: Scene, act: (s: Scene) => void): Observed {
  const events = s.ctl.events().length
  const calls = s.cloud.calls.length
  const updates = s.cloud.updateCalls.length
  act(s)
  const later = s.ctl.events().slice(events)
  return {
    events: later.map((e) => `${e.name}: ${eventLine(e)}`),
    eventUids: later.map((e) => e.uid),
    calls: s.cloud.calls.slice(calls),
    hostUpdates: s.cloud.updateCalls.slice(updates).map((u) => `${u.service}: ${u.hosts.join(',')}`),
    balancers: s.cloud.balancers().map((b) => `${b.name} ${b.ip} ${b.hosts.join(',')}`),
    order: view(s.ctl.get('snackbar', 'order')),
    failedKeys: s.ctl.failedKeys(),
  }
}

export interface StoryRow {
  name: string
  /** The nodes the cluster starts with (default: the kind cluster's three). */
  nodes?: Node[]
  setup?: (s: Scene) => void
  act: (s: Scene) => void
  want: Partial<Observed>
}

const order = (o: Partial<LBServiceOptions> = {}) => lbService({ name: 'order', ...o })
/** The manifest a user applies: no uid, finalizers, deletionTimestamp or status, which the API server owns. */
function applied(o: Partial<LBServiceOptions> = {}, labels?: Record<string, string>): Service {
  const s = order(o)
  const { uid: _u, finalizers: _f, deletionTimestamp: _d, ...meta } = s.metadata ?? {}
  return { ...s, metadata: { ...meta, ...(labels ? { labels } : {}) } }
}
const ENSURED = ['order: Normal EnsuringLoadBalancer: Ensuring load balancer', 'order: Normal EnsuredLoadBalancer: Ensured load balancer']
const DELETED = ['order: Normal DeletingLoadBalancer: Deleting load balancer', 'order: Normal DeletedLoadBalancer: Deleted load balancer']
const WORKERS = 'kind-worker,kind-worker2'
const LIVE: View = { uid: 'uid-svc-order', finalizers: [FINALIZER], ingress: ['172.18.255.200'], status: true }
/** The first deletionTimestamp of the scene's clock after adding order on the kind cluster (its two events read it first). */
const DELETED_AT = '2026-03-04T05:06:03Z'

/** Updates, deletes and finalizers: what the controller keeps and what it leaves alone. */
export const STORE_ROWS: StoryRow[] = [
  {
    name: 'kubectl apply of a Service the controller has not seen creates it, as kubectl create would',
    act: ({ ctl }) => ctl.updateService(order()),
    want: { events: ENSURED, calls: ['create'], order: LIVE },
  },
  {
    name: 'a label change needs no sync; the Service keeps its uid, its finalizer and its status (EXTERNAL-IP), which the manifest does not carry',
    setup: ({ ctl }) => ctl.addService(order()),
    act: ({ ctl }) => ctl.updateService(applied({}, { tier: 'edge' })),
    want: { events: [], calls: [], order: { ...LIVE, labels: { tier: 'edge' } } },
  },
  {
    name: 'a new port syncs the Service again: EnsureLoadBalancer once more, the finalizer is not added twice and EXTERNAL-IP stays',
    setup: ({ ctl }) => ctl.addService(order()),
    act: ({ ctl }) => ctl.updateService(applied({ ports: [{ name: 'http', port: 8080 }] })),
    want: { events: ENSURED, calls: ['create'], order: LIVE },
  },
  {
    name: 'kubectl apply to a Terminating Service keeps its deletionTimestamp and finalizer: the controller tries the delete again',
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('delete', new Error(BUSY))
      ctl.deleteService('snackbar', 'order')
    },
    act: ({ ctl }) => ctl.updateService(applied({}, { tier: 'edge' })),
    want: {
      events: ['order: Normal DeletingLoadBalancer: Deleting load balancer', `order: Warning SyncLoadBalancerFailed: Error syncing load balancer: failed to delete load balancer: ${BUSY}`],
      order: { ...LIVE, labels: { tier: 'edge' }, deletionTimestamp: DELETED_AT },
    },
  },
  {
    name: 'a second kubectl delete of a Terminating Service changes nothing: the first deletionTimestamp stays and no sync runs',
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('delete', new Error(BUSY))
      ctl.deleteService('snackbar', 'order')
    },
    act: ({ ctl }) => ctl.deleteService('snackbar', 'order'),
    want: { events: [], calls: [], order: { ...LIVE, deletionTimestamp: DELETED_AT } },
  },
  {
    name: "a Service held only by another controller's finalizer stays Terminating after kubectl delete, and the service controller does nothing",
    setup: ({ ctl }) => ctl.addService(order({ loadBalancerClass: 'example.com/lb', finalizers: [OTHER_FINALIZER] })),
    act: ({ ctl }) => ctl.deleteService('snackbar', 'order'),
    want: { events: [], calls: [], order: { uid: 'uid-svc-order', finalizers: [OTHER_FINALIZER], deletionTimestamp: '2026-03-04T05:06:01Z', ingress: [], status: false } },
  },
  {
    name: 'deleting a Service with another finalizer as well: the load balancer goes, only the cleanup finalizer is removed, and the Service stays Terminating',
    setup: ({ ctl }) => ctl.addService(order({ finalizers: [OTHER_FINALIZER] })),
    act: ({ ctl }) => ctl.deleteService('snackbar', 'order'),
    want: { events: DELETED, calls: ['delete'], balancers: [], order: { uid: 'uid-svc-order', finalizers: [OTHER_FINALIZER], deletionTimestamp: DELETED_AT, ingress: [], status: true } },
  },
  {
    name: 'a <pending> Service changed to ClusterIP: nothing to delete in the cloud, the finalizer goes, and no status is written (none changed)',
    setup: ({ cloud, ctl }) => {
      cloud.failWith('ensure', new Error('quota exceeded'))
      ctl.addService(order())
    },
    act: ({ ctl }) => ctl.updateService(applied({ type: 'ClusterIP' })),
    want: {
      events: ['order: Normal Type: LoadBalancer -> ClusterIP', 'order: Normal DeletedLoadBalancer: Deleted load balancer'],
      calls: [],
      order: { uid: 'uid-svc-order', finalizers: [], ingress: [], status: false },
      failedKeys: [],
    },
  },
  {
    name: 'get hands out a copy: changing it changes neither the finalizers nor the status the API server holds',
    setup: ({ ctl }) => ctl.addService(order()),
    act: ({ ctl }) => {
      const got = ctl.get('snackbar', 'order')!
      got.metadata?.finalizers?.splice(0)
      Object.assign(got, { status: {} })
    },
    want: { events: [], order: LIVE },
  },
  {
    name: 'syncing a Service the API server no longer holds still asks the cloud; the finalizer and status patches find nothing to change',
    act: ({ ctl }) => {
      ctl.syncLoadBalancerIfNeeded(lbService({ name: 'gone' }))
      ctl.syncLoadBalancerIfNeeded(lbService({ name: 'gone', type: 'ClusterIP', finalizers: [FINALIZER] }))
    },
    want: {
      events: ['gone: Normal EnsuringLoadBalancer: Ensuring load balancer', 'gone: Normal EnsuredLoadBalancer: Ensured load balancer', 'gone: Normal DeletingLoadBalancer: Deleting load balancer', 'gone: Normal DeletedLoadBalancer: Deleted load balancer'],
      calls: ['create', 'delete'],
      balancers: [],
      order: undefined,
    },
  },
  {
    name: 'a sync of an informer copy without the cleanup finalizer removes none, though the stored Service has it: the patch is made from the copy',
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('get', new Error('cloud API unavailable'))
      ctl.updateService(applied({ type: 'ClusterIP' }))
      cloud.failWith('get', undefined)
    },
    act: ({ ctl }) => ctl.syncLoadBalancerIfNeeded(order({ type: 'ClusterIP' })),
    want: { events: DELETED, calls: ['delete'], order: LIVE },
  },
  {
    name: 'a sync of a stale copy still listing the cleanup finalizer, after it was removed, leaves the Service without finalizers',
    setup: ({ ctl }) => {
      ctl.addService(order())
      ctl.updateService(applied({ type: 'ClusterIP' }))
    },
    act: ({ ctl }) => ctl.syncLoadBalancerIfNeeded(order({ type: 'ClusterIP', finalizers: [FINALIZER] })),
    want: { events: ['order: Normal DeletedLoadBalancer: Deleted load balancer'], calls: [], order: { uid: 'uid-svc-order', finalizers: [], ingress: [], status: true } },
  },
]

const OLD_UID = 'uid-svc-order'
const NEW_UID = 'uid-svc-order-2'
const again = () => order({ uid: NEW_UID })

/**
 * A Service deleted and created again under the same name before the controller saw the
 * delete: the informer hands it the new one (a new uid) while its cache still holds the old.
 */
export const RECREATE_ROWS: StoryRow[] = [
  {
    name: "a Service created again under the same name (a new uid): the old one's load balancer is deleted first, then the new one's ensured",
    setup: ({ ctl }) => ctl.addService(order()),
    act: ({ ctl }) => ctl.addService(again()),
    want: {
      events: [...DELETED, ...ENSURED],
      eventUids: [OLD_UID, OLD_UID, NEW_UID, NEW_UID],
      calls: ['delete', 'create'],
      balancers: [`auidsvcorder2 172.18.255.200 ${WORKERS}`],
      order: { ...LIVE, uid: NEW_UID },
    },
  },
  {
    name: "a Service created again whose old load balancer the cloud cannot delete: warning DeleteLoadBalancerFailed on the old one, the new one waits for the retry",
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('delete', new Error(BUSY))
    },
    act: ({ ctl }) => ctl.addService(again()),
    want: {
      events: ['order: Normal DeletingLoadBalancer: Deleting load balancer', `order: Warning DeleteLoadBalancerFailed: Error deleting load balancer: ${BUSY}`],
      eventUids: [OLD_UID, OLD_UID],
      calls: ['delete'],
      balancers: [`auidsvcorder 172.18.255.200 ${WORKERS}`],
      order: { uid: NEW_UID, finalizers: [], ingress: [], status: false },
      failedKeys: ['snackbar/order'],
    },
  },
  {
    name: "the new Service deleted too before the retry: the retried key finds no Service and deletes the old load balancer the controller's cache remembers",
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('delete', new Error(BUSY))
      ctl.addService(again())
      ctl.deleteService('snackbar', 'order')
      cloud.failWith('delete', undefined)
    },
    act: ({ ctl }) => ctl.retryFailed(),
    want: { events: DELETED, eventUids: [OLD_UID, OLD_UID], calls: ['delete'], balancers: [], order: undefined, failedKeys: [] },
  },
  {
    name: 'a Service created again after its cached version had become ClusterIP: nothing is deleted for that version, which wanted no load balancer',
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('get', new Error('cloud API unavailable'))
      ctl.updateService(applied({ type: 'ClusterIP' }))
      cloud.failWith('get', undefined)
    },
    act: ({ ctl }) => ctl.addService(again()),
    want: {
      events: ENSURED,
      eventUids: [NEW_UID, NEW_UID],
      calls: ['create'],
      balancers: [`auidsvcorder 172.18.255.200 ${WORKERS}`, `auidsvcorder2 172.18.255.201 ${WORKERS}`],
    },
  },
]

const tainted = (name: string) => node(name, { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1700000000', effect: 'NoSchedule' }] })
const [controlPlane] = kindNodes()

/** Node syncs: a backend set that did not change, one that changed at constant size, failures that are no error. */
export const NODE_SYNC_ROWS: StoryRow[] = [
  {
    name: 'a node getting a providerID triggers a node sync, but with the same backends no UpdateLoadBalancer is made',
    setup: ({ ctl }) => ctl.addService(order()),
    act: ({ ctl }) => ctl.updateNode(node('kind-worker', { providerID: 'kind://docker/kind/kind-worker' })),
    want: { events: [], hostUpdates: [], failedKeys: [] },
  },
  {
    name: 'a worker tainted for deletion leaves at the next node sync, as a third joins: the backends change though their number does not',
    setup: ({ ctl }) => {
      ctl.addService(order())
      ctl.updateNode(tainted('kind-worker'))
    },
    act: ({ ctl }) => ctl.addNode(node('kind-worker3')),
    want: { events: ['order: Normal UpdatedLoadBalancer: Updated load balancer with new hosts'], hostUpdates: ['snackbar/order: kind-worker2,kind-worker3'] },
  },
  {
    name: "a Service ensured before any node joined: the control-plane node joining (excluded by kubeadm's label) changes no backends",
    nodes: [],
    setup: ({ ctl }) => ctl.addService(order()),
    act: ({ ctl }) => ctl.addNode(controlPlane!),
    want: { events: [], hostUpdates: [] },
  },
  {
    name: 'UpdateLoadBalancerFailed names the new hosts sorted, as Go prints a set, whatever order the nodes joined in',
    nodes: [node('kind-worker2'), node('kind-worker')],
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('update', new Error('backend pool update failed'))
    },
    act: ({ ctl }) => ctl.addNode(node('kind-worker3')),
    want: {
      events: ['order: Warning UpdateLoadBalancerFailed: Error updating load balancer with new hosts map[kind-worker:{} kind-worker2:{} kind-worker3:{}]: backend pool update failed', ...ENSURED],
    },
  },
  {
    name: 'UpdateLoadBalancer answering ImplementedElsewhere is no error: no event and no second sync',
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('update', new ImplementedElsewhereError())
    },
    act: ({ ctl }) => ctl.addNode(node('kind-worker3')),
    want: { events: [], calls: ['update'], failedKeys: [] },
  },
  {
    name: 'a failed host update of a load balancer that does not exist (its ensure had failed) is no error: no UpdateLoadBalancerFailed, no second sync',
    setup: ({ cloud, ctl }) => {
      cloud.failWith('ensure', new Error('quota exceeded'))
      ctl.addService(order())
      cloud.failWith('update', new Error('backend pool update failed'))
    },
    act: ({ ctl }) => ctl.addNode(node('kind-worker3')),
    want: { events: [], calls: ['update'] },
  },
  {
    name: 'a Service changed to ClusterIP whose load balancer the cloud could not delete yet is left out of node syncs',
    setup: ({ cloud, ctl }) => {
      ctl.addService(order())
      cloud.failWith('delete', new Error(BUSY))
      ctl.updateService(applied({ type: 'ClusterIP' }))
    },
    act: ({ ctl }) => ctl.addNode(node('kind-worker3')),
    want: { events: [], calls: [], hostUpdates: [] },
  },
]
