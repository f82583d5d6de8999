// ────────────────────────────────────────────────────────────────────────
// Kata 03 · core path: you write
//   task 1 (sync-service): syncService
// Each is marked TODO(kata 03) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 03`.
// ────────────────────────────────────────────────────────────────────────
// The endpoints controller: for every Service with a selector, an Endpoints object of
// the same name listing the IP and ports of each pod the selector matches, ready pods
// in `addresses` and the others in `notReadyAddresses`.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpoint/endpoints_controller.go
import { isIPv6String } from '../../lib/net/ipint.ts'
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, PodSpec, Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1'
import type { ObjectMeta } from 'kubernetes-types/meta/v1'
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

/** A Service has a cluster IP unless `clusterIP` is `None` (headless) or empty. */
function isServiceIPSet({ clusterIP }: ServiceSpec = {}): boolean {
  return !!clusterIP && clusterIP !== 'None'
}

/**
 * Name, namespace, UID and labels of a stored object. The API server sets the first
 * three on every object; the defaults only keep the types plain.
 */
function objectMeta(obj: { metadata?: ObjectMeta | undefined }): Required<Pick<ObjectMeta, 'namespace' | 'name' | 'uid' | 'labels' | 'annotations'>> & Pick<ObjectMeta, 'creationTimestamp'> {
  const m = obj.metadata ?? {}
  const { namespace = '', name = '', uid = '' } = m
  return { namespace, name, uid, labels: m.labels ?? {}, annotations: m.annotations ?? {}, creationTimestamp: m.creationTimestamp }
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
  const { status = {}, metadata = {} } = pod
  if (isPodTerminal(pod)) return false
  if (!status.podIP && !status.podIPs?.length) return false
  if (!includeTerminating && metadata.deletionTimestamp != null) return false
  return true
}

/**
 * Whether an address gets the pod's `hostname` (`ShouldSetHostname`): the pod sets
 * `spec.hostname`, its `spec.subdomain` is this Service's name, and both live in the same
 * namespace. This is what makes `<hostname>.<service>.<ns>.svc` resolve (StatefulSets).
 *
 * @see https://github.com/kubernetes/endpointslice/blob/kubernetes-1.34.0/util/controller_utils.go
 */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  const spec: Partial<PodSpec> = pod.spec ?? {}
  const svc = objectMeta(service)
  return !!spec.hostname && spec.subdomain === svc.name && svc.namespace === objectMeta(pod).namespace
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
  const { spec: svcSpec = {} } = service
  const { status = {} } = pod
  const spec: Partial<PodSpec> = pod.spec ?? {}
  let ipv6: boolean
  const family = svcSpec.ipFamilies?.[0]
  if (family) ipv6 = family === 'IPv6'
  else if (isServiceIPSet(svcSpec)) ipv6 = isIPv6String(svcSpec.clusterIP)
  else ipv6 = isIPv6String(status.podIP)

  const ip = status.podIPs?.find((p) => isIPv6String(p.ip) === ipv6)?.ip
  if (!ip) throw new NoMatchingEndpointError(objectMeta(service).name)
  const { namespace, name, uid } = objectMeta(pod)
  return { ip, nodeName: spec.nodeName ?? '', targetRef: { kind: 'Pod', namespace, name, uid } }
}

/**
 * The port of an endpoint (`endpointPortFromServicePort`): the Service port's `name`
 * (left out when unnamed), `protocol` (`TCP` when unset) and `appProtocol`, with the
 * pod's port number `port`.
 */
