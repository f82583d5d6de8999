// Service storage: the API server's handler for Services (pkg/registry/core/service).
// On create it decodes and defaults the manifest (kata 01), brings clusterIP and
// clusterIPs in step (`normalizeClusterIPs`), allocates the cluster IP
// (kata 06) and node ports (kata 07) **before** validating (kata 01) — as the registry's
// BeginCreate does — and gives them back when validation fails, so a refused Service
// takes nothing. On update it keeps what was allocated (`patchAllocatedValues`), then
// brings clusterIP and clusterIPs in step again. Then the
// endpoints controller and the service controller (kata 08) hear of the change.
//
// Read it to see in which order katas 01, 06 and 07 run for one Service.
import type { Service } from 'kubernetes-types/core/v1'
import { newInternalError, StatusError } from '../../lib/api/errors.ts'
import { timestamp } from '../../lib/cluster/clock.ts'
import { extend } from '../../lib/object.ts'
import { setDefaultsService } from '../api/core/v1/defaults.ts'
import { validateService, validateServiceUpdate } from '../api/core/validation/validation.ts'
import { decodeService, type Manifest } from '../api/manifests.ts'
import { allocateServiceClusterIPs, releaseServiceClusterIPs } from '../registry/ipallocator.ts'
import { allocateServiceNodePorts, releaseServiceNodePorts, updateServiceNodePorts, type PortAllocator } from '../registry/portallocator.ts'
import {
  changed,
  invalidResult,
  keyOf,
  labelKey,
  metaKey,
  uid,
  type ApplyAction,
  type ApplyResult,
  type ClusterState,
  type ServiceVersion,
} from './storage.ts'
import { bump, copyControllerState } from './controllers.ts'

/** A Service manifest: decoded and defaulted (kata 01), then created or updated. */
export function applyService(s: ClusterState, m: Manifest, namespace: string): ApplyAction | ApplyResult {
  const decoded = decodeService({ ...m, object: { ...m.object, metadata: { ...m.object.metadata, namespace } } })
  const svc = setDefaultsService(decoded)
  // Stryker disable next-line OptionalChaining,StringLiteral: a Service reaching the registry has metadata; without a name it is new under any key, and validation refuses it
  const name = svc.metadata?.name ?? ''
  const key = keyOf(namespace, name)
  const old = s.serviceStore.get(key)
  return old ? updateService(s, old, svc) : createService(s, svc)
}

/**
 * Create: clusterIP and clusterIPs in step ({@link normalizeClusterIPs}), allocate (kata 06,
 * 07), then validate (kata 01); on failure give back what was taken.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/storage.go
 */
export function createService(s: ClusterState, svc: Service): ApplyAction | ApplyResult {
  // Stryker disable next-line OptionalChaining: a Service reaching the registry has metadata, its namespace set by applyService
  const name = svc.metadata?.name ?? ''
  // Stryker disable next-line OptionalChaining,StringLiteral: a Service reaching the registry has metadata, its namespace set by applyService
  const namespace = svc.metadata?.namespace ?? ''
  normalizeClusterIPs(svc, undefined)
  let withIP: Service
  try {
    withIP = allocateServiceClusterIPs(svc, s.ipRange)
  } catch (err) {
    if (err instanceof StatusError) throw err
    throw newInternalError((err as Error).message)
  }
  let stored: Service
  try {
    stored = allocateServiceNodePorts(withIP, s.portAlloc)
  } catch (err) {
    releaseServiceClusterIPs(withIP, s.ipRange)
    throw err
  }
  const errs = validateService(stored)
  if (errs.length) {
    releaseServiceClusterIPs(stored, s.ipRange)
    releaseServiceNodePorts(stored, s.portAlloc)
    return invalidResult('Service', name, namespace, errs)
  }
  // The API server drops a new object's status; a Service reads back `status: {loadBalancer: {}}`.
  // extend (lib/object.ts), not a spread: stored Services share one hidden class per shape.
  storeService(s, extend(stored, { metadata: extend(stored.metadata ?? {}, { uid: uid(s), creationTimestamp: timestamp(s.clock) }), status: { loadBalancer: {} } }), undefined)
  return 'created'
}

/**
 * Update: keep what was allocated, clusterIP and clusterIPs in step, allocate or release what
 * the new type needs, validate the update (kata 01). A Service turned ExternalName drops
 * clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy where they are as before
 * (`dropTypeDependentFields`); one it names anew is refused (`spec.ipFamilyPolicy: Forbidden:
 * may not be set for ExternalName services`).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/strategy.go
 */
