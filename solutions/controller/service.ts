// The service controller (kube-controller-manager / cloud-controller-manager): for every
// Service of type LoadBalancer it asks the cloud provider for a load balancer, writes
// the answer to `status.loadBalancer.ingress` (what `kubectl get svc` shows as
// EXTERNAL-IP), keeps the load balancer's backend nodes in step with the cluster's
// nodes, and deletes the load balancer when the Service goes away or stops being a
// LoadBalancer — holding the Service back with a finalizer until it has.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
import type { LoadBalancerIngress, LoadBalancerStatus, Node, Service, ServicePort } from 'kubernetes-types/core/v1'
import type { ObjectMeta } from 'kubernetes-types/meta/v1'
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
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a Service always has metadata, and a stray entry is no finalizer
  return (service.metadata?.finalizers ?? []).includes(LOAD_BALANCER_CLEANUP_FINALIZER)
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
  // Stryker disable next-line OptionalChaining: a Service from the API server always has metadata and spec (structs, not pointers, in Go)
  return service.spec?.type === 'LoadBalancer' && service.spec.loadBalancerClass == null
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
  if (!hasLBFinalizer(service)) return false
  // Stryker disable next-line OptionalChaining: a Service from the API server always has metadata and spec (structs, not pointers, in Go)
  if (service.metadata?.deletionTimestamp != null) return true
  // Stryker disable next-line OptionalChaining: a Service from the API server always has metadata and spec (structs, not pointers, in Go)
  return service.spec?.type !== 'LoadBalancer'
}

function ingressEqual(a: LoadBalancerIngress, b: LoadBalancerIngress): boolean {
  return (a.ip ?? '') === (b.ip ?? '') && (a.hostname ?? '') === (b.hostname ?? '') && a.ipMode === b.ipMode
}

/**
 * `servicehelper.LoadBalancerStatusEqual`: the same ingress entries in the same order,
 * compared by `ip`, `hostname` and `ipMode` (ingress `ports` are not compared). The
 * controller skips the status write when old and new are equal.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function loadBalancerStatusEqual(a: LoadBalancerStatus | undefined, b: LoadBalancerStatus | undefined): boolean {
  const x = a?.ingress ?? []
  const y = b?.ingress ?? []
  return x.length === y.length && x.every((ing, i) => ingressEqual(ing, y[i]!))
}

/** Whether Go's `strconv.ParseBool` reads `value` as false (a true value and an error read alike here). */
function parsesFalse(value: string): boolean {
  return ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)
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
  // Stryker disable next-line OptionalChaining: every Node has metadata (its name)
  const labels = node.metadata?.labels ?? {}
  if (!Object.hasOwn(labels, LABEL_NODE_EXCLUDE_BALANCERS)) return true
  return parsesFalse(labels[LABEL_NODE_EXCLUDE_BALANCERS]!)
}

/**
 * `nodeUnTaintedPredicate`: a node tainted {@link TO_BE_DELETED_TAINT} (any effect) is
 * on its way out and is not a backend.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function nodeUnTaintedPredicate(node: Node): boolean {
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: the API server stores a spec on every Node, and a stray entry has no key
  return !(node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT)
}

/**
 * `nodeNotDeletedPredicate`: a node with `metadata.deletionTimestamp` is being deleted
 * and is not a backend.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/controllers/service/controller.go
 */
export function nodeNotDeletedPredicate(node: Node): boolean {
  // Stryker disable next-line OptionalChaining: every Node has metadata (its name)
  return node.metadata?.deletionTimestamp == null
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
  return nodes.filter((n) => nodeNotDeletedPredicate(n) && nodeIncludedPredicate(n) && nodeUnTaintedPredicate(n))
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
  if (nodeIncludedPredicate(oldNode) !== nodeIncludedPredicate(newNode)) return true
  // Stryker disable next-line OptionalChaining: the API server stores a spec on every Node
  return !!oldNode.spec?.providerID !== !!newNode.spec?.providerID
}

export interface ServiceControllerOptions {
  /** `--cluster-name`, passed to every cloud call. */
  clusterName?: string
  /** The API server's clock, for `metadata.deletionTimestamp`. */
  now?: () => Date
}

