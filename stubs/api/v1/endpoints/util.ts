// ────────────────────────────────────────────────────────────────────────
// Kata 03 · core path: you write
//   task 1 (repack-subsets): lessEndpointAddress, sortSubsets and repackSubsets
// Each is marked TODO(kata 03) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 03`.
// ────────────────────────────────────────────────────────────────────────
// The canonical layout of an Endpoints object's subsets: every controller and the API
// server repack subsets the same way, so two Endpoints can be compared for equality.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1'

/**
 * The order of addresses in a subset (`LessEndpointAddress`):
 * 1. by IP as a string, byte by byte — so `10.0.0.10` sorts before `10.0.0.2`;
 * 2. then an address without `targetRef` first;
 * 3. then by `targetRef.uid`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
 */
export function lessEndpointAddress(a: EndpointAddress, b: EndpointAddress): boolean {
  // TODO(kata 03, task 1): compare the IP strings, then targetRef presence, then targetRef.uid.
  throw new Error('kata 03-endpoints: lessEndpointAddress is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * Sorts subsets in place and returns them (`SortSubsets`): the addresses and not-ready
 * addresses of each subset by {@link lessEndpointAddress}, then ports and subsets in a
 * fixed order (see the note above: Kubernetes' own order is a hash order).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
 */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  // TODO(kata 03, task 1): sort addresses and notReadyAddresses of each subset, then ports, then the subsets.
  throw new Error('kata 03-endpoints: sortSubsets is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * Rewrites subsets into the canonical layout (`RepackSubsets`); the input is not changed.
 *
 * 1. Expand every subset into (address, port, ready) triples. Addresses are the same
 *    when their IP and `targetRef.uid` are (no `targetRef` = UID ""); the first address
 *    seen for a key is the one kept, with all its fields.
 * 2. For one (address, port): **not ready trumps ready** — once seen in
 *    `notReadyAddresses`, it stays not ready.
 * 3. Ports served by exactly the same addresses, with the same readiness, share one
 *    subset; a port offered by different pods gets a subset of its own.
 * 4. Addresses of a subset without ports are kept, in a subset without ports (a headless
 *    Service may have no ports; since Kubernetes 1.12, kubernetes/kubernetes#67622).
 *    Subsets without addresses vanish.
 * 5. Sort with {@link sortSubsets}.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  // TODO(kata 03, task 1): map (ip, uid) → address and port → {address → ready}; group ports with equal maps.
  throw new Error('kata 03-endpoints: repackSubsets is not implemented yet — see lessons/03-endpoints.md')
}
