// ────────────────────────────────────────────────────────────────────────
// Kata 03 · core path: you write
//   task 1 (repack-subsets): shouldPodBeInEndpoints, shouldSetHostname, podToEndpointAddressForService, truncateEndpoints, syncService, EndpointsController.batch, EndpointsController.addPod, EndpointsController.updatePod, EndpointsController.deletePod, EndpointsController.addService, EndpointsController.updateService, EndpointsController.deleteService, EndpointsController.applyEndpoints, EndpointsController.deleteEndpoints, EndpointsController.get and EndpointsController.list
// Each is marked TODO(kata 03) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 03`.
// ────────────────────────────────────────────────────────────────────────
// The endpoints controller: for every Service with a selector, an Endpoints object of
// the same name listing the IP and ports of each pod the selector matches, ready pods
// in `addresses` and the others in `notReadyAddresses`.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
import { isIPv6String } from '../../lib/net/ipint.ts'
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service, ServicePort } from 'kubernetes-types/core/v1'
import { repackSubsets } from '../api/v1/endpoints/util.ts'
import { findPort, isPodReady, isPodTerminal, NoSuitablePortError } from '../api/v1/pod/util.ts'
import { selectorFromSet, type Selector } from '../labels/selector.ts'

/** At most this many addresses (ready + not ready) are stored in one Endpoints object. */
export const MAX_CAPACITY = 1000
/** Value of {@link ENDPOINTS_OVER_CAPACITY} when addresses were cut. */
export const TRUNCATED = 'truncated'
/** Annotation set on an Endpoints object whose addresses were truncated to {@link MAX_CAPACITY}. */
export const ENDPOINTS_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity'
/** Annotation: when the change that caused this version of the Endpoints happened (RFC 3339, UTC). */
export const ENDPOINTS_LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time'
/** Label on the Endpoints (and EndpointSlices) of a headless Service (`clusterIP: None`). */
export const IS_HEADLESS_SERVICE = 'service.kubernetes.io/headless'
/** Label the controller puts on the Endpoints it writes (since Kubernetes 1.33, kubernetes/kubernetes#130564). */
export const LABEL_MANAGED_BY = 'endpoints.kubernetes.io/managed-by'
/** Value of {@link LABEL_MANAGED_BY}. */
export const CONTROLLER_NAME = 'endpoint-controller'

/** The pod has no IP of the Service's IP family (e.g. an IPv4-only pod behind an IPv6 Service). */
export class NoMatchingEndpointError extends Error {
  override name = 'NoMatchingEndpointError'
  constructor(readonly service: string) {
    super(`failed to find a matching endpoint for service ${service}`)
  }
}