export function updateService(s: ClusterState, old: Service, incoming: Service): ApplyAction | ApplyResult {
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored Service has metadata with its name and namespace
  const name = old.metadata?.name ?? ''
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored Service has metadata with its name and namespace
  const namespace = old.metadata?.namespace ?? ''
  const { status: _ignored, ...given } = structuredClone(incoming)
  let next: Service = {
    ...given,
    metadata: {
      ...given.metadata,
      // Stryker disable next-line OptionalChaining: a stored Service has metadata
      uid: old.metadata?.uid,
      // Stryker disable next-line OptionalChaining: a stored Service has metadata
      creationTimestamp: old.metadata?.creationTimestamp,
      // Stryker disable next-line OptionalChaining,ObjectLiteral,ArrayDeclaration: a stored Service has metadata; the finalizers an apply leaves out are the service controller's, which copyControllerState sets again
      ...(old.metadata?.finalizers ? { finalizers: [...old.metadata.finalizers] } : {}),
    },
    ...(old.status ? { status: structuredClone(old.status) } : {}),
  }
  patchAllocatedValues(next, old)
  normalizeClusterIPs(next, old)
  // Stryker disable next-line OptionalChaining: a stored Service has a spec
  const oldHasIP = old.spec?.type !== 'ExternalName'
  // Stryker disable next-line OptionalChaining: normalizeClusterIPs gave the new version a spec
  const newHasIP = next.spec?.type !== 'ExternalName'
  let allocatedIP = false
  if (!oldHasIP && newHasIP) {
    next = allocateServiceClusterIPs(next, s.ipRange)
    allocatedIP = true
  }
  if (oldHasIP && !newHasIP) {
    // dropTypeDependentFields (pkg/registry/core/service/strategy.go): an ExternalName Service
    // has no cluster IPs. What the user left as it was goes (the addresses are released
    // below); a value they changed stays, for validation to refuse.
    const spec = next.spec!
    // Stryker disable next-line OptionalChaining: a stored Service has a spec
    const oldSpec = old.spec ?? {}
    // normalizeClusterIPs has put clusterIP and clusterIPs in step: the same clusterIPs is sameClusterIPs.
    if (JSON.stringify(spec.clusterIPs) === JSON.stringify(oldSpec.clusterIPs)) {
      delete spec.clusterIP
      delete spec.clusterIPs
    }
    if (JSON.stringify(spec.ipFamilies) === JSON.stringify(oldSpec.ipFamilies)) delete spec.ipFamilies
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy
  }
  // Stryker disable next-line all: the service controller clears the load balancer's status of a Service that is no longer one too (copyControllerState), so no check can tell who did
  if (next.spec?.type !== 'LoadBalancer' && next.status?.loadBalancer) next = { ...next, status: { ...next.status, loadBalancer: {} } }
  let stored: Service
  try {
    stored = updateServiceNodePorts(old, next, s.portAlloc)
  } catch (err) {
    if (allocatedIP) releaseServiceClusterIPs(next, s.ipRange)
    throw err
  }
  const errs = validateServiceUpdate(stored, old)
  if (errs.length) {
    revertNodePorts(old, stored, s.portAlloc)
    if (allocatedIP) releaseServiceClusterIPs(stored, s.ipRange)
    return invalidResult('Service', name, namespace, errs)
  }
  if (oldHasIP && !newHasIP) releaseServiceClusterIPs(old, s.ipRange)
  storeService(s, stored, old)
  return 'configured'
}

/** Stores a Service version and tells the indexes and controllers. */
export function storeService(s: ClusterState, svc: Service, old: Service | undefined): void {
  const key = metaKey(svc)
  if (old) unindexService(s, old)
  s.serviceStore.set(key, svc)
  indexService(s, svc)
  s.seq++
  const prev = s.currentVersion.get(key)
  if (prev) prev.to = s.seq
  const version: ServiceVersion = { service: svc, from: s.seq, to: Infinity }
  s.serviceHistory.push(version)
  s.currentVersion.set(key, version)
  // Stryker disable next-line ConditionalExpression: the endpoints controller's updateService is its addService (kata 03)
  if (old) s.endpointsController.updateService(svc)
  else s.endpointsController.addService(svc)
  if (s.serviceController) {
    if (old) s.serviceController.updateService(svc)
    else s.serviceController.addService(svc)
    // Only LoadBalancer Services (or ones that were) get a status or a finalizer from it.
    // Stryker disable next-line OptionalChaining: a stored Service has a spec
    if (svc.spec?.type === 'LoadBalancer' || old?.spec?.type === 'LoadBalancer') copyControllerState(s, key)
  }
  bump(s, key)
  changed(s)
}

