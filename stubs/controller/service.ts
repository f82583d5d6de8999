// ────────────────────────────────────────────────────────────────────────
// Kata 08 · core path: you write
//   task 1 (load-balancer-interface): hasLBFinalizer, wantsLoadBalancer, needsCleanup, loadBalancerStatusEqual, nodeIncludedPredicate, nodeUnTaintedPredicate, nodeNotDeletedPredicate, backendNodes, shouldSyncUpdatedNode, ServiceController.constructor, ServiceController.addService, ServiceController.updateService, ServiceController.deleteService, ServiceController.get, ServiceController.events, ServiceController.failedKeys, ServiceController.retryFailed, ServiceController.syncService, ServiceController.needsUpdate, ServiceController.addNode, ServiceController.updateNode and ServiceController.deleteNode
// Each is marked TODO(kata 08) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 08`.
// ────────────────────────────────────────────────────────────────────────
// The service controller (kube-controller-manager / cloud-controller-manager): for every
// Service of type LoadBalancer it asks the cloud provider for a load balancer, writes
// the answer to `status.loadBalancer.ingress` (what `kubectl get svc` shows as
// EXTERNAL-IP), keeps the load balancer's backend nodes in step with the cluster's
// nodes, and deletes the load balancer when the Service goes away or stops being a
// LoadBalancer — holding the Service back with a finalizer until it has.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
import type { LoadBalancerStatus, Node, Service } from 'kubernetes-types/core/v1'
import type { LoadBalancer } from '../cloud/provider.ts'

/** Added to a LoadBalancer Service before its load balancer is created; removed once it is deleted. */
export const LOAD_BALANCER_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup'
/** Node label that keeps a node out of every external load balancer's backends (`v1.LabelNodeExcludeBalancers`). */
export const LABEL_NODE_EXCLUDE_BALANCERS = 'node.kubernetes.io/exclude-from-external-load-balancers'
/** Taint the Cluster Autoscaler puts on a node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler'
/** kube-controller-manager's `--cluster-name` default. */
export const DEFAULT_CLUSTER_NAME = 'kubernetes'

/** An event the controller records on a Service, as `kubectl describe svc` lists it. */
export interface ServiceEvent {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  /** The Service the event is about. */
  namespace: string
  name: string
}