/** What a sync did with the cloud: `loadBalancerOperation` (`deleteLoadBalancer`, `ensureLoadBalancer`). */
export type LoadBalancerOperation = 'delete' | 'ensure'

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`
}
function metaKey(s: Service): string {
  // Stryker disable next-line OptionalChaining,StringLiteral: every Service the API server holds has a namespace and a name
  return keyOf(s.metadata?.namespace ?? '', s.metadata?.name ?? '')
}
function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
/** Go's `%v` of a `[]string`: `[a b]`. */
function goList(xs: readonly string[] | undefined): string {
  return `[${(xs ?? []).join(' ')}]`
}
/** Go's `%v` of a `sets.String`: `map[a:{} b:{}]`, keys sorted. */
function goSet(xs: readonly string[]): string {
  return `map[${[...new Set(xs)].sort().map((x) => `${x}:{}`).join(' ')}]`
}
function nodeNames(nodes: readonly Node[]): string[] {
  // Stryker disable next-line OptionalChaining,StringLiteral: every Node the API server holds has a name
  return nodes.map((n) => n.metadata?.name ?? '')
}
function sameNames(a: readonly Node[], b: readonly Node[]): boolean {
  const x = new Set(nodeNames(a))
  const y = new Set(nodeNames(b))
  return x.size === y.size && [...x].every((n) => y.has(n))
}
/** JSON with every map's keys sorted, so that key order does not count; `undefined` for nothing. */
function canonical(v: object | undefined): string | undefined {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  )
}
/** reflect.DeepEqual on API maps and lists; an absent (or null) one equals an empty one, as after a JSON round trip. */
function deepEqual(a: object | null | undefined, b: object | null | undefined): boolean {
  const norm = (v: object | null | undefined) => (Object.keys(v ?? {}).length === 0 ? undefined : v!)
  return canonical(norm(a)) === canonical(norm(b))
}

/**
 * What `kubectl apply` cannot change: the stored `uid`, `finalizers` and
 * `deletionTimestamp`, copied as JSON does, so an absent one stays absent.
 */
function keptOnUpdate({ uid, finalizers, deletionTimestamp }: ObjectMeta): ObjectMeta {
  return JSON.parse(JSON.stringify({ uid, finalizers, deletionTimestamp })) as ObjectMeta
}
/** A time as the API server writes it: RFC 3339, to the second. */
function rfc3339(t: Date): string {
  // Stryker disable next-line Regex: toISOString has one fraction, right before its final Z
  return t.toISOString().replace(/\.\d+Z$/, 'Z')
}

function portEqualForLB(x: ServicePort, y: ServicePort): boolean {
  return (
    (x.name ?? '') === (y.name ?? '') &&
    (x.protocol ?? '') === (y.protocol ?? '') &&
    x.port === y.port &&
    (x.nodePort ?? 0) === (y.nodePort ?? 0) &&
    // an IntOrString: 80 and "80" differ, as in Go (the API server defaults an absent one to the port)
    x.targetPort === y.targetPort &&
    x.appProtocol === y.appProtocol
  )
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
  /** The API server's Services, by `namespace/name`. */
  private readonly services = new Map<string, Service>()
  private readonly nodes = new Map<string, Node>()
  /** `serviceCache`: the last version of each Service the controller processed. */
  private readonly cache = new Map<string, Service>()
  private lastSyncedNodes: Node[] = []
  private readonly retries = new Set<string>()
  private readonly recorded: ServiceEvent[] = []
  private readonly now: () => Date

  constructor(
    readonly balancer: LoadBalancer,
    options: ServiceControllerOptions = {},
  ) {
    this.clusterName = options.clusterName ?? DEFAULT_CLUSTER_NAME
    this.now = options.now ?? (() => new Date())
  }

  // ---- Services, as the API server and its informer deliver them

  /** A Service is created. Its `status` is dropped, as the API server does on create. */
  addService(service: Service): void {
    const { status: _dropped, ...stored }: Service = structuredClone(service)
    const key = metaKey(stored)
    this.services.set(key, stored)
    if (wantsLoadBalancer(stored) || needsCleanup(stored)) this.syncService(key)
  }

  /**
   * A user changes a Service (`kubectl apply`): spec, labels and annotations come from
   * `service`; finalizers, deletionTimestamp, uid and status stay as stored.
   */
  updateService(service: Service): void {
    const key = metaKey(service)
    const old = this.services.get(key)
    if (!old) {
      this.addService(service)
      return
    }
    const { status: _ignored, ...given }: Service = structuredClone(service)
    const { finalizers: _f, deletionTimestamp: _d, uid: _u, ...meta } = given.metadata ?? {}
    const cur: Service = {
      ...given,
      metadata: { ...meta, ...keptOnUpdate(old.metadata ?? {}) },
      ...(old.status ? { status: structuredClone(old.status) } : {}),
    }
    this.services.set(key, cur)
    if (this.needsUpdate(old, cur) || needsCleanup(cur)) this.syncService(key)
  }

  /**
   * A user deletes a Service. With finalizers it only gets a `deletionTimestamp` (and
   * the controller reacts to that update); without, it is gone at once.
   */
  deleteService(namespace: string, name: string): void {
    const key = keyOf(namespace, name)
    const old = this.services.get(key)
    if (!old) return
    // Stryker disable next-line OptionalChaining: every Service has metadata (its name)
    if ((old.metadata?.finalizers ?? []).length === 0) {
      this.services.delete(key)
      return
    }
    // Stryker disable next-line OptionalChaining: every Service has metadata (its name)
    if (old.metadata?.deletionTimestamp != null) return
    const cur = structuredClone(old)
    cur.metadata = { ...cur.metadata, deletionTimestamp: rfc3339(this.now()) }
    this.services.set(key, cur)
    if (this.needsUpdate(old, cur) || needsCleanup(cur)) this.syncService(key)
  }

  /** The Service as stored now (with the controller's finalizer and status), if it exists. */
  get(namespace: string, name: string): Service | undefined {
    const s = this.services.get(keyOf(namespace, name))
    return s && structuredClone(s)
  }

  /** Events recorded so far, oldest first; only those of one Service when named. */
  events(namespace?: string, name?: string): ServiceEvent[] {
    return this.recorded.filter(
      (e) => (namespace === undefined || e.namespace === namespace) && (name === undefined || e.name === name),
    )
  }

  /** Keys whose last sync failed, waiting for {@link retryFailed}. */
  failedKeys(): string[] {
    return [...this.retries].sort()
  }

  /** Syncs each key whose last sync failed once more (the work queue's back-off expired). */
  retryFailed(): void {
    for (const key of this.failedKeys()) this.syncService(key)
  }

  /**
   * `syncService`: reconciles one Service, `namespace/name`. Returns the error when the
   * sync failed (the key is then retried by {@link retryFailed}), else `undefined`.
   */
  syncService(key: string): Error | undefined {
    const service = this.services.get(key)
    try {
      if (service) this.processServiceCreateOrUpdate(structuredClone(service), key)
      else this.processServiceDeletion(key)
      this.retries.delete(key)
      return undefined
    } catch (err) {
      this.retries.add(key)
      return err instanceof Error ? err : new Error(String(err))
    }
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
    const wantsOld = wantsLoadBalancer(oldService)
    const wantsNew = wantsLoadBalancer(newService)
    if (!wantsOld && !wantsNew) return false
    const o = oldService.spec ?? {}
    const n = newService.spec ?? {}
    const event = (reason: string, msg: string) => this.record(newService, 'Normal', reason, msg)
    if (wantsOld !== wantsNew) {
      // Stryker disable next-line StringLiteral: the API server defaults spec.type, so both versions have one
      event('Type', `${o.type ?? ''} -> ${n.type ?? ''}`)
      return true
    }
    if (wantsNew && !deepEqual(o.loadBalancerSourceRanges, n.loadBalancerSourceRanges)) {
      event('LoadBalancerSourceRanges', `${goList(o.loadBalancerSourceRanges)} -> ${goList(n.loadBalancerSourceRanges)}`)
      return true
    }
    // Stryker disable next-line ArrayDeclaration: validation requires ports on a LoadBalancer Service
    const op = o.ports ?? []
    // Stryker disable next-line ArrayDeclaration: validation requires ports on a LoadBalancer Service
    const np = n.ports ?? []
    // Stryker disable next-line StringLiteral: the API server defaults sessionAffinity to None
    if (op.length !== np.length || op.some((p, i) => !portEqualForLB(p, np[i]!)) || (o.sessionAffinity ?? '') !== (n.sessionAffinity ?? '')) {
      return true
    }
    if (!deepEqual(o.sessionAffinityConfig, n.sessionAffinityConfig)) return true
    if ((o.loadBalancerIP ?? '') !== (n.loadBalancerIP ?? '')) {
      event('LoadbalancerIP', `${o.loadBalancerIP ?? ''} -> ${n.loadBalancerIP ?? ''}`)
      return true
    }
    const oe = o.externalIPs ?? []
    const ne = n.externalIPs ?? []
    if (oe.length !== ne.length) {
      event('ExternalIP', `Count: ${oe.length} -> ${ne.length}`)
      return true
    }
    // Stryker disable next-line EqualityOperator: one step past the end both lists read undefined, which compare equal
    for (let i = 0; i < oe.length; i++) {
      if (oe[i] !== ne[i]) {
        event('ExternalIP', `Added: ${ne[i]}`)
        return true
      }
    }
    // Stryker disable next-line OptionalChaining: every Service has metadata (its name)
    if (!deepEqual(oldService.metadata?.annotations, newService.metadata?.annotations)) return true
    // Stryker disable next-line OptionalChaining,StringLiteral: the API server gives every Service a uid
    if ((oldService.metadata?.uid ?? '') !== (newService.metadata?.uid ?? '')) {
      // Stryker disable next-line OptionalChaining,StringLiteral: the API server gives every Service a uid
      event('UID', `${oldService.metadata?.uid ?? ''} -> ${newService.metadata?.uid ?? ''}`)
      return true
    }
    // Stryker disable next-line StringLiteral: the API server defaults externalTrafficPolicy on a LoadBalancer Service
    if ((o.externalTrafficPolicy ?? '') !== (n.externalTrafficPolicy ?? '')) {
      // Stryker disable next-line StringLiteral: the API server defaults externalTrafficPolicy on a LoadBalancer Service
      event('ExternalTrafficPolicy', `${o.externalTrafficPolicy ?? ''} -> ${n.externalTrafficPolicy ?? ''}`)
      return true
    }
    if ((o.healthCheckNodePort ?? 0) !== (n.healthCheckNodePort ?? 0)) {
      event('HealthCheckNodePort', `${o.healthCheckNodePort ?? 0} -> ${n.healthCheckNodePort ?? 0}`)
      return true
    }
    // Stryker disable next-line ArrayDeclaration: the API server sets ipFamilies on every Service with a cluster IP
    if ((o.ipFamilies ?? []).length !== (n.ipFamilies ?? []).length) {
      // Stryker disable next-line ArrayDeclaration: the API server sets ipFamilies on every Service with a cluster IP
      event('IPFamilies', `Count: ${(o.ipFamilies ?? []).length} -> ${(n.ipFamilies ?? []).length}`)
      return true
    }
    return false
  }

  // ---- Nodes

  addNode(node: Node): void {
    // Stryker disable next-line OptionalChaining,StringLiteral: every Node the API server holds has a name
    this.nodes.set(node.metadata?.name ?? '', structuredClone(node))
    this.syncNodes()
  }

  /** A node changed (labels, taints, conditions, …); `node` is its new version. */
  updateNode(node: Node): void {
    // Stryker disable next-line OptionalChaining,StringLiteral: every Node the API server holds has a name
    const name = node.metadata?.name ?? ''
    const old = this.nodes.get(name)
    this.nodes.set(name, structuredClone(node))
    if (!old || shouldSyncUpdatedNode(old, node)) this.syncNodes()
  }

  deleteNode(name: string): void {
    if (!this.nodes.delete(name)) return
    this.syncNodes()
  }

  // ---- the controller's work

  /** Records an event on the Service, as `kubectl describe svc` lists it. */
  protected record(service: Service, type: ServiceEvent['type'], reason: string, msg: string): void {
    this.recorded.push({
      type,
      reason,
      message: msg,
      // Stryker disable next-line OptionalChaining,StringLiteral: every Service the API server holds has a namespace
      namespace: service.metadata?.namespace ?? '',
      // Stryker disable next-line OptionalChaining,StringLiteral: every Service the API server holds has a name
      name: service.metadata?.name ?? '',
      // Stryker disable next-line ConditionalExpression,OptionalChaining: the API server gives every Service a uid
      ...(service.metadata?.uid !== undefined ? { uid: service.metadata.uid } : {}),
      timestamp: rfc3339(this.now()),
    })
  }

  private processServiceCreateOrUpdate(service: Service, key: string): void {
    const cached = this.cache.get(key)
    // Stryker disable next-line OptionalChaining: every Service has metadata (its name)
    if (cached && cached.metadata?.uid !== service.metadata?.uid) {
      // Deleted and created again under the same name: the old one's load balancer goes first.
      this.processLoadBalancerDelete(cached)
    }
    this.cache.set(key, service)
    let op: LoadBalancerOperation
    try {
      op = this.syncLoadBalancerIfNeeded(service)
    } catch (err) {
      this.record(service, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: ${message(err)}`)
      throw err
    }
    if (op === 'delete') this.cache.delete(key)
  }

  private processServiceDeletion(key: string): void {
    const cached = this.cache.get(key)
    if (!cached) return
    this.processLoadBalancerDelete(cached)
    this.cache.delete(key)
  }

  private processLoadBalancerDelete(service: Service): void {
    if (!wantsLoadBalancer(service)) return
    this.record(service, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer')
    try {
      this.balancer.ensureLoadBalancerDeleted(this.clusterName, service)
    } catch (err) {
      this.record(service, 'Warning', 'DeleteLoadBalancerFailed', `Error deleting load balancer: ${message(err)}`)
      throw err
    }
    this.record(service, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer')
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
    const previous = structuredClone(service.status?.loadBalancer ?? {})
    let next: LoadBalancerStatus
    let op: LoadBalancerOperation
    if (!wantsLoadBalancer(service) || needsCleanup(service)) {
      op = 'delete'
      next = {}
      let exists: boolean
      try {
        exists = this.balancer.getLoadBalancer(this.clusterName, service).exists
      } catch (err) {
        // Stryker disable next-line ObjectLiteral: the cause is for debugging; the API reports the message, as Go's %v
        throw new Error(`failed to check if load balancer exists before cleanup: ${message(err)}`, { cause: err })
      }
      if (exists) {
        this.record(service, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer')
        try {
          this.balancer.ensureLoadBalancerDeleted(this.clusterName, service)
        } catch (err) {
          if (!(err instanceof ImplementedElsewhereError)) {
            // Stryker disable next-line ObjectLiteral: the cause is for debugging; the API reports the message, as Go's %v
            throw new Error(`failed to delete load balancer: ${message(err)}`, { cause: err })
          }
        }
      }
      this.removeFinalizer(service)
      this.record(service, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer')
    } else {
      op = 'ensure'
      this.record(service, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer')
      this.addFinalizer(service)
      try {
        next = this.ensureLoadBalancer(service)
      } catch (err) {
        if (err instanceof ImplementedElsewhereError) return op
        // Stryker disable next-line ObjectLiteral: the cause is for debugging; the API reports the message, as Go's %v
        throw new Error(`failed to ensure load balancer: ${message(err)}`, { cause: err })
      }
      this.record(service, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer')
    }
    this.patchStatus(service, previous, next)
    return op
  }

  /**
   * `ensureLoadBalancer`: asks the cloud for the Service's load balancer with the current
   * {@link backendNodes}; none: warning `UnAvailableLoadBalancer: There are no available
   * nodes for LoadBalancer`, and the call is still made. Returns the cloud's status; the
   * cloud's errors are thrown as they are.
   */
  protected ensureLoadBalancer(service: Service): LoadBalancerStatus {
    const nodes = backendNodes([...this.nodes.values()])
    if (nodes.length === 0) {
      this.record(service, 'Warning', 'UnAvailableLoadBalancer', 'There are no available nodes for LoadBalancer')
    }
    return this.balancer.ensureLoadBalancer(this.clusterName, service, nodes)
  }

  /** `addFinalizer`: adds {@link LOAD_BALANCER_CLEANUP_FINALIZER} to the stored Service, if it lacks it. */
  protected addFinalizer(service: Service): void {
    if (hasLBFinalizer(service)) return
    const stored = this.services.get(metaKey(service))
    if (!stored) return
    // Stryker disable next-line OptionalChaining: every Service has metadata (its name)
    stored.metadata = { ...stored.metadata, finalizers: [...(stored.metadata?.finalizers ?? []), LOAD_BALANCER_CLEANUP_FINALIZER] }
  }

  /**
   * `removeFinalizer`: removes {@link LOAD_BALANCER_CLEANUP_FINALIZER} from the stored
   * Service; a Service being deleted whose last finalizer goes is removed, as the API server does.
   */
  protected removeFinalizer(service: Service): void {
    if (!hasLBFinalizer(service)) return
    const key = metaKey(service)
    const stored = this.services.get(key)
    if (!stored) return
    // Stryker disable next-line OptionalChaining: every Service has metadata (its name)
    const finalizers = (stored.metadata?.finalizers ?? []).filter((f) => f !== LOAD_BALANCER_CLEANUP_FINALIZER)
    stored.metadata = { ...stored.metadata }
    if (finalizers.length > 0) stored.metadata.finalizers = finalizers
    else delete stored.metadata.finalizers
    // The API server removes an object being deleted once its last finalizer is gone.
    if (finalizers.length === 0 && stored.metadata.deletionTimestamp != null) this.services.delete(key)
  }

  /** `patchStatus`: writes `next` to the stored Service's `status.loadBalancer`, unless it equals `previous` ({@link loadBalancerStatusEqual}). */
  protected patchStatus(service: Service, previous: LoadBalancerStatus, next: LoadBalancerStatus): void {
    if (loadBalancerStatusEqual(previous, next)) return
    const stored = this.services.get(metaKey(service))
    if (!stored) return // NotFound: the Service went away when its finalizer was removed.
    this.services.set(metaKey(service), { ...stored, status: { ...stored.status, loadBalancer: structuredClone(next) } })
  }

  /** `syncNodes`: points every load balancer at the current backend nodes. */
  private syncNodes(): void {
    const nodes = [...this.nodes.values()]
    // In the cache's order: Kubernetes updates them on parallel workers, in no order.
    const toRetry = [...this.cache.keys()].filter((key) => this.nodeSyncService(this.cache.get(key)!, this.lastSyncedNodes, nodes))
    this.lastSyncedNodes = nodes
    for (const key of toRetry) this.syncService(key)
  }

  /** `nodeSyncService`: true when the update failed and the Service must be synced again. */
  private nodeSyncService(service: Service, oldNodes: readonly Node[], newNodes: readonly Node[]): boolean {
    if (!wantsLoadBalancer(service)) return false
    const hosts = backendNodes(newNodes)
    if (sameNames(hosts, backendNodes(oldNodes))) return false
    try {
      this.updateLoadBalancerHosts(service, hosts)
      return false
    } catch {
      return true
    }
  }

  /** `lockedUpdateLoadBalancerHosts`. */
  private updateLoadBalancerHosts(service: Service, hosts: readonly Node[]): void {
    try {
      this.balancer.updateLoadBalancer(this.clusterName, service, hosts)
    } catch (err) {
      if (err instanceof ImplementedElsewhereError) return
      // It is only an error if the load balancer still exists.
      try {
        if (!this.balancer.getLoadBalancer(this.clusterName, service).exists) return
      } catch {
        // Logged by Kubernetes; the update error stands.
      }
      this.record(
        service,
        'Warning',
        'UpdateLoadBalancerFailed',
        `Error updating load balancer with new hosts ${goSet(nodeNames(hosts))}: ${message(err)}`,
      )
      throw err
    }
    if (hosts.length === 0) {
      this.record(service, 'Warning', 'UnAvailableLoadBalancer', 'There are no available nodes for LoadBalancer')
    } else {
      this.record(service, 'Normal', 'UpdatedLoadBalancer', 'Updated load balancer with new hosts')
    }
  }
}
