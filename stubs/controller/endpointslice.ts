// ────────────────────────────────────────────────────────────────────────
// Kata 03 · core path: you write
//   task 1 (repack-subsets): getAddressTypesForService, getEndpointPorts, podToEndpoint, setEndpointSliceLabels and syncService
// Each is marked TODO(kata 03) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 03`.
// ────────────────────────────────────────────────────────────────────────
// The EndpointSlice controller: the same pods as the Endpoints object, but cut into
// slices of at most 100 endpoints, one set of slices per IP family, with per-endpoint
// conditions (ready, serving, terminating) — what kube-proxy and CoreDNS read today.
// @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/reconciler.go
// @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
import { isIPv6String } from '../../lib/net/ipint.ts'
import type { Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1'
import { Random } from '../../lib/random.ts'
import { generateName } from '../../lib/storage/names.ts'
import { findPort, isPodReady, NoSuitablePortError } from '../api/v1/pod/util.ts'
import { selectorFromSet } from '../labels/selector.ts'
import { IS_HEADLESS_SERVICE, shouldPodBeInEndpoints, shouldSetHostname } from './endpoints.ts'

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
  // TODO(kata 03, task 1): spec.ipFamilies, with the two fallbacks.
  throw new Error('kata 03-endpoints: getAddressTypesForService is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * The ports of one pod's endpoint (`getEndpointPorts`): for each Service port that
 * {@link findPort} resolves on this pod, `{name, port, protocol, appProtocol}` with
 * `name` always present (`""` for an unnamed port) and the pod's **target** port. A
 * named port the pod lacks is simply missing from the list.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function getEndpointPorts(service: Service, pod: Pod): EndpointPort[] {
  // TODO(kata 03, task 1): findPort for each Service port; skip the ones that fail.
  throw new Error('kata 03-endpoints: getEndpointPorts is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * One pod as an endpoint of a slice of `addressType` (`podToEndpoint`):
 * - `addresses`: the pod's `status.podIPs` of that family (none → the pod is left out);
 * - `conditions.serving` = the pod is Ready; `conditions.terminating` = it has a
 *   `deletionTimestamp`; `conditions.ready` = `publishNotReadyAddresses || (serving && !terminating)`;
 * - `targetRef` = the pod, `nodeName` when scheduled, `zone` from the node's
 *   `topology.kubernetes.io/zone` label, `hostname` under the same rule as Endpoints.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function podToEndpoint(pod: Pod, service: Service, addressType: AddressType, node?: Node): Endpoint {
  // TODO(kata 03, task 1): addresses of the family, the three conditions, targetRef, nodeName, zone, hostname.
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
  // TODO(kata 03, task 1): copy the Service's labels minus the reserved keys, then set the reserved ones.
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
 * Simplified: the real reconciler starts from the existing slices and moves as few
 * endpoints as it can; this model packs from scratch, pods sorted by name, in a fixed order.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/reconciler.go
 */
export function syncService(service: Service, pods: readonly Pod[], options: ReconcileOptions = {}): EndpointSlice[] | undefined {
  // TODO(kata 03, task 1): per address type, group endpoints by port list, cut into slices, name and label them.
  throw new Error('kata 03-endpoints: syncService (EndpointSlices) is not implemented yet — see lessons/03-endpoints.md')
}
