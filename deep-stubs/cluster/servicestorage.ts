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
import type { Manifest } from '../api/manifests.ts'
import type { PortAllocator } from '../registry/portallocator.ts'
import type { ApplyAction, ApplyResult, ClusterState } from './storage.ts'

/** A Service manifest: decoded and defaulted (kata 01), then created or updated. */
export function applyService(s: ClusterState, m: Manifest, namespace: string): ApplyAction | ApplyResult {
  // TODO(kata 09): decodeService and setDefaultsService (kata 01), then create or update.
  throw new Error('kata 09-whole-route: applyService is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * Create: clusterIP and clusterIPs in step ({@link normalizeClusterIPs}), allocate (kata 06,
 * 07), then validate (kata 01); on failure give back what was taken.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/storage.go
 */
export function createService(s: ClusterState, svc: Service): ApplyAction | ApplyResult {
  // TODO(kata 09): normalizeClusterIPs, allocate cluster IPs (kata 06) and node ports (kata 07), validate (kata 01), release on failure, store.
  throw new Error('kata 09-whole-route: createService is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): keep uid, finalizers, status; patchAllocatedValues, normalizeClusterIPs; IPs for type changes; update node ports; validateServiceUpdate.
  throw new Error('kata 09-whole-route: updateService is not implemented yet — see lessons/09-whole-route.md')
}

/** Stores a Service version and tells the indexes and controllers. */
export function storeService(s: ClusterState, svc: Service, old: Service | undefined): void {
  // TODO(kata 09): re-index, record the version (for env), tell the endpoints and service controllers, copy LoadBalancer status.
  throw new Error('kata 09-whole-route: storeService is not implemented yet — see lessons/09-whole-route.md')
}

/** Deletes a Service: its cluster IP and node ports go back to their allocators. */
export function removeService(s: ClusterState, svc: Service): void {
  // TODO(kata 09): release IPs and ports, unindex, end its version, tell the controllers.
  throw new Error('kata 09-whole-route: removeService is not implemented yet — see lessons/09-whole-route.md')
}

/** The Service's cluster IPs, external IPs, node ports and selector go into the indexes the data plane and the controllers look up. */
export function indexService(s: ClusterState, svc: Service): void {
  // TODO(kata 09): its cluster IPs, external IPs, nodePorts, healthCheckNodePort, LoadBalancer type and first selector label into the indexes.
  throw new Error('kata 09-whole-route: indexService is not implemented yet — see lessons/09-whole-route.md')
}

/** The opposite of {@link indexService}, for the version being replaced or deleted. */
export function unindexService(s: ClusterState, svc: Service): void {
  // TODO(kata 09): the opposite of indexService.
  throw new Error('kata 09-whole-route: unindexService is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): on create copy clusterIP into an empty clusterIPs; on update restore left-out clusterIPs, follow a changed clusterIP.
  throw new Error('kata 09-whole-route: normalizeClusterIPs is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): copy the old cluster IPs, nodePorts (by port name, unless now used by another port) and healthCheckNodePort into `next` where it has none.
  throw new Error('kata 09-whole-route: patchAllocatedValues is not implemented yet — see lessons/09-whole-route.md')
}

/** Undoes {@link updateServiceNodePorts} after a failed validation: new ports back, old ones taken again. */
export function revertNodePorts(old: Service, stored: Service, alloc: PortAllocator): void {
  // TODO(kata 09): give back the ports the update took, take again the ones it released.
  throw new Error('kata 09-whole-route: revertNodePorts is not implemented yet — see lessons/09-whole-route.md')
}