export function endpointPortFromServicePort(servicePort: ServicePort, port: number): EndpointPort {
  // Not a literal that starts with a spread: each of those gets a hidden class of its own.
  return Object.assign(
    servicePort.name ? { name: servicePort.name } : {},
    { port, protocol: servicePort.protocol ?? 'TCP' },
    servicePort.appProtocol !== undefined ? { appProtocol: servicePort.appProtocol } : {},
  )
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
  const subsets = endpoints.subsets
  if (!subsets) return false
  let totalReady = 0
  let totalNotReady = 0
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0
    totalNotReady += s.notReadyAddresses?.length ?? 0
  }
  if (totalReady + totalNotReady <= MAX_CAPACITY) return false

  const truncateReady = totalReady > MAX_CAPACITY
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady
  const numTotal = truncateReady ? totalReady : totalNotReady
  let canBeAdded = max
  for (const subset of subsets) {
    const inSubset = (truncateReady ? subset.addresses?.length : subset.notReadyAddresses?.length) ?? 0
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded)
    if (truncateReady) {
      subset.addresses = subset.addresses?.slice(0, toBeAdded) ?? []
      subset.notReadyAddresses = []
      canBeAdded -= subset.addresses.length
    } else {
      subset.notReadyAddresses = subset.notReadyAddresses?.slice(0, toBeAdded) ?? []
      canBeAdded -= subset.notReadyAddresses.length
    }
  }
  return true
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
  const { name, namespace, labels: serviceLabels } = objectMeta(service)
  const labels: Record<string, string> = { ...serviceLabels }
  if (isServiceIPSet(service.spec)) delete labels[IS_HEADLESS_SERVICE]
  else labels[IS_HEADLESS_SERVICE] = ''
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME

  const currentMeta = options.current?.metadata ?? {}
  const annotations: Record<string, string> = { ...currentMeta.annotations }
  if (options.triggerTime) annotations[ENDPOINTS_LAST_CHANGE_TRIGGER_TIME] = options.triggerTime
  else delete annotations[ENDPOINTS_LAST_CHANGE_TRIGGER_TIME]

  const endpoints: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { ...currentMeta, name, namespace, labels },
    subsets: repackSubsets(subsets),
  }
  if (truncateEndpoints(endpoints)) annotations[ENDPOINTS_OVER_CAPACITY] = TRUNCATED
  else delete annotations[ENDPOINTS_OVER_CAPACITY]
  if (Object.keys(annotations).length > 0) endpoints.metadata!.annotations = annotations
  else delete endpoints.metadata!.annotations
  return endpoints
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
  // TODO(kata 03, task 1): for each pod of the namespace the selector matches: skip, or one subset per Service port.
  throw new Error('kata 03-endpoints: syncService is not implemented yet — see lessons/03-endpoints.md')
}

/** Go's RFC3339Nano in UTC: `2026-01-01T00:00:00Z`, `2026-01-01T00:00:00.5Z`. */
function formatRFC3339Nano(ms: number): string {
  // Trailing zeros of the fraction go, and the dot with them when nothing is left.
  return new Date(ms).toISOString().replace(/\.?0*Z/, 'Z')
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
    const known = this.states.get(key)
    const last = known ?? { pods: new Map<string, number>(), service: 0 }
    let minChanged = Infinity
    const podTimes = new Map<string, number>()
    for (const pod of pods) {
      const { status = {} } = pod
      // A pod without a Ready transition counts as time 0: never a change.
      const t = parseTime(status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime)
      const { name } = objectMeta(pod)
      podTimes.set(name, t)
      if (t > (last.pods.get(name) ?? 0)) minChanged = Math.min(minChanged, t)
    }
    const serviceTime = parseTime(objectMeta(service).creationTimestamp)
    if (serviceTime > last.service) minChanged = Math.min(minChanged, serviceTime)
    this.states.set(key, { pods: podTimes, service: serviceTime })
    // A new Service: its creationTimestamp, which the API server always sets.
    if (!known) return formatRFC3339Nano(serviceTime)
    return minChanged === Infinity ? undefined : formatRFC3339Nano(minChanged)
  }

  delete(key: string): void {
    this.states.delete(key)
  }
}

interface ServiceEntry {
  service: Service
  /** `undefined` for a Service without selector: it selects nothing and is not indexed. */
  selector: Selector | undefined
  /** Where the Service sits in its namespace's {@link SelectorIndex}: a label key, or `null` for the selector `{}`. */
  indexKey: string | null
  /** Pods of the namespace its selector matches, by name. */
  members: Map<string, Pod>
}

