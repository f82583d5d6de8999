// The endpoints controller: for every Service with a selector, an Endpoints object of
// the same name listing the IP and ports of each pod the selector matches, ready pods
// in `addresses` and the others in `notReadyAddresses`.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service, ServicePort } from 'kubernetes-types/core/v1'
// You will need these (ipaddr.js for the IP family of an address):
//   import ipaddr from 'ipaddr.js'
//   import { repackSubsets } from '../api/v1/endpoints/util.ts'
//   import { findPort, isPodReady, isPodTerminal, NoSuitablePortError } from '../api/v1/pod/util.ts'
//   import { selectorFromSet } from '../labels/selector.ts'

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
  // TODO(kata 03): terminal? no IP? terminating and not included? Otherwise yes.
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
  // TODO(kata 03): hostname set, subdomain == service name, same namespace.
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
  // TODO(kata 03): pick the pod IP of the Service's family; name the node and the pod.
  throw new Error('kata 03-endpoints: podToEndpointAddressForService is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The port of an endpoint (`endpointPortFromServicePort`): the Service port's `name`
 * (left out when unnamed), `protocol` (`TCP` when unset) and `appProtocol`, with the
 * pod's port number `port`.
 */
export function endpointPortFromServicePort(servicePort: ServicePort, port: number): EndpointPort {
  // TODO(kata 03): name (only when set), port, protocol (TCP when unset), appProtocol (only when set).
  throw new Error('kata 03-endpoints: endpointPortFromServicePort is not implemented yet — see lessons/03-endpoints.md')
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
  // TODO(kata 03): count, then cut each subset to its proportional share of what fits.
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
 * The Endpoints object the controller writes for one Service once its subsets are
 * known — the end of `syncService` (`newEndpoints` there):
 * 1. subsets {@link repackSubsets repacked}, then {@link truncateEndpoints truncated}
 *    with annotation `endpoints.kubernetes.io/over-capacity: truncated` (removed when
 *    not needed);
 * 2. metadata: the current object's, with the Service's name and namespace; labels =
 *    the Service's labels, plus `service.kubernetes.io/headless: ""` when the Service
 *    has no cluster IP (removed when it has one), plus
 *    `endpoints.kubernetes.io/managed-by: endpoint-controller`;
 * 3. annotations: the current object's, with
 *    `endpoints.kubernetes.io/last-change-trigger-time` set to `options.triggerTime`,
 *    or removed when there is none.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
 */
export function newEndpoints(service: Service, subsets: EndpointSubset[], options: SyncOptions = {}): Endpoints {
  // TODO(kata 03): labels and annotations as above, subsets repacked, then truncated.
  throw new Error('kata 03-endpoints: newEndpoints is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The Endpoints object the controller wants for one Service (`syncService`), or
 * `undefined` when it manages none for it.
 *
 * 1. `type: ExternalName` → `undefined`: DNS answers with a CNAME, there are no endpoints.
 * 2. No `spec.selector` (`null`/`undefined`) → `undefined`: the Endpoints of a
 *    selector-less Service belong to the user. An empty selector `{}` selects every pod.
 * 3. Candidate pods: those **in the Service's namespace** that
 *    `selectorFromSet(spec.selector)` matches (kata 02); any other pod is ignored.
 * 4. Keep the pods that pass {@link shouldPodBeInEndpoints}(pod, `publishNotReadyAddresses`)
 *    (terminal, IP-less and — unless published — terminating pods go).
 * 5. The address is {@link podToEndpointAddressForService}(service, pod): a pod that
 *    throws {@link NoMatchingEndpointError} (no IP of the Service's family) is skipped;
 *    set `address.hostname = spec.hostname` when {@link shouldSetHostname}(pod, service).
 * 6. `publishNotReadyAddresses` or {@link isPodReady}(pod) → the address goes in
 *    `addresses`, else in `notReadyAddresses` — the Ready condition decides, not the phase.
 * 7. One subset per pod and Service port: `{addresses | notReadyAddresses: [address],
 *    ports: [endpointPortFromServicePort(servicePort, findPort(pod, servicePort))]}` —
 *    the **targetPort** resolved on this pod by {@link findPort}; when it throws
 *    {@link NoSuitablePortError} the pod is left out of that port only. A headless
 *    Service (`clusterIP: None`) without ports gets one subset with `ports: []` per pod;
 *    any other Service without ports, none.
 * 8. Return {@link newEndpoints}(service, subsets, options): it repacks, truncates,
 *    labels and annotates.
 *
 * `findPort`, `isPodReady` and `NoSuitablePortError` live in `../api/v1/pod/util.ts`;
 * the other functions named here are in this file.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
 */
export function syncService(service: Service, pods: readonly Pod[], options: SyncOptions = {}): Endpoints | undefined {
  // TODO(kata 03): for each pod of the namespace the selector matches: skip, or one subset per Service port.
  throw new Error('kata 03-endpoints: syncService is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The endpoints controller as a reconcile loop: feed it the Pod and Service events an
 * informer would deliver, read the Endpoints it keeps.
 *
 * - A pod event re-syncs only the Services whose selector matched the pod before or after
 *   the change (found among the Services of the pod's namespace); a Service event
 *   re-syncs that Service. Each Service remembers the pods it selects, so no sync scans
 *   all pods (the course's clusters grow to 150 000 pods and 10 000 Services).
 * - A deleted Service takes its Endpoints with it (whoever wrote them).
 * - A Service without selector (or `ExternalName`) is never synced: Endpoints a user
 *   wrote for it are left exactly as they are, and so are the last Endpoints of a
 *   Service whose selector was removed.
 * - On the first sync of a Service, {@link ENDPOINTS_LAST_CHANGE_TRIGGER_TIME} is its
 *   creationTimestamp; later, the earliest Ready `lastTransitionTime` of the pods that
 *   changed since the previous sync.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
 */
export class EndpointsController {
  /**
   * Runs `changes` (many events at once, e.g. loading a cluster) and syncs each affected
   * Service once at the end — as the controller's work queue coalesces a key queued
   * many times. Inside, `get` and `list` still show the Endpoints from before.
   */
  batch(changes: () => void): void {
    // TODO(kata 03): collect the Services to sync while `changes` runs; sync each once afterwards.
    throw new Error('kata 03-endpoints: EndpointsController.batch is not implemented yet — see lessons/03-endpoints.md')
  }

  addPod(pod: Pod): void {
    // TODO(kata 03): remember the pod, find the Services of its namespace that select it, sync them.
    throw new Error('kata 03-endpoints: EndpointsController.addPod is not implemented yet — see lessons/03-endpoints.md')
  }

  /** The pod changed (labels, readiness, IPs, deletionTimestamp …); `pod` is its new version. */
  updatePod(pod: Pod): void {
    // TODO(kata 03): sync the Services that selected the old version or select the new one.
    throw new Error('kata 03-endpoints: EndpointsController.updatePod is not implemented yet — see lessons/03-endpoints.md')
  }

  deletePod(pod: Pod): void {
    // TODO(kata 03): forget the pod and sync the Services that selected it.
    throw new Error('kata 03-endpoints: EndpointsController.deletePod is not implemented yet — see lessons/03-endpoints.md')
  }

  addService(service: Service): void {
    // TODO(kata 03): remember the Service and the pods it selects, then sync it.
    throw new Error('kata 03-endpoints: EndpointsController.addService is not implemented yet — see lessons/03-endpoints.md')
  }

  updateService(service: Service): void {
    // TODO(kata 03): the selector may have changed: recompute its pods, then sync it.
    throw new Error('kata 03-endpoints: EndpointsController.updateService is not implemented yet — see lessons/03-endpoints.md')
  }

  deleteService(service: Service): void {
    // TODO(kata 03): forget the Service and delete its Endpoints.
    throw new Error('kata 03-endpoints: EndpointsController.deleteService is not implemented yet — see lessons/03-endpoints.md')
  }

  /** A user writes an Endpoints object (`kubectl apply`). The controller does not react. */
  applyEndpoints(endpoints: Endpoints): void {
    // TODO(kata 03): store it as it is.
    throw new Error('kata 03-endpoints: EndpointsController.applyEndpoints is not implemented yet — see lessons/03-endpoints.md')
  }

  /** A user deletes an Endpoints object; the controller re-syncs that Service (and so recreates managed ones). */
  deleteEndpoints(namespace: string, name: string): void {
    // TODO(kata 03): delete it, then sync the Service of that name.
    throw new Error('kata 03-endpoints: EndpointsController.deleteEndpoints is not implemented yet — see lessons/03-endpoints.md')
  }

  /** The Endpoints `namespace/name`, if any. Treat it as read-only. */
  get(namespace: string, name: string): Endpoints | undefined {
    // TODO(kata 03): look it up.
    throw new Error('kata 03-endpoints: EndpointsController.get is not implemented yet — see lessons/03-endpoints.md')
  }

  /** Every Endpoints object (of one namespace if given), by namespace and name. */
  list(namespace?: string): Endpoints[] {
    // TODO(kata 03): all of them, sorted by namespace then name.
    throw new Error('kata 03-endpoints: EndpointsController.list is not implemented yet — see lessons/03-endpoints.md')
  }
}