/**
 * `servicehelper.HasLBFinalizer`: whether `metadata.finalizers` lists
 * {@link LOAD_BALANCER_CLEANUP_FINALIZER}.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function hasLBFinalizer(service: Service): boolean {
  // TODO(kata 08, task 1): is the cleanup finalizer among metadata.finalizers?
  throw new Error('kata 08-loadbalancer: hasLBFinalizer is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `wantsLoadBalancer`: the default service controller provisions a load balancer only
 * for `spec.type: LoadBalancer` **without** `spec.loadBalancerClass`. A class (any
 * value) says another controller (MetalLB, a cloud's own LB controller, …) implements
 * this Service; the default controller leaves it alone, and until that other
 * controller acts, `kubectl get svc` shows EXTERNAL-IP `<pending>`.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function wantsLoadBalancer(service: Service): boolean {
  // TODO(kata 08, task 1): type LoadBalancer and no loadBalancerClass.
  throw new Error('kata 08-loadbalancer: wantsLoadBalancer is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `needsCleanup`: the Service carries {@link LOAD_BALANCER_CLEANUP_FINALIZER} and either
 * 1. is being deleted (`metadata.deletionTimestamp` set), or
 * 2. is no longer of type LoadBalancer.
 * Without the finalizer there is nothing to clean up.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function needsCleanup(service: Service): boolean {
  // TODO(kata 08, task 1): has the finalizer, and is being deleted or no longer a LoadBalancer.
  throw new Error('kata 08-loadbalancer: needsCleanup is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `servicehelper.LoadBalancerStatusEqual`: the same ingress entries in the same order,
 * compared by `ip`, `hostname` and `ipMode` (ingress `ports` are not compared). The
 * controller skips the status write when old and new are equal.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function loadBalancerStatusEqual(a: LoadBalancerStatus | undefined, b: LoadBalancerStatus | undefined): boolean {
  // TODO(kata 08, task 1): same ingress entries (ip, hostname, ipMode), same order.
  throw new Error('kata 08-loadbalancer: loadBalancerStatusEqual is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `nodeIncludedPredicate`: a node without label {@link LABEL_NODE_EXCLUDE_BALANCERS} is
 * included. With the label, its value is read like Go's `strconv.ParseBool`: a false
 * value (`false`, `False`, `FALSE`, `f`, `F`, `0`) keeps the node; a true value — and
 * anything that is not a boolean, including the empty string — excludes it
 * (kubernetes/kubernetes#131085, Kubernetes 1.34).
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function nodeIncludedPredicate(node: Node): boolean {
  // TODO(kata 08, task 1): no exclusion label, or a value ParseBool reads as false.
  throw new Error('kata 08-loadbalancer: nodeIncludedPredicate is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `nodeUnTaintedPredicate`: a node tainted {@link TO_BE_DELETED_TAINT} (any effect) is
 * on its way out and is not a backend.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function nodeUnTaintedPredicate(node: Node): boolean {
  // TODO(kata 08, task 1): no ToBeDeletedByClusterAutoscaler taint.
  throw new Error('kata 08-loadbalancer: nodeUnTaintedPredicate is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `nodeNotDeletedPredicate`: a node with `metadata.deletionTimestamp` is being deleted
 * and is not a backend.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function nodeNotDeletedPredicate(node: Node): boolean {
  // TODO(kata 08, task 1): no deletionTimestamp.
  throw new Error('kata 08-loadbalancer: nodeNotDeletedPredicate is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * The nodes a load balancer sends traffic to (`listWithPredicates` with
 * `stableNodeSetPredicates`), in the order given: every node that
 * 1. is not being deleted ({@link nodeNotDeletedPredicate}),
 * 2. is not excluded by label ({@link nodeIncludedPredicate}),
 * 3. is not tainted for deletion by the autoscaler ({@link nodeUnTaintedPredicate}).
 *
 * The node's **Ready condition is not a criterion** (StableLoadBalancerNodeSet, GA in
 * 1.30): a NotReady node stays a backend, and the cloud load balancer's own health
 * check stops sending it traffic. Re-programming every load balancer whenever a node
 * flaps would be slow, and would cut connections that could have drained.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function backendNodes(nodes: readonly Node[]): Node[] {
  // TODO(kata 08, task 1): the nodes that pass all three predicates (readiness is not one of them).
  throw new Error('kata 08-loadbalancer: backendNodes is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `shouldSyncUpdatedNode`: does a node update make the controller re-check every load
 * balancer's backends? Only when
 * 1. the node became excluded or included ({@link nodeIncludedPredicate} changed), or
 * 2. its `spec.providerID` appeared or disappeared.
 * Readiness changes, new taints and other updates do not (added and deleted nodes always do).
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function shouldSyncUpdatedNode(oldNode: Node, newNode: Node): boolean {
  // TODO(kata 08, task 1): did the inclusion or the presence of a providerID change?
  throw new Error('kata 08-loadbalancer: shouldSyncUpdatedNode is not implemented yet — see lessons/08-loadbalancer.md')
}

export interface ServiceControllerOptions {
  /** `--cluster-name`, passed to every cloud call. */
  clusterName?: string
  /** The API server's clock, for `metadata.deletionTimestamp`. */
  now?: () => Date
}

