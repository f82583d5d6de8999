// The service controller (kube-controller-manager / cloud-controller-manager): for every
// Service of type LoadBalancer it asks the cloud provider for a load balancer, writes
// the answer to `status.loadBalancer.ingress` (what `kubectl get svc` shows as
// EXTERNAL-IP), keeps the load balancer's backend nodes in step with the cluster's
// nodes, and deletes the load balancer when the Service goes away or stops being a
// LoadBalancer — holding the Service back with a finalizer until it has.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
import type { LoadBalancerStatus, Node, Service } from 'kubernetes-types/core/v1'
import { ImplementedElsewhereError, type LoadBalancer } from '../cloud/provider.ts'

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
  /** Its `metadata.uid`: `kubectl describe` lists only the events of the object it shows, not of one deleted before under the same name. */
  uid?: string
  /** When it was recorded, by the controller's clock (RFC 3339, seconds). */
  timestamp?: string
}

/**
 * `servicehelper.HasLBFinalizer`: whether `metadata.finalizers` lists
 * {@link LOAD_BALANCER_CLEANUP_FINALIZER}.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function hasLBFinalizer(service: Service): boolean {
  // TODO(kata 08): is the cleanup finalizer among metadata.finalizers?
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
  // TODO(kata 08): type LoadBalancer and no loadBalancerClass.
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
  // TODO(kata 08): has the finalizer, and is being deleted or no longer a LoadBalancer.
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
  // TODO(kata 08): same ingress entries (ip, hostname, ipMode), same order.
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
  // TODO(kata 08): no exclusion label, or a value ParseBool reads as false.
  throw new Error('kata 08-loadbalancer: nodeIncludedPredicate is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `nodeUnTaintedPredicate`: a node tainted {@link TO_BE_DELETED_TAINT} (any effect) is
 * on its way out and is not a backend.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function nodeUnTaintedPredicate(node: Node): boolean {
  // TODO(kata 08): no ToBeDeletedByClusterAutoscaler taint.
  throw new Error('kata 08-loadbalancer: nodeUnTaintedPredicate is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `nodeNotDeletedPredicate`: a node with `metadata.deletionTimestamp` is being deleted
 * and is not a backend.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function nodeNotDeletedPredicate(node: Node): boolean {
  // TODO(kata 08): no deletionTimestamp.
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
  // TODO(kata 08): the nodes that pass all three predicates (readiness is not one of them).
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
  // TODO(kata 08): did the inclusion or the presence of a providerID change?
  throw new Error('kata 08-loadbalancer: shouldSyncUpdatedNode is not implemented yet — see lessons/08-loadbalancer.md')
}

/** What a sync did with the cloud: `loadBalancerOperation` (`deleteLoadBalancer`, `ensureLoadBalancer`). */
export type LoadBalancerOperation = 'delete' | 'ensure'

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

export interface ServiceControllerOptions {
  /** `--cluster-name`, passed to every cloud call. */
  clusterName?: string
  /** The API server's clock, for `metadata.deletionTimestamp`. */
  now?: () => Date
}

