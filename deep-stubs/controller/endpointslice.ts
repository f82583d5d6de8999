// The EndpointSlice controller: the same pods as the Endpoints object, but cut into
// slices of at most 100 endpoints, one set of slices per IP family, with per-endpoint
// conditions (ready, serving, terminating) — what kube-proxy and CoreDNS read today.
// @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/reconciler.go
// @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
import type { Node, Pod, PodStatus, Service } from 'kubernetes-types/core/v1'
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { Random } from '../../lib/random.ts'
// You will need these:
//   import { Random } from '../../lib/random.ts'
//   import { generateName } from '../../lib/storage/names.ts'   // the API server's generateName
//   import { findPort, isPodReady, NoSuitablePortError } from '../api/v1/pod/util.ts'
//   import { selectorFromSet } from '../labels/selector.ts'
//   import { IS_HEADLESS_SERVICE, shouldPodBeInEndpoints, shouldSetHostname } from './endpoints.ts'

/** Label naming the Service a slice belongs to. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name'
/** Label naming the controller that manages a slice. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by'
/** Value of {@link LABEL_MANAGED_BY} for slices this controller writes. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
/** kube-controller-manager `--max-endpoints-per-slice` (the API allows up to 1000). */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100
/** Node label copied into an endpoint's `zone`. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone'

/** `addressType` of a slice made by this controller (the API also has `FQDN`). */
export type AddressType = 'IPv4' | 'IPv6'

/**
 * The address types a Service gets slices for (`getAddressTypesForService`): one per
 * entry of `spec.ipFamilies`, in order. Without `ipFamilies` (an old API server): the
 * family of the cluster IP, or both families for a headless Service.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function getAddressTypesForService(service: Service): AddressType[] {
  // TODO(kata 03): spec.ipFamilies, with the two fallbacks.
  throw new Error('kata 03-endpoints: getAddressTypesForService is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The ports of one pod's endpoint (`getEndpointPorts`): for each Service port that
 * `findPort` resolves on this pod, `{name, port, protocol, appProtocol}` with
 * `name` always present (`""` for an unnamed port) and the pod's **target** port. A
 * named port the pod lacks is simply missing from the list.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function getEndpointPorts(service: Service, pod: Pod): EndpointPort[] {
  // TODO(kata 03): findPort for each Service port; skip the ones that fail.
  throw new Error('kata 03-endpoints: getEndpointPorts is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The pod's IPs of one address type (`getEndpointAddresses`): every `status.podIPs[]`
 * entry of that family, in order; `[]` when it has none.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function getEndpointAddresses(podStatus: PodStatus | undefined, addressType: AddressType): string[] {
  // TODO(kata 03): the podIPs of that family, in order.
  throw new Error('kata 03-endpoints: getEndpointAddresses is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * One pod as an endpoint of a slice of `addressType` (`podToEndpoint`):
 * 1. `conditions`: `serving` = {@link isPodReady}(pod); `terminating` = the pod has a
 *    `metadata.deletionTimestamp`; `ready` = `spec.publishNotReadyAddresses === true ||
 *    (serving && !terminating)` — a terminating pod is never ready, even while it serves;
 * 2. `addresses` = {@link getEndpointAddresses}(pod.status, addressType) (when `[]`, the
 *    caller leaves the pod out);
 * 3. `targetRef` = `{kind: 'Pod', namespace, name, uid}` of the pod;
 * 4. `nodeName` = `spec.nodeName`, only when the pod is scheduled;
 * 5. `zone` = the `topology.kubernetes.io/zone` label of `node`, only when a node is
 *    given and carries it;
 * 6. `hostname` = `spec.hostname`, only when {@link shouldSetHostname}(pod, service).
 * No other field is set. `isPodReady` lives in `../api/v1/pod/util.ts`,
 * `shouldSetHostname` in `./endpoints.ts`.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function podToEndpoint(pod: Pod, service: Service, addressType: AddressType, node?: Node): Endpoint {
  // TODO(kata 03): the three conditions first, then addresses, targetRef, nodeName, zone, hostname.
  throw new Error('kata 03-endpoints: podToEndpoint is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The labels of a Service's slices (`setEndpointSliceLabels`): the Service's own labels
 * except the reserved keys, plus `kubernetes.io/service-name: <service>`,
 * `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`, and
 * `service.kubernetes.io/headless: ""` when the Service has no cluster IP.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function setEndpointSliceLabels(service: Service): Record<string, string> {
  // TODO(kata 03): copy the Service's labels minus the reserved keys, then set the reserved ones.
  throw new Error('kata 03-endpoints: setEndpointSliceLabels is not implemented yet — see lessons/03-endpoints.md')
}

export interface ReconcileOptions {
  /** At most this many endpoints per slice; default {@link DEFAULT_MAX_ENDPOINTS_PER_SLICE}. */
  maxEndpointsPerSlice?: number
  /** Draws the 5 random characters of each slice name; default `new Random()` (seed 42). */
  random?: Random
  /**
   * The cluster's nodes. Given, a pod on a node not in the list is left out (unless
   * `publishNotReadyAddresses`) and endpoints get their node's zone; left out, every
   * node exists and has no zone.
   */
  nodes?: readonly Node[]
}

/**
 * The EndpointSlices the controller wants for one Service, or `undefined` when it manages
 * none (`type: ExternalName`, or no selector — the *mirroring* controller copies a user's
 * Endpoints into slices instead).
 *
 * 1. Pods: those of the Service's namespace matching its selector that pass
 *    `shouldPodBeInEndpoints(pod, true)` — **terminating pods stay**, with
 *    `ready: false, serving: <Ready>, terminating: true`; terminal and IP-less pods go.
 * 2. One set of slices per address type ({@link getAddressTypesForService}); a pod
 *    without an IP of that family is not in it.
 * 3. Pods are grouped by their port list ({@link getEndpointPorts}); each group is cut
 *    into slices of at most `maxEndpointsPerSlice` endpoints.
 * 4. A family without any endpoint still gets one empty placeholder slice.
 * 5. Each slice: `generateName: <service>-` and a name with 5 random characters
 *    (`generateName` of lib/storage/names.ts), namespace, labels
 *    ({@link setEndpointSliceLabels}), an owner reference to the Service
 *    (`controller: true, blockOwnerDeletion: true`).
 *
 * A simple deterministic packing is enough (pods sorted by name): the real reconciler
 * starts from the existing slices and moves as few endpoints as it can.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/reconciler.go
 */
export function syncService(service: Service, pods: readonly Pod[], options: ReconcileOptions = {}): EndpointSlice[] | undefined {
  // TODO(kata 03): per address type, group endpoints by port list, cut into slices, name and label them.
  throw new Error('kata 03-endpoints: syncService (EndpointSlices) is not implemented yet — see lessons/03-endpoints.md')
}