/** Deletes a Service: its cluster IP and node ports go back to their allocators. */
export function removeService(s: ClusterState, svc: Service): void {
  const key = metaKey(svc)
  releaseServiceClusterIPs(svc, s.ipRange)
  releaseServiceNodePorts(svc, s.portAlloc)
  unindexService(s, svc)
  s.serviceStore.delete(key)
  s.seq++
  const prev = s.currentVersion.get(key)
  // Stryker disable next-line ConditionalExpression: a stored Service always has a current version (storeService set it)
  if (prev) prev.to = s.seq
  s.currentVersion.delete(key)
  s.endpointsController.deleteService(svc)
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored Service has metadata with its name and namespace
  const namespace = svc.metadata?.namespace ?? ''
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored Service has metadata with its name and namespace
  const name = svc.metadata?.name ?? ''
  s.serviceController?.deleteService(namespace, name)
  s.lbServices.delete(key)
  bump(s, key)
  changed(s)
}

/** The Service's cluster IPs, external IPs, node ports and selector go into the indexes the data plane and the controllers look up. */
export function indexService(s: ClusterState, svc: Service): void {
  const key = metaKey(svc)
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored Service has metadata with its namespace
  const namespace = svc.metadata?.namespace ?? ''
  // Stryker disable next-line OptionalChaining: a stored Service has a spec
  for (const ip of svc.spec?.clusterIPs ?? []) if (ip !== 'None') s.clusterIPOwner.set(ip, key)
  // Stryker disable next-line OptionalChaining: a stored Service has a spec
  for (const ip of svc.spec?.externalIPs ?? []) {
    let owners = s.externalIPOwners.get(ip)
    if (!owners) s.externalIPOwners.set(ip, (owners = new Set()))
    owners.add(key)
  }
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored Service has a spec; a stand-in port has no nodePort
  for (const p of svc.spec?.ports ?? []) if (p.nodePort) s.nodePortOwner.set(p.nodePort, key)
  // Stryker disable next-line OptionalChaining: a stored Service has a spec
  if (svc.spec?.healthCheckNodePort) s.nodePortOwner.set(svc.spec.healthCheckNodePort, key)
  // Stryker disable next-line OptionalChaining: a stored Service has a spec
  if (svc.spec?.type === 'LoadBalancer') s.lbServices.add(key)
  // Stryker disable next-line OptionalChaining: a stored Service has a spec
  const selector = svc.spec?.selector
  if (selector == null) return
  let index = s.serviceSelectorIndex.get(namespace)
  if (!index) s.serviceSelectorIndex.set(namespace, (index = { byLabel: new Map(), matchAll: new Set() }))
  const first = Object.entries(selector)[0]
  if (!first) index.matchAll.add(key)
  else {
    const lk = labelKey(first[0], first[1])
    let set = index.byLabel.get(lk)
    if (!set) index.byLabel.set(lk, (set = new Set()))
    set.add(key)
  }
}

/** The opposite of {@link indexService}, for the version being replaced or deleted. */
export function unindexService(s: ClusterState, svc: Service): void {
  const key = metaKey(svc)
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored Service has a spec; a stand-in entry names no address the index holds
  for (const ip of svc.spec?.clusterIPs ?? []) if (s.clusterIPOwner.get(ip) === key) s.clusterIPOwner.delete(ip)
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored Service has a spec; a stand-in entry names no address the index holds
  for (const ip of svc.spec?.externalIPs ?? []) {
    const owners = s.externalIPOwners.get(ip)
    owners?.delete(key)
    if (owners?.size === 0) s.externalIPOwners.delete(ip)
  }
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored Service has a spec; a stand-in port has no nodePort
  for (const p of svc.spec?.ports ?? []) if (p.nodePort && s.nodePortOwner.get(p.nodePort) === key) s.nodePortOwner.delete(p.nodePort)
  // Stryker disable next-line OptionalChaining: a stored Service has a spec
  const hc = svc.spec?.healthCheckNodePort
  if (hc && s.nodePortOwner.get(hc) === key) s.nodePortOwner.delete(hc)
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored Service has metadata with its namespace
  const index = s.serviceSelectorIndex.get(svc.metadata?.namespace ?? '')
  if (!index) return
  index.matchAll.delete(key)
  for (const set of index.byLabel.values()) set.delete(key)
}

/**
 * `normalizeClusterIPs`: keeps `clusterIP` and `clusterIPs` in step before anyone looks at
 * them (the registry's first step on create and update), so that validation sees what the
 * user meant:
 *
 * 1. Create (`old` undefined): `clusterIP` set and `clusterIPs` empty → `clusterIPs:
 *    [clusterIP]` — also for an ExternalName Service, which validation then refuses
 *    (`spec.clusterIPs: Forbidden: may not be set for ExternalName services`).
 * 2. Update: `clusterIPs` left out (an older client) while `clusterIP` is unchanged → the
 *    old `clusterIPs`.
 * 3. Update with `clusterIP` changed and `clusterIPs` as before: cleared (`clusterIP`
 *    empty) → `clusterIPs` cleared too; changed → `clusterIPs: [clusterIP]` — so changing
 *    the address with `kubectl apply` is refused as `spec.clusterIPs[0]: Invalid value:
 *    ["10.96.0.21"]: may not change once set`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/storage.go
 */