/**
 * The service controller as a reconcile loop. Feed it what the API server's informers
 * deliver — Service and Node adds, updates and deletes — and read back the Services as
 * the controller left them ({@link get}) and the events it recorded ({@link events}).
 * It also plays the API server for the Services it is given: it keeps them, applies
 * its own finalizer and status patches, and removes a deleted Service once its last
 * finalizer is gone.
 *
 * Reacting to Services (informer handlers, then `syncService`; steps 2–4 are
 * {@link syncLoadBalancerIfNeeded}):
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
  readonly clusterName: string

  constructor(
    readonly balancer: LoadBalancer,
    options: ServiceControllerOptions = {},
  ) {
    this.clusterName = options.clusterName ?? DEFAULT_CLUSTER_NAME
    // TODO(kata 08): keep what you need: the Services and Nodes as the API server holds
    // them, the Services you synced (the controller's cache), the nodes of the last node
    // sync, the keys to retry, the events.
    void options.now
  }

  // ---- Services, as the API server and its informer deliver them

  /** A Service is created. Its `status` is dropped, as the API server does on create. */
  addService(service: Service): void {
    // TODO(kata 08): store it; sync it if it wants a load balancer or needs cleanup.
    throw new Error('kata 08-loadbalancer: ServiceController.addService is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * A user changes a Service (`kubectl apply`): spec, labels and annotations come from
   * `service`; finalizers, deletionTimestamp, uid and status stay as stored.
   */
  updateService(service: Service): void {
    // TODO(kata 08): store the new version; sync if needsUpdate(old, new) or needsCleanup(new).
    throw new Error('kata 08-loadbalancer: ServiceController.updateService is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * A user deletes a Service. With finalizers it only gets a `deletionTimestamp` (and
   * the controller reacts to that update); without, it is gone at once.
   */
  deleteService(namespace: string, name: string): void {
    // TODO(kata 08): finalizers? set deletionTimestamp and react like an update. Else forget it.
    throw new Error('kata 08-loadbalancer: ServiceController.deleteService is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** The Service as stored now (with the controller's finalizer and status), if it exists. */
  get(namespace: string, name: string): Service | undefined {
    // TODO(kata 08): a copy of the stored Service.
    throw new Error('kata 08-loadbalancer: ServiceController.get is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** Events recorded so far, oldest first; only those of one Service when named. */
  events(namespace?: string, name?: string): ServiceEvent[] {
    // TODO(kata 08): the recorded events, filtered.
    throw new Error('kata 08-loadbalancer: ServiceController.events is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** Keys whose last sync failed, waiting for {@link retryFailed}. */
  failedKeys(): string[] {
    // TODO(kata 08): the keys to retry, sorted.
    throw new Error('kata 08-loadbalancer: ServiceController.failedKeys is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** Syncs each key whose last sync failed once more (the work queue's back-off expired). */
  retryFailed(): void {
    // TODO(kata 08): syncService each failed key once.
    throw new Error('kata 08-loadbalancer: ServiceController.retryFailed is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * `syncService`: reconciles one Service, `namespace/name`. Returns the error when the
   * sync failed (the key is then retried by {@link retryFailed}), else `undefined`.
   */
  syncService(key: string): Error | undefined {
    // TODO(kata 08): ensure or delete the load balancer, with the finalizer, the events and the status.
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
    // TODO(kata 08): compare the two versions like the real controller, recording its events.
    throw new Error('kata 08-loadbalancer: ServiceController.needsUpdate is not implemented yet — see lessons/08-loadbalancer.md')
  }

  // ---- the controller's work

  /** Records an event on the Service, as `kubectl describe svc` lists it. */
  protected record(service: Service, type: ServiceEvent['type'], reason: string, msg: string): void {
    // TODO(kata 08): append {type, reason, message, namespace, name, uid, timestamp} to the events (timestamp: the `now` option's time, RFC 3339 without fractions).
    throw new Error('kata 08-loadbalancer: ServiceController.record is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * `syncLoadBalancerIfNeeded`: one sync of one Service (a private copy of the stored one)
   * against the cloud (`this.balancer`, called with `this.clusterName`). Returns `'delete'`
   * or `'ensure'`; throws the errors below (the caller records `SyncLoadBalancerFailed`
   * with their message and retries the key).
   *
   * 1. Remember `service.status.loadBalancer` as it is now (`{}` when unset).
   * 2. **Delete** when the Service does not {@link wantsLoadBalancer} or
   *    {@link needsCleanup}:
   *    - ask `getLoadBalancer`; if it throws, throw `failed to check if load balancer exists
   *      before cleanup: <its message>`;
   *    - if the load balancer exists: event `Normal DeletingLoadBalancer: Deleting load
   *      balancer`, then `ensureLoadBalancerDeleted`; if that throws
   *      {@link ImplementedElsewhereError} go on, anything else: throw `failed to delete load
   *      balancer: <its message>` — the finalizer stays, so the Service stays Terminating;
   *    - `this.removeFinalizer(service)` (a Service being deleted is gone at that moment),
   *      event `Normal DeletedLoadBalancer: Deleted load balancer`, and the new status is `{}`.
   * 3. **Ensure** otherwise:
   *    - event `Normal EnsuringLoadBalancer: Ensuring load balancer`;
   *    - `this.addFinalizer(service)` **before** calling the cloud, so the Service cannot
   *      be deleted without its load balancer being deleted first;
   *    - `this.ensureLoadBalancer(service)` — the backend nodes, the
   *      `UnAvailableLoadBalancer` warning and the cloud call — returns the new status; if it
   *      throws {@link ImplementedElsewhereError} return `'ensure'` at once (no event, no
   *      status, no error); anything else: throw `failed to ensure load balancer: <its
   *      message>` — the status is left as it was (`<pending>` for a new Service);
   *    - event `Normal EnsuredLoadBalancer: Ensured load balancer`.
   * 4. `this.patchStatus(service, previous, next)`: writes the new status unless equal.
   *
   * Events are recorded with `this.record(service, 'Normal', reason, text)`. Wrap an error
   * with the module's `message(err)`, e.g. `new Error('failed to ensure load balancer: ' +
   * message(err), { cause: err })`.
   *
   * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
   */
  syncLoadBalancerIfNeeded(service: Service): LoadBalancerOperation {
    // TODO(kata 08): delete (not wanted, or needs cleanup) or ensure, with the events, the finalizer and the status.
    throw new Error('kata 08-loadbalancer: ServiceController.syncLoadBalancerIfNeeded is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * `ensureLoadBalancer`: asks the cloud for the Service's load balancer with the current
   * {@link backendNodes}; none: warning `UnAvailableLoadBalancer: There are no available
   * nodes for LoadBalancer`, and the call is still made. Returns the cloud's status; the
   * cloud's errors are thrown as they are.
   */
  protected ensureLoadBalancer(service: Service): LoadBalancerStatus {
    // TODO(kata 08): backendNodes of the known nodes (warn UnAvailableLoadBalancer when none), then the cloud's ensureLoadBalancer.
    throw new Error('kata 08-loadbalancer: ServiceController.ensureLoadBalancer is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** `addFinalizer`: adds {@link LOAD_BALANCER_CLEANUP_FINALIZER} to the stored Service, if it lacks it. */
  protected addFinalizer(service: Service): void {
    // TODO(kata 08): add the cleanup finalizer to the stored Service.
    throw new Error('kata 08-loadbalancer: ServiceController.addFinalizer is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /**
   * `removeFinalizer`: removes {@link LOAD_BALANCER_CLEANUP_FINALIZER} from the stored
   * Service; a Service being deleted whose last finalizer goes is removed, as the API server does.
   */
  protected removeFinalizer(service: Service): void {
    // TODO(kata 08): remove the cleanup finalizer; a Service being deleted without finalizers is gone.
    throw new Error('kata 08-loadbalancer: ServiceController.removeFinalizer is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** `patchStatus`: writes `next` to the stored Service's `status.loadBalancer`, unless it equals `previous` ({@link loadBalancerStatusEqual}). */
  protected patchStatus(service: Service, previous: LoadBalancerStatus, next: LoadBalancerStatus): void {
    // TODO(kata 08): write next to the stored Service's status.loadBalancer unless it equals previous.
    throw new Error('kata 08-loadbalancer: ServiceController.patchStatus is not implemented yet — see lessons/08-loadbalancer.md')
  }

  // ---- Nodes

  addNode(node: Node): void {
    // TODO(kata 08): store it and sync the nodes of every load balancer.
    throw new Error('kata 08-loadbalancer: ServiceController.addNode is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** A node changed (labels, taints, conditions, …); `node` is its new version. */
  updateNode(node: Node): void {
    // TODO(kata 08): store it; sync the nodes only if shouldSyncUpdatedNode(old, new).
    throw new Error('kata 08-loadbalancer: ServiceController.updateNode is not implemented yet — see lessons/08-loadbalancer.md')
  }

  deleteNode(name: string): void {
    // TODO(kata 08): forget it and sync the nodes of every load balancer.
    throw new Error('kata 08-loadbalancer: ServiceController.deleteNode is not implemented yet — see lessons/08-loadbalancer.md')
  }
}
