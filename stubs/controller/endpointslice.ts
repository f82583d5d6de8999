// ────────────────────────────────────────────────────────────────────────
// Kata 03 · core path: you write
//   task 2 (endpoint-conditions): podToEndpoint
// Each is marked TODO(kata 03) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 03`.
// ────────────────────────────────────────────────────────────────────────
// The EndpointSlice controller: the same pods as the Endpoints object, but cut into
// slices of at most 100 endpoints, one set of slices per IP family, with per-endpoint
// conditions (ready, serving, terminating) — what kube-proxy and CoreDNS read today.
// @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/reconciler.go
// @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
import { isIPv6String } from '../../lib/net/ipint.ts'
import type { Node, Pod, PodSpec, PodStatus, Service, ServiceSpec } from 'kubernetes-types/core/v1'
import type { ObjectMeta } from 'kubernetes-types/meta/v1'
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

/** A Service has a cluster IP unless `clusterIP` is `None` (headless) or empty. */
function isServiceIPSet({ clusterIP }: ServiceSpec = {}): boolean {
  return !!clusterIP && clusterIP !== 'None'
}

/** The metadata of a stored object; the API server sets name, namespace and uid on every one. */
function meta(obj: { metadata?: ObjectMeta | undefined }): ObjectMeta & { name: string; namespace: string; uid: string } {
  const m = obj.metadata ?? {}
  const { name = '', namespace = '', uid = '' } = m
  return { ...m, name, namespace, uid }
}

/**
 * The address types a Service gets slices for (`getAddressTypesForService`): one per
 * entry of `spec.ipFamilies`, in order. Without `ipFamilies` (an old API server): the
 * family of the cluster IP, or both families for a headless Service.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function getAddressTypesForService(service: Service): AddressType[] {
  const spec = service.spec ?? {}
  // The API server allows only IPv4 and IPv6 here, each at most once.
  if (spec.ipFamilies?.length) return [...spec.ipFamilies] as AddressType[]
  if (isServiceIPSet(spec)) return [isIPv6String(spec.clusterIP) ? 'IPv6' : 'IPv4']
  return ['IPv4', 'IPv6']
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
  const ports: EndpointPort[] = []
  for (const servicePort of (service.spec ?? {}).ports ?? []) {
    let port: number
    try {
      port = findPort(pod, servicePort)
    } catch (err) {
      if (err instanceof NoSuitablePortError) continue
      throw err
    }
    ports.push({
      name: servicePort.name ?? '',
      port,
      protocol: servicePort.protocol ?? 'TCP',
      ...(servicePort.appProtocol !== undefined ? { appProtocol: servicePort.appProtocol } : {}),
    })
  }
  return ports
}

/**
 * The pod's IPs of one address type (`getEndpointAddresses`): every `status.podIPs[]`
 * entry of that family, in order; `[]` when it has none.
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/utils.go
 */
export function getEndpointAddresses(podStatus: PodStatus | undefined, addressType: AddressType): string[] {
  const ipv6 = addressType === 'IPv6'
  // Every podIPs entry has an ip: the API server validates it as an IP address.
  return podStatus?.podIPs?.map((p) => p.ip!).filter((ip) => isIPv6String(ip) === ipv6) ?? []
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
  // TODO(kata 03, task 2): the three conditions first, then addresses, targetRef, nodeName, zone, hostname.
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
  const reserved = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, IS_HEADLESS_SERVICE])
  const labels: Record<string, string> = {}
  const { labels: own = {}, name } = meta(service)
  for (const [k, v] of Object.entries(own)) if (!reserved.has(k)) labels[k] = v
  if (!isServiceIPSet(service.spec)) labels[IS_HEADLESS_SERVICE] = ''
  labels[LABEL_SERVICE_NAME] = name
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME
  return labels
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
  const spec = service.spec ?? {}
  if (spec.type === 'ExternalName') return undefined
  const selectorSet = spec.selector
  if (selectorSet == null) return undefined

  const max = options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxEndpointsPerSlice must be a whole number ≥ 1, got ${max}`)
  const random = options.random ?? new Random()
  // Keyed by name or undefined, so that an unscheduled pod's missing nodeName finds no node.
  const nodes = options.nodes && new Map<string | undefined, Node>(options.nodes.map((n) => [meta(n).name, n]))
  const { namespace, name, uid } = meta(service)
  const selector = selectorFromSet(selectorSet)
  const publishNotReady = spec.publishNotReadyAddresses === true

  const candidates = pods
    .filter((p) => meta(p).namespace === namespace && selector.matches(meta(p).labels))
    .filter((p) => shouldPodBeInEndpoints(p, true))
    .sort((a, b) => (meta(a).name < meta(b).name ? -1 : 1))

  const prefix = `${name}-`
  const newSlice = (addressType: AddressType, ports: EndpointPort[], endpoints: Endpoint[]): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: generateName(prefix, random),
      generateName: prefix,
      namespace,
      labels: setEndpointSliceLabels(service),
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name, uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    addressType,
    endpoints,
    ports,
  })

  const slices: EndpointSlice[] = []
  for (const addressType of getAddressTypesForService(service)) {
    // Port-list key → that list and the endpoints that share it, in order of appearance.
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>()
    for (const pod of candidates) {
      let node: Node | undefined
      if (nodes) {
        node = nodes.get((pod.spec ?? ({} as Partial<PodSpec>)).nodeName)
        if (!node && !publishNotReady) continue
      }
      const endpoint = podToEndpoint(pod, service, addressType, node)
      if (endpoint.addresses.length === 0) continue
      const ports = getEndpointPorts(service, pod)
      // Every pod's list follows the Service's port order, with fields in one order.
      const key = JSON.stringify(ports)
      let group = groups.get(key)
      if (!group) groups.set(key, (group = { ports, endpoints: [] }))
      group.endpoints.push(endpoint)
    }
    const before = slices.length
    for (const { ports, endpoints } of groups.values()) {
      for (let i = 0; i < endpoints.length; i += max) {
        slices.push(newSlice(addressType, ports.map((p) => ({ ...p })), endpoints.slice(i, i + max)))
      }
    }
    if (slices.length === before) slices.push(newSlice(addressType, [], []))
  }
  return slices
}