/**
 * Whether a pod may appear in an Endpoints or EndpointSlice object at all
 * (`ShouldPodBeInEndpoints`):
 * 1. a terminal pod (phase `Succeeded` or `Failed`) never;
 * 2. a pod without `status.podIP` and without `status.podIPs` never — there is nothing to route to;
 * 3. a terminating pod (`metadata.deletionTimestamp` set) only if `includeTerminating`
 *    (the Endpoints controller passes the Service's `publishNotReadyAddresses`, the
 *    EndpointSlice controller always `true`);
 * 4. every other pod, Ready or not (readiness decides *where* it goes, not *whether*).
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/util/controller_utils.go
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  // TODO(kata 03, task 1): terminal? no IP? terminating and not included? Otherwise yes.
  throw new Error('kata 03-endpoints: shouldPodBeInEndpoints is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * Whether an address gets the pod's `hostname` (`ShouldSetHostname`): the pod sets
 * `spec.hostname`, its `spec.subdomain` is this Service's name, and both live in the same
 * namespace. This is what makes `<hostname>.<service>.<ns>.svc` resolve (StatefulSets).
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/util/controller_utils.go
 */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  // TODO(kata 03, task 1): hostname set, subdomain == service name, same namespace.
  throw new Error('kata 03-endpoints: shouldSetHostname is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The EndpointAddress of a pod for a Service (`podToEndpointAddressForService`):
 * 1. family = `spec.ipFamilies[0]`; without it, the family of `clusterIP`, or for a
 *    headless Service the family of `status.podIP`;
 * 2. ip = the first `status.podIPs[]` entry of that family, else
 *    {@link NoMatchingEndpointError} (the pod is then skipped);
 * 3. `nodeName` = `spec.nodeName`, `targetRef` = the pod (`kind`, `namespace`, `name`, `uid`).
 * The hostname is not set here; see {@link shouldSetHostname}.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
 */
export function podToEndpointAddressForService(service: Service, pod: Pod): EndpointAddress {
  // TODO(kata 03, task 1): pick the pod IP of the Service's family; name the node and the pod.
  throw new Error('kata 03-endpoints: podToEndpointAddressForService is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * Cuts an Endpoints object down to {@link MAX_CAPACITY} addresses, in place
 * (`truncateEndpoints`). Returns whether it had to (more than 1000 addresses).
 *
 * 1. Ready addresses are kept first. If all ready ones fit, only not-ready addresses are
 *    cut: each subset keeps `ceil(notReadyInSubset / totalNotReady × (1000 − totalReady))`,
 *    never more than what is left of the budget (subsets in order).
 * 2. If the ready ones alone exceed 1000, every not-ready address goes and the ready ones
 *    are cut the same proportional way to 1000.
 * 3. Within a subset the first addresses are kept.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
 */
export function truncateEndpoints(endpoints: Endpoints): boolean {
  // TODO(kata 03, task 1): count, then cut each subset to its proportional share of what fits.
  throw new Error('kata 03-endpoints: truncateEndpoints is not implemented yet — see lessons/03-endpoints.md')
}

export interface SyncOptions {
  /** The Endpoints object stored now, if any: its other annotations and metadata are kept. */
  current?: Endpoints | undefined
  /**
   * The value for {@link ENDPOINTS_LAST_CHANGE_TRIGGER_TIME}; left out, the annotation is
   * removed. {@link EndpointsController} computes it like Kubernetes' trigger-time tracker.
   */
  triggerTime?: string | undefined
}

/**
 * The Endpoints object the controller wants for one Service (`syncService`), or
 * `undefined` when it manages none for it.
 *
 * 1. `type: ExternalName` → `undefined`: DNS answers with a CNAME, there are no endpoints.
 * 2. No `spec.selector` → `undefined`: Endpoints of a selector-less Service belong to the user.
 * 3. Candidate pods: those **in the Service's namespace** whose labels contain every
 *    `key: value` of the selector.
 * 4. Keep pods that pass {@link shouldPodBeInEndpoints}(pod, `publishNotReadyAddresses`),
 *    and that have an IP of the Service's family ({@link podToEndpointAddressForService});
 *    set the hostname when {@link shouldSetHostname}.
 * 5. For each Service port, the port number is {@link findPort}(pod, port) — the
 *    **targetPort**, resolved per pod; a pod whose named port cannot be found is left out
 *    of that port only. A headless Service without ports lists addresses without ports.
 * 6. `publishNotReadyAddresses` or a Ready pod → `addresses`, else `notReadyAddresses`.
 * 7. Subsets are {@link repackSubsets repacked}, then {@link truncateEndpoints truncated}
 *    with annotation `endpoints.kubernetes.io/over-capacity: truncated` (removed when
 *    not needed).
 * 8. Metadata: the Service's name and namespace; labels = the Service's labels, plus
 *    `service.kubernetes.io/headless: ""` when the Service has no cluster IP, plus
 *    `endpoints.kubernetes.io/managed-by: endpoint-controller`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
 */
export function syncService(service: Service, pods: readonly Pod[], options: SyncOptions = {}): Endpoints | undefined {
  // TODO(kata 03, task 1): one single-address subset per (pod, service port), then repack, truncate, label.
  throw new Error('kata 03-endpoints: syncService is not implemented yet — see lessons/03-endpoints.md')
}

/** Go's RFC3339Nano in UTC: `2026-01-01T00:00:00Z`, `2026-01-01T00:00:00.5Z`. */
function formatRFC3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0+Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : 'Z'))
}