export function normalizeClusterIPs(next: Service, old: Service | undefined): void {
  const spec = (next.spec ??= {})
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP]
    return
  }
  const oldSpec = old.spec ?? {}
  // Stryker disable next-line StringLiteral: a stored Service with clusterIPs has its clusterIP too
  if (oldSpec.clusterIPs?.length && !spec.clusterIPs?.length && (oldSpec.clusterIP ?? '') === (spec.clusterIP ?? '')) spec.clusterIPs = [...oldSpec.clusterIPs]
  if ((oldSpec.clusterIP ?? '') === (spec.clusterIP ?? '')) return
  // Stryker disable next-line StringLiteral: two lists of addresses of the service range run together only when they are the same
  const sameIPs = (oldSpec.clusterIPs ?? []).join(',') === (spec.clusterIPs ?? []).join(',')
  if (!sameIPs) return
  if (oldSpec.clusterIP && !spec.clusterIP) delete spec.clusterIPs
  else spec.clusterIPs = [spec.clusterIP!]
}

/**
 * `patchAllocatedValues`: an update that leaves out what the API server allocated (a
 * manifest never names its cluster IP or node ports) keeps the allocated values —
 * cluster IPs, each port's nodePort (matched by port name, unless another port now uses
 * it), healthCheckNodePort.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/storage.go
 */
export function patchAllocatedValues(next: Service, old: Service): void {
  const spec = (next.spec ??= {})
  const oldSpec = old.spec ?? {}
  // Stryker disable next-line OptionalChaining: a Service reaching the registry has a spec
  const needsClusterIP = (s: Service) => s.spec?.type !== 'ExternalName'
  if (needsClusterIP(old) && needsClusterIP(next)) {
    if (!spec.clusterIP) spec.clusterIP = oldSpec.clusterIP
    // Stryker disable next-line OptionalChaining: a stored Service that needs a cluster IP has clusterIPs
    if (!spec.clusterIPs?.length && oldSpec.clusterIPs?.length) spec.clusterIPs = [...oldSpec.clusterIPs]
    if (!spec.ipFamilies?.length && oldSpec.ipFamilies?.length) spec.ipFamilies = [...oldSpec.ipFamilies]
    spec.ipFamilyPolicy ??= oldSpec.ipFamilyPolicy
  }
  // Stryker disable next-line OptionalChaining: a Service reaching the registry has a spec
  const needsNodePort = (s: Service) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer'
  if (needsNodePort(old) && needsNodePort(next)) {
    // Stryker disable next-line OptionalChaining,ArrayDeclaration,MethodExpression: a Service reaching the registry has a spec; a 0 in both sets is never an old nodePort to give back
    const used = (s: Service) => new Set((s.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p !== 0))
    const newUsed = used(next)
    const taken = new Set([...used(old)].filter((p) => newUsed.has(p)))
    // Stryker disable next-line ArrayDeclaration: a stand-in port maps the empty name to no nodePort, as a missing one does
    const byName = new Map((oldSpec.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]))
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue
      const oldVal = byName.get(p.name ?? '') ?? 0
      if (oldVal !== 0 && !taken.has(oldVal)) p.nodePort = oldVal
    }
  }
  // Stryker disable next-line OptionalChaining: a Service reaching the registry has a spec
  const needsHC = (s: Service) => s.spec?.type === 'LoadBalancer' && s.spec?.externalTrafficPolicy === 'Local'
  if (needsHC(old) && needsHC(next) && !spec.healthCheckNodePort) spec.healthCheckNodePort = oldSpec.healthCheckNodePort
}

/** Undoes {@link updateServiceNodePorts} after a failed validation: new ports back, old ones taken again. */
export function revertNodePorts(old: Service, stored: Service, alloc: PortAllocator): void {
  const ports = (s: Service) =>
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored Service has a spec; a stand-in port has no nodePort
    new Set([...(s.spec?.ports ?? []).map((p) => p.nodePort ?? 0), s.spec?.healthCheckNodePort ?? 0].filter((p) => p !== 0))
  const before = ports(old)
  const after = ports(stored)
  for (const p of after) if (!before.has(p)) alloc.release(p)
  for (const p of before) {
    // Stryker disable next-line LogicalOperator: a port both versions name is held, and one only the old names was released by the update
    if (!after.has(p) && !alloc.has(p)) alloc.allocate(p)
  }
}