/**
 * The Services of one namespace by one `key=value` of their selector, so that a pod
 * event only checks the Services that could match its labels — not every Service of
 * the namespace (Kubernetes lists them all; fine for its informer cache, slow here).
 * Only Services with a selector are indexed, and a deleted or replaced Service leaves it
 * at once: a stale name here would be a bug, so lookups assert it.
 */
interface SelectorIndex {
  /** {@link labelKey} of a selector's first requirement → Service names. */
  byLabel: Map<string, Set<string>>
  /** Services whose selector is `{}`: they match every pod. */
  matchAll: Set<string>
}

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
  private readonly memberships = new Map<string, string[]>()
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
    if (this.pending) {
      changes()
      return
    }
    this.pending = new Set()
    try {
      changes()
    } finally {
      const keys = this.pending
      this.pending = undefined
      for (const key of keys) {
        const slash = key.indexOf('/')
        this.sync(key.slice(0, slash), key.slice(slash + 1))
      }
    }
  }

  addPod(pod: Pod): void {
    const { namespace, name } = objectMeta(pod)
    let byName = this.pods.get(namespace)
    if (!byName) this.pods.set(namespace, (byName = new Map()))
    byName.set(name, pod)
    const key = keyOf(namespace, name)
    const before = this.memberships.get(key) ?? []
    const after = this.matchingServices(namespace, pod)
    for (const entry of after.values()) entry.members.set(name, pod)
    this.memberships.set(key, [...after.keys()])
    for (const svc of after.keys()) this.sync(namespace, svc)
    // The Services that no longer select it lose it.
    for (const svc of before) {
      if (after.has(svc)) continue
      this.services.get(namespace)!.get(svc)!.members.delete(name)
      this.sync(namespace, svc)
    }
  }

  /** The pod changed (labels, readiness, IPs, deletionTimestamp …); `pod` is its new version. */
  updatePod(pod: Pod): void {
    this.addPod(pod)
  }

  deletePod(pod: Pod): void {
    const { namespace, name } = objectMeta(pod)
    this.pods.get(namespace)?.delete(name)
    const key = keyOf(namespace, name)
    const before = this.memberships.get(key) ?? []
    this.memberships.delete(key)
    for (const svc of before) {
      this.services.get(namespace)!.get(svc)!.members.delete(name)
      this.sync(namespace, svc)
    }
  }

  addService(service: Service): void {
    const { namespace, name } = objectMeta(service)
    let entries = this.services.get(namespace)
    if (!entries) this.services.set(namespace, (entries = new Map()))
    this.forgetMembers(namespace, name)
    this.unindex(namespace, name)
    const { selector: selectorSet } = service.spec ?? {}
    const entry: ServiceEntry = { service, selector: undefined, indexKey: null, members: new Map() }
    entries.set(name, entry)
    if (selectorSet != null) {
      entry.selector = selectorFromSet(selectorSet)
      const first = Object.entries(selectorSet)[0]
      entry.indexKey = first ? labelKey(first[0], first[1]) : null
      this.reindex(namespace, name, entry.indexKey)
      const pods = this.pods.get(namespace)
      if (pods) {
        for (const [podName, pod] of pods) {
          if (!entry.selector.matches(objectMeta(pod).labels)) continue
          entry.members.set(podName, pod)
          this.memberships.get(keyOf(namespace, podName))!.push(name)
        }
      }
    }
    this.sync(namespace, name)
  }

  updateService(service: Service): void {
    this.addService(service)
  }

  deleteService(service: Service): void {
    const { namespace, name } = objectMeta(service)
    this.forgetMembers(namespace, name)
    this.unindex(namespace, name)
    this.services.get(namespace)?.delete(name)
    this.sync(namespace, name)
  }

  /** A user writes an Endpoints object (`kubectl apply`). The controller does not react. */
  applyEndpoints(endpoints: Endpoints): void {
    const { namespace, name } = objectMeta(endpoints)
    this.store.set(keyOf(namespace, name), endpoints)
  }

  /** A user deletes an Endpoints object; the controller re-syncs that Service (and so recreates managed ones). */
  deleteEndpoints(namespace: string, name: string): void {
    this.store.delete(keyOf(namespace, name))
    this.sync(namespace, name)
  }

  /** The Endpoints `namespace/name`, if any. Treat it as read-only. */
  get(namespace: string, name: string): Endpoints | undefined {
    return this.store.get(keyOf(namespace, name))
  }

  /** Every Endpoints object (of one namespace if given), by namespace and name. */
  list(namespace?: string): Endpoints[] {
    // Keys are `namespace/name`: their code-point order is by namespace, then name.
    return [...this.store.keys()]
      .sort()
      .map((key) => this.store.get(key)!)
      .filter((e) => namespace === undefined || objectMeta(e).namespace === namespace)
  }

  /** The Services of `namespace` whose selector matches the pod's labels, by name. */
  private matchingServices(namespace: string, pod: Pod): Map<string, ServiceEntry> {
    const found = new Map<string, ServiceEntry>()
    const index = this.indexes.get(namespace)
    if (!index) return found
    const entries = this.services.get(namespace)!
    const { labels } = objectMeta(pod)
    const check = (name: string) => {
      const entry = entries.get(name)!
      if (entry.selector!.matches(labels)) found.set(name, entry)
    }
    for (const name of index.matchAll) check(name)
    for (const [k, v] of Object.entries(labels)) {
      for (const name of index.byLabel.get(labelKey(k, v)) ?? []) check(name)
    }
    return found
  }

  private reindex(namespace: string, name: string, key: string | null): void {
    let index = this.indexes.get(namespace)
    if (!index) this.indexes.set(namespace, (index = { byLabel: new Map(), matchAll: new Set() }))
    if (key === null) {
      index.matchAll.add(name)
      return
    }
    let names = index.byLabel.get(key)
    if (!names) index.byLabel.set(key, (names = new Set()))
    names.add(name)
  }

  private unindex(namespace: string, name: string): void {
    const entry = this.services.get(namespace)?.get(name)
    if (!entry?.selector) return
    const index = this.indexes.get(namespace)!
    if (entry.indexKey === null) index.matchAll.delete(name)
    else index.byLabel.get(entry.indexKey)!.delete(name)
  }

  private forgetMembers(namespace: string, service: string): void {
    const entry = this.services.get(namespace)?.get(service)
    if (!entry) return
    for (const podName of entry.members.keys()) {
      const services = this.memberships.get(keyOf(namespace, podName))!
      services.splice(services.indexOf(service), 1)
    }
  }

  private sync(namespace: string, name: string): void {
    const key = keyOf(namespace, name)
    if (this.pending) {
      this.pending.add(key)
      return
    }
    const entry = this.services.get(namespace)?.get(name)
    if (!entry) {
      // The Service is gone: so are its Endpoints.
      this.store.delete(key)
      this.triggerTimes.delete(key)
      return
    }
    const service = entry.service
    const { type } = service.spec ?? {}
    // As in Kubernetes, these return before the trigger-time tracker sees the Service.
    if (type === 'ExternalName' || !entry.selector) return
    const pods = [...entry.members.values()]
    const triggerTime = this.triggerTimes.compute(key, service, pods)
    const current = this.store.get(key)
    // Never undefined: ExternalName and selector-less Services returned above.
    const desired = syncService(service, pods, { current, triggerTime })!
    if (current && unchanged(current, desired, service)) return
    this.store.set(key, desired)
  }
}

/** The comparison `syncService` makes before writing: subsets, labels and the capacity annotation. */
function unchanged(current: Endpoints, desired: Endpoints, service: Service): boolean {
  const meta = objectMeta(current)
  const labels = { ...meta.labels }
  delete labels[IS_HEADLESS_SERVICE]
  delete labels[LABEL_MANAGED_BY]
  // Kubernetes also rewrites Endpoints over 1000 addresses; here desired is truncated, so
  // current subsets equal to it never are, and the annotation check says the rest.
  return (
    sameRecord(labels, objectMeta(service).labels) &&
    meta.annotations[ENDPOINTS_OVER_CAPACITY] === undefined &&
    deepEqual(current.subsets ?? [], desired.subsets)
  )
}

/** Structural equality of JSON-like values (what Go's semantic DeepEqual compares here). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (a === null || b === null) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k])
}