function parseTime(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN
  return Number.isNaN(ms) ? 0 : ms
}

/**
 * `TriggerTimeTracker`: the trigger time of a sync is the Service's creationTimestamp on
 * its first sync, later the earliest of the changes seen since the previous sync — a
 * pod's Ready condition `lastTransitionTime`, or the Service's creationTimestamp.
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/util/trigger_time_tracker.go
 */
class TriggerTimeTracker {
  private readonly states = new Map<string, { pods: Map<string, number>; service: number }>()

  compute(key: string, service: Service, pods: readonly Pod[]): string | undefined {
    const state = this.states.get(key)
    let minChanged = Infinity
    const podTimes = new Map<string, number>()
    for (const pod of pods) {
      const t = parseTime(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime)
      if (t === 0) continue
      podTimes.set(pod.metadata?.name ?? '', t)
      if (t > (state?.pods.get(pod.metadata?.name ?? '') ?? 0)) minChanged = Math.min(minChanged, t)
    }
    const serviceTime = parseTime(service.metadata?.creationTimestamp)
    if (serviceTime > (state?.service ?? 0)) minChanged = Math.min(minChanged, serviceTime)
    this.states.set(key, { pods: podTimes, service: serviceTime })
    if (!state) return serviceTime ? formatRFC3339Nano(serviceTime) : undefined
    return minChanged === Infinity ? undefined : formatRFC3339Nano(minChanged)
  }

  delete(key: string): void {
    this.states.delete(key)
  }
}

interface ServiceEntry {
  service: Service
  /** `undefined` for a Service without selector: it selects nothing. */
  selector: Selector | undefined
  /** Where the Service sits in its namespace's {@link SelectorIndex}. */
  indexKey: string | undefined
  /** Pods of the namespace its selector matches, by name. */
  members: Map<string, Pod>
}

/**
 * The Services of one namespace by one `key=value` of their selector, so that a pod
 * event only checks the Services that could match its labels — not every Service of
 * the namespace (Kubernetes lists them all; fine for its informer cache, slow here).
 */
interface SelectorIndex {
  /** `key\u0000value` of a selector's first requirement → Service names. */
  byLabel: Map<string, Set<string>>
  /** Services whose selector is `{}`: they match every pod. */
  matchAll: Set<string>
}