type Operation = 'delete' | 'ensure'

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`
const metaKey = (s: Service) => keyOf(s.metadata?.namespace ?? '', s.metadata?.name ?? '')
const message = (err: unknown) => (err instanceof Error ? err.message : String(err))
/** Go's `%v` of a `[]string`: `[a b]`. */
const goList = (xs: readonly string[] | undefined) => `[${(xs ?? []).join(' ')}]`
/** Go's `%v` of a `sets.String`: `map[a:{} b:{}]`, keys sorted. */
const goSet = (xs: readonly string[]) => `map[${[...new Set(xs)].sort().map((x) => `${x}:{}`).join(' ')}]`
const nodeNames = (nodes: readonly Node[]) => nodes.map((n) => n.metadata?.name ?? '')
const sameNames = (a: readonly Node[], b: readonly Node[]) => {
  const x = new Set(nodeNames(a))
  const y = new Set(nodeNames(b))
  return x.size === y.size && [...x].every((n) => y.has(n))
}
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  ) ?? ''
/** reflect.DeepEqual on API values; an absent map or list equals an empty one, as after a JSON round trip. */
const deepEqual = (a: unknown, b: unknown) => {
  const norm = (v: unknown) =>
    v == null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v).length === 0) ? undefined : v
  return canonical(norm(a)) === canonical(norm(b))
}

/**
 * The service controller as a reconcile loop. Feed it what the API server's informers
 * deliver — Service and Node adds, updates and deletes — and read back the Services as
 * the controller left them ({@link get}) and the events it recorded ({@link events}).
 * It also plays the API server for the Services it is given: it keeps them, applies
 * its own finalizer and status patches, and removes a deleted Service once its last
 * finalizer is gone.
 *
 * Reacting to Services (informer handlers, then `syncService`):
 * 1. A Service added is synced if it {@link wantsLoadBalancer} or {@link needsCleanup};
 *    one updated, if {@link needsUpdate} or {@link needsCleanup}. A Service with a
 *    `loadBalancerClass` is therefore never touched: no finalizer, no event, no status.
 * 2. Ensure (the Service wants a load balancer and needs no cleanup): event
 *    `EnsuringLoadBalancer: Ensuring load balancer`; add the finalizer **before**
 *    calling the cloud; call `ensureLoadBalancer` with the {@link backendNodes} (none:
 *    warning `UnAvailableLoadBalancer: There are no available nodes for LoadBalancer`,
 *    and the call is still made); event `EnsuredLoadBalancer: Ensured load balancer`;
 *    write the returned status to `status.loadBalancer` when it differs.
 * 3. Delete (the Service no longer wants one, or needs cleanup): ask the cloud whether a
 *    load balancer exists; if so, event `DeletingLoadBalancer: Deleting load balancer`
 *    and `ensureLoadBalancerDeleted`; then remove the finalizer (a Service being
 *    deleted is gone at that moment), event `DeletedLoadBalancer: Deleted load balancer`,
 *    and clear `status.loadBalancer`.
 * 4. Any error: warning `SyncLoadBalancerFailed: Error syncing load balancer: <err>`,
 *    where err is `failed to ensure load balancer: …`, `failed to delete load balancer: …`
 *    or `failed to check if load balancer exists before cleanup: …`; nothing else
 *    changes (the status stays as it was — `<pending>` for a new Service) and the key is
 *    retried later ({@link retryFailed}). {@link ImplementedElsewhereError} from the
 *    cloud is not an error.
 * 5. A Service deleted while it has finalizers only gets `deletionTimestamp` (an update:
 *    step 3 runs); one deleted without finalizers is simply gone (no handler, as in
 *    Kubernetes). A key whose Service is gone but was synced before deletes the load
 *    balancer of the last version seen.
 *
 * Reacting to Nodes (`syncNodes`): a node added or deleted, or updated so that
 * {@link shouldSyncUpdatedNode}, re-checks every Service synced so far: if its
 * {@link backendNodes} differ from those of the previous node sync, `updateLoadBalancer`
 * with the new set and event `UpdatedLoadBalancer: Updated load balancer with new hosts`
 * (or the `UnAvailableLoadBalancer` warning when the set is empty); on failure, warning
 * `UpdateLoadBalancerFailed: Error updating load balancer with new hosts map[n1:{} …]: <err>`
 * and the Service is synced again in full.
 *
 * Simplified: events are handled at once, not through work queues; retries happen
 * when {@link retryFailed} is called rather than after a back-off; the periodic resyncs
 * are left out (they change nothing here); repeated events are not aggregated.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export class ServiceController {
  readonly clusterName!: string
  /** The API server's Services, by `namespace/name`. */
  private readonly services = new Map<string, Service>()
  private readonly nodes = new Map<string, Node>()
  /** `serviceCache`: the last version of each Service the controller processed. */
  private readonly cache = new Map<string, Service>()
  private lastSyncedNodes: Node[] = []
  private readonly retries = new Set<string>()
  private readonly recorded: ServiceEvent[] = []
  private readonly now!: () => Date

  constructor(
    readonly balancer: LoadBalancer,
    options: ServiceControllerOptions = {},
  ) {
    this.clusterName = options.clusterName ?? DEFAULT_CLUSTER_NAME
    // TODO(kata 08, task 1): keep what you need: the Services and Nodes as the API server holds
    // them, the Services you synced (the controller's cache), the nodes of the last node
    // sync, the keys to retry, the events.
    void options.now
  }

  // ---- Services, as the API server and its informer deliver them

  /** A Service is created. Its `status` is dropped, as the API server does on create. */
  addService(service: Service): void {
    // TODO(kata 08, task 1): store it; sync it if it wants a load balancer or needs cleanup.
    throw new Error('kata 08-loadbalancer: ServiceController.addService is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * A user changes a Service (`kubectl apply`): spec, labels and annotations come from
   * `service`; finalizers, deletionTimestamp, uid and status stay as stored.
   */
  updateService(service: Service): void {
    // TODO(kata 08, task 1): store the new version; sync if needsUpdate(old, new) or needsCleanup(new).
    throw new Error('kata 08-loadbalancer: ServiceController.updateService is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * A user deletes a Service. With finalizers it only gets a `deletionTimestamp` (and
   * the controller reacts to that update); without, it is gone at once.
   */
  deleteService(namespace: string, name: string): void {
    // TODO(kata 08, task 1): finalizers? set deletionTimestamp and react like an update. Else forget it.
    throw new Error('kata 08-loadbalancer: ServiceController.deleteService is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** The Service as stored now (with the controller's finalizer and status), if it exists. */
  get(namespace: string, name: string): Service | undefined {
    // TODO(kata 08, task 1): a copy of the stored Service.
    throw new Error('kata 08-loadbalancer: ServiceController.get is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** Events recorded so far, oldest first; only those of one Service when named. */
  events(namespace?: string, name?: string): ServiceEvent[] {
    // TODO(kata 08, task 1): the recorded events, filtered.
    throw new Error('kata 08-loadbalancer: ServiceController.events is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** Keys whose last sync failed, waiting for {@link retryFailed}. */
  failedKeys(): string[] {
    // TODO(kata 08, task 1): the keys to retry, sorted.
    throw new Error('kata 08-loadbalancer: ServiceController.failedKeys is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** Syncs each key whose last sync failed once more (the work queue's back-off expired). */
  retryFailed(): void {
    // TODO(kata 08, task 1): syncService each failed key once.
    throw new Error('kata 08-loadbalancer: ServiceController.retryFailed is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * `syncService`: reconciles one Service, `namespace/name`. Returns the error when the
   * sync failed (the key is then retried by {@link retryFailed}), else `undefined`.
   */
  syncService(key: string): Error | undefined {
    // TODO(kata 08, task 1): ensure or delete the load balancer, with the finalizer, the events and the status.
    throw new Error('kata 08-loadbalancer: ServiceController.syncService is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * `needsUpdate`: does this change of a Service need a sync? Yes when it starts or stops
   * wanting a load balancer (event `Type: <old> -> <new>`), and, for a Service that
   * wants one, when any of these changed: `loadBalancerSourceRanges` (event
   * `LoadBalancerSourceRanges: [old] -> [new]`), the ports (name, protocol, port,
   * nodePort, targetPort, appProtocol), sessionAffinity and its config,
   * `loadBalancerIP` (event `LoadbalancerIP: old -> new`), `externalIPs` (event
   * `ExternalIP: Count: n -> m` or `ExternalIP: Added: ip`), annotations, the UID
   * (event `UID`), `externalTrafficPolicy` (event `ExternalTrafficPolicy`),
   * `healthCheckNodePort` (event `HealthCheckNodePort`), the number of `ipFamilies`
   * (event `IPFamilies: Count: n -> m`). Neither version wanting one: no.
   *
   * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
   */
  needsUpdate(oldService: Service, newService: Service): boolean {
    // TODO(kata 08, task 1): compare the two versions like the real controller, recording its events.
    throw new Error('kata 08-loadbalancer: ServiceController.needsUpdate is not implemented yet — see lessons/08-loadbalancer.md')
  }

  // ---- Nodes

  addNode(node: Node): void {
    // TODO(kata 08, task 1): store it and sync the nodes of every load balancer.
    throw new Error('kata 08-loadbalancer: ServiceController.addNode is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** A node changed (labels, taints, conditions, …); `node` is its new version. */
  updateNode(node: Node): void {
    // TODO(kata 08, task 1): store it; sync the nodes only if shouldSyncUpdatedNode(old, new).
    throw new Error('kata 08-loadbalancer: ServiceController.updateNode is not implemented yet — see lessons/08-loadbalancer.md')
  }

  deleteNode(name: string): void {
    // TODO(kata 08, task 1): forget it and sync the nodes of every load balancer.
    throw new Error('kata 08-loadbalancer: ServiceController.deleteNode is not implemented yet — see lessons/08-loadbalancer.md')
  }

  // ---- the controller's work

}