const MATCH_ALL = '\u0001'
const labelKey = (k: string, v: string) => `${k}\u0000${v}`

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`

/**
 * The endpoints controller as a reconcile loop: feed it the Pod and Service events an
 * informer would deliver, read the Endpoints it keeps.
 *
 * - A pod event re-syncs only the Services whose selector matched the pod before or after
 *   the change (found among the Services of the pod's namespace, through an index of
 *   their selectors); a Service event re-syncs that Service. Each Service remembers the
 *   pods it selects, so no sync scans all pods (the course's clusters grow to 150 000
 *   pods and 10 000 Services).
 * - A deleted Service takes its Endpoints with it (whoever wrote them).
 * - A Service without selector (or `ExternalName`) is never synced: Endpoints a user
 *   wrote for it are left exactly as they are, and so are the last Endpoints of a
 *   Service whose selector was removed.
 * - On the first sync of a Service, {@link ENDPOINTS_LAST_CHANGE_TRIGGER_TIME} is its
 *   creationTimestamp; later, the earliest Ready `lastTransitionTime` of the pods that
 *   changed since the previous sync.
 * - Writes are skipped when nothing but the trigger time would change, as in Kubernetes.
 *
 * Simplified: events are handled at once (Kubernetes queues Service keys, batches and
 * retries), and an updated pod re-syncs every Service it matched before or after.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
 */
export class EndpointsController {
  /** namespace → Service name → entry */
  private readonly services = new Map<string, Map<string, ServiceEntry>>()
  /** namespace → Services by selector label */
  private readonly indexes = new Map<string, SelectorIndex>()
  /** namespace → pod name → pod */
  private readonly pods = new Map<string, Map<string, Pod>>()
  /** `ns/pod` → names of the Services (same namespace) selecting it */
  private readonly memberships = new Map<string, Set<string>>()
  /** `ns/name` → Endpoints */
  private readonly store = new Map<string, Endpoints>()
  private readonly triggerTimes = new TriggerTimeTracker()
  /** Inside {@link batch}: the Services to sync when it ends. */
  private pending: Set<string> | undefined

  /**
   * Runs `changes` (many events at once, e.g. loading a cluster) and syncs each affected
   * Service once at the end — as the controller's work queue coalesces a key queued
   * many times. Inside, `get` and `list` still show the Endpoints from before.
   */
  batch(changes: () => void): void {
    // TODO(kata 03, task 1): collect the Services to sync while `changes` runs; sync each once afterwards.
    throw new Error('kata 03-endpoints: EndpointsController.batch is not implemented yet — see lessons/03-endpoints.md')
  }

  addPod(pod: Pod): void {
    // TODO(kata 03, task 1): remember the pod, find the Services of its namespace that select it, sync them.
    throw new Error('kata 03-endpoints: EndpointsController.addPod is not implemented yet — see lessons/03-endpoints.md')
  }

  /** The pod changed (labels, readiness, IPs, deletionTimestamp …); `pod` is its new version. */
  updatePod(pod: Pod): void {
    // TODO(kata 03, task 1): sync the Services that selected the old version or select the new one.
    throw new Error('kata 03-endpoints: EndpointsController.updatePod is not implemented yet — see lessons/03-endpoints.md')
  }

  deletePod(pod: Pod): void {
    // TODO(kata 03, task 1): forget the pod and sync the Services that selected it.
    throw new Error('kata 03-endpoints: EndpointsController.deletePod is not implemented yet — see lessons/03-endpoints.md')
  }

  addService(service: Service): void {
    // TODO(kata 03, task 1): remember the Service and the pods it selects, then sync it.
    throw new Error('kata 03-endpoints: EndpointsController.addService is not implemented yet — see lessons/03-endpoints.md')
  }

  updateService(service: Service): void {
    // TODO(kata 03, task 1): the selector may have changed: recompute its pods, then sync it.
    throw new Error('kata 03-endpoints: EndpointsController.updateService is not implemented yet — see lessons/03-endpoints.md')
  }

  deleteService(service: Service): void {
    // TODO(kata 03, task 1): forget the Service and delete its Endpoints.
    throw new Error('kata 03-endpoints: EndpointsController.deleteService is not implemented yet — see lessons/03-endpoints.md')
  }

  /** A user writes an Endpoints object (`kubectl apply`). The controller does not react. */
  applyEndpoints(endpoints: Endpoints): void {
    // TODO(kata 03, task 1): store it as it is.
    throw new Error('kata 03-endpoints: EndpointsController.applyEndpoints is not implemented yet — see lessons/03-endpoints.md')
  }

  /** A user deletes an Endpoints object; the controller re-syncs that Service (and so recreates managed ones). */
  deleteEndpoints(namespace: string, name: string): void {
    // TODO(kata 03, task 1): delete it, then sync the Service of that name.
    throw new Error('kata 03-endpoints: EndpointsController.deleteEndpoints is not implemented yet — see lessons/03-endpoints.md')
  }

  /** The Endpoints `namespace/name`, if any. Treat it as read-only. */
  get(namespace: string, name: string): Endpoints | undefined {
    // TODO(kata 03, task 1): look it up.
    throw new Error('kata 03-endpoints: EndpointsController.get is not implemented yet — see lessons/03-endpoints.md')
  }

  /** Every Endpoints object (of one namespace if given), by namespace and name. */
  list(namespace?: string): Endpoints[] {
    // TODO(kata 03, task 1): all of them, sorted by namespace then name.
    throw new Error('kata 03-endpoints: EndpointsController.list is not implemented yet — see lessons/03-endpoints.md')
  }

}

