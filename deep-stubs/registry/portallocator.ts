// The node-port allocator: the API server gives every port of a NodePort or
// LoadBalancer Service a port number out of `--service-node-port-range`
// (default 30000-32767) — the same number on every node of the cluster.
//
// Simplified: no snapshots, no dry run.
//
// Given: lib/random.ts (seeded Random), lib/field (field errors) and lib/api/errors.ts
// (newInvalid, newInternalError: the API server's StatusError).
import type { Service, ServicePort } from 'kubernetes-types/core/v1'
import { newInternalError, newInvalid } from '../../lib/api/errors.ts'
import { NODE_PORT_RANGE } from '../../lib/cluster/defaults.ts'
import { invalid } from '../../lib/field/errors.ts'
import { newPath } from '../../lib/field/path.ts'
import { DEFAULT_SEED, Random } from '../../lib/random.ts'
import { needsHealthCheck } from '../api/core/v1/defaults.ts'

/** `ErrFull`: every port of the range is taken. */
export class ErrFull extends Error {
  override name = 'ErrFull'
  constructor() {
    super('range is full')
  }
}

/** `ErrAllocated`: the requested port is already some Service's nodePort. */
export class ErrAllocated extends Error {
  override name = 'ErrAllocated'
  constructor() {
    super('provided port is already allocated')
  }
}

/**
 * `ErrNotInRange`: the requested port is outside `--service-node-port-range`.
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/portallocator/allocator.go
 */
export class ErrNotInRange extends Error {
  override name = 'ErrNotInRange'
  constructor(
    /** The range as `net.PortRange.String()` prints it: `30000-32767`. */
    readonly validPorts: string,
  ) {
    super(`provided port is not in the valid range. The range of valid ports is ${validPorts}`)
  }
}

/** `net.PortRange`: `size` ports starting at `base`. */
export interface PortRange {
  base: number
  size: number
}

/** `PortRange.String()`: `30000-32767` (`""` for an empty range). */
export function formatPortRange(pr: PortRange): string {
  // TODO(kata 07): "<base>-<base+size-1>", "" for an empty range.
  throw new Error('kata 07-nodeport: formatPortRange is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * `ParsePortRange` (`PortRange.Set` of k8s.io/apimachinery/pkg/util/net): `30000-32767`,
 * `30000+2767` or a single port `30000`, trimmed; `""` is the empty range. The errors are
 * Go's, word for word:
 * - a part that is no number: `strconv.Atoi: parsing "a": invalid syntax` (`"30000-"`
 *   parses `""`), or one too big for a Go `int`: `strconv.Atoi: parsing "…": value out of range`;
 * - both `-` and `+`: `unable to parse port range: <text>`;
 * - a port above 65535: `the port range cannot be greater than 65535: <text>`;
 * - an end below the start: `end port cannot be less than start port: <text>`.
 *
 * @throws {Error} with the message of `PortRange.Set`
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apimachinery/pkg/util/net/port_range.go
 */
export function parsePortRange(text: string): PortRange {
  // TODO(kata 07): "a-b", "a+offset" or "a" (trimmed; "" is the empty range), with Go's errors above.
  throw new Error('kata 07-nodeport: parsePortRange is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * `calculateRangeOffset`: the size of the static band, `min(max(16, size/32), 128)`,
 * 0 for a range of 16 ports or fewer (KEP-3668, GA in 1.29). The default range of 2768
 * ports gives 86: static band 30000–30085, dynamic allocation prefers 30086–32767.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/portallocator/allocator.go
 */
export function calculateRangeOffset(pr: PortRange): number {
  // TODO(kata 07): min(max(16, size/32), 128), 0 when the size is 16 or less.
  throw new Error('kata 07-nodeport: calculateRangeOffset is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * A node-port range (`PortAllocator` over an `AllocationBitmap` with offset).
 *
 * Rules:
 * 1. `allocate(port)` takes a requested port anywhere in the range.
 * 2. `allocateNext()` picks a **random** free port of the upper band
 *    `[base + offset, base + size)` (random start, scan forward, wrap in the band) and
 *    only when that band is full, the same way in the lower band ({@link calculateRangeOffset}).
 * 3. `release(port)` of a free or out-of-range port does nothing.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/portallocator/allocator.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/allocator/bitmap.go
 */
export class PortAllocator {
  readonly portRange: PortRange = { base: 0, size: 0 }
  /** Size of the lower (static) band. */
  readonly offset: number = 0

  /**
   * `NewInMemory(portRange)`.
   * @param portRange default `30000-32767` (lib/cluster/defaults `NODE_PORT_RANGE`)
   * @param seed seeds the random choice of `allocateNext` (default 42)
   */
  constructor(portRange: PortRange = NODE_PORT_RANGE, seed: number = DEFAULT_SEED) {
    // TODO(kata 07): keep the range, compute the offset, set up the bitmap and a seeded Random.
    throw new Error('kata 07-nodeport: new PortAllocator is not implemented yet — see lessons/07-nodeport.md')
  }

  /**
   * `Allocate`: reserves the requested port.
   * @throws {ErrNotInRange} outside the range
   * @throws {ErrAllocated} already taken
   */
  allocate(port: number): void {
    // TODO(kata 07): refuse ports outside the range and taken ones; take it.
    throw new Error('kata 07-nodeport: PortAllocator.allocate is not implemented yet — see lessons/07-nodeport.md')
  }

  /**
   * `AllocateNext`: reserves a random free port, upper band first.
   * @throws {ErrFull} when no port is free
   */
  allocateNext(): number {
    // TODO(kata 07): random start in [offset, size), scan forward with wrap-around; then [0, offset).
    throw new Error('kata 07-nodeport: PortAllocator.allocateNext is not implemented yet — see lessons/07-nodeport.md')
  }

  /** `Release`: frees a port; a free or out-of-range port is ignored. */
  release(port: number): void {
    // TODO(kata 07): free the port if it is in range and taken.
    throw new Error('kata 07-nodeport: PortAllocator.release is not implemented yet — see lessons/07-nodeport.md')
  }

  /** `Has`: whether the port is taken. */
  has(port: number): boolean {
    // TODO(kata 07): whether the port is in range and taken.
    throw new Error('kata 07-nodeport: PortAllocator.has is not implemented yet — see lessons/07-nodeport.md')
  }

  /** `Free`: how many ports are left. */
  free(): number {
    // TODO(kata 07): size minus the ports taken.
    throw new Error('kata 07-nodeport: PortAllocator.free is not implemented yet — see lessons/07-nodeport.md')
  }

  /** `Used`: how many ports are taken. */
  used(): number {
    // TODO(kata 07): the number of ports taken.
    throw new Error('kata 07-nodeport: PortAllocator.used is not implemented yet — see lessons/07-nodeport.md')
  }

  /** `ForEach`: every taken port, lowest first. */
  forEach(fn: (port: number) => void): void {
    // TODO(kata 07): call fn for each taken port.
    throw new Error('kata 07-nodeport: PortAllocator.forEach is not implemented yet — see lessons/07-nodeport.md')
  }
}

/**
 * `PortAllocationOperation`: one request's changes to the node ports. Allocations take
 * effect at once and are given back by {@link revert} if the request fails; releases wait
 * for {@link commit}, so a failed update never loses a port it still holds.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/portallocator/operation.go
 */
export class PortAllocationOperation {
  private readonly allocated: number[] = []
  private readonly toRelease: number[] = []
  constructor(private readonly alloc: PortAllocator) {}

  /** Takes the requested port now. @throws {ErrNotInRange} @throws {ErrAllocated} */
  allocate(port: number): void {
    // TODO(kata 07): allocate the port and remember it, to give it back on revert.
    throw new Error('kata 07-nodeport: PortAllocationOperation.allocate is not implemented yet — see lessons/07-nodeport.md')
  }

  /** Takes a random free port now (upper band first). @throws {ErrFull} */
  allocateNext(): number {
    // TODO(kata 07): allocate the next free port and remember it.
    throw new Error('kata 07-nodeport: PortAllocationOperation.allocateNext is not implemented yet — see lessons/07-nodeport.md')
  }

  /** Releases the port on {@link commit}. */
  releaseDeferred(port: number): void {
    // TODO(kata 07): remember the port, to release it on commit.
    throw new Error('kata 07-nodeport: PortAllocationOperation.releaseDeferred is not implemented yet — see lessons/07-nodeport.md')
  }

  /** The request succeeded: the deferred releases happen. */
  commit(): void {
    // TODO(kata 07): release the deferred ports.
    throw new Error('kata 07-nodeport: PortAllocationOperation.commit is not implemented yet — see lessons/07-nodeport.md')
  }

  /** The request failed: every port this operation took is given back. */
  revert(): void {
    // TODO(kata 07): release every port this operation allocated.
    throw new Error('kata 07-nodeport: PortAllocationOperation.revert is not implemented yet — see lessons/07-nodeport.md')
  }
}

/** `shouldAllocateNodePorts`: NodePort always; LoadBalancer unless `allocateLoadBalancerNodePorts: false`. */
function shouldAllocateNodePorts(svc: Service): boolean {
  // TODO(kata 07): NodePort: true; LoadBalancer: unless allocateLoadBalancerNodePorts is false.
  throw new Error('kata 07-nodeport: shouldAllocateNodePorts is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * Takes the nodePort a user asked for on `spec.ports[i]` and returns it. A port that is
 * taken or out of range is 422 Invalid on that field, e.g. `Service "menu" is invalid:
 * spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated`.
 *
 * @throws {StatusError} Invalid
 */
function allocateRequestedNodePort(svc: Service, i: number, port: number, op: PortAllocationOperation): number {
  // TODO(kata 07): op.allocate(port); an error becomes Invalid on spec.ports[i].nodePort.
  throw new Error('kata 07-nodeport: allocateRequestedNodePort is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * Takes a random free nodePort and returns it. A full range is 500 `Internal error
 * occurred: failed to allocate a nodePort: range is full`.
 *
 * @throws {StatusError} InternalError
 */
function allocateNextNodePort(op: PortAllocationOperation): number {
  // TODO(kata 07): op.allocateNext(); an error becomes "failed to allocate a nodePort: <err>".
  throw new Error('kata 07-nodeport: allocateNextNodePort is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * `initNodePorts`: gives each port of a new NodePort or LoadBalancer Service its nodePort,
 * writing it to `spec.ports[i].nodePort` (the caller has already checked the type).
 * Ports are taken through `op`, so the registry can give them back if the request fails.
 *
 * For each port `spec.ports[i]`, in order:
 * 1. A port without a `nodePort` is skipped when {@link shouldAllocateNodePorts} is false
 *    (a LoadBalancer with `allocateLoadBalancerNodePorts: false`): it gets none.
 * 2. The first port with a given `port` number takes the nodePort asked for on **any**
 *    port with that number — `nodePort: 30053` on 53/TCP serves 53/UDP too — with
 *    `allocateRequestedNodePort(svc, i, nodePort, op)`, or else a random free one with
 *    `allocateNextNodePort(op)`.
 * 3. A later port with the same number (53/UDP and 53/TCP) gets that **same** nodePort —
 *    nothing more is allocated — unless it asks for a different one, which is taken with
 *    `allocateRequestedNodePort(svc, i, itsNodePort, op)`.
 *
 * So `[80, 443]` gets two nodePorts and `[53/UDP, 53/TCP]` one. Errors of the helpers
 * propagate as they are: 422 on `spec.ports[i].nodePort` for a requested port, 500
 * `failed to allocate a nodePort: range is full`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/alloc.go
 */
export function initNodePorts(svc: Service, op: PortAllocationOperation): void {
  // TODO(kata 07): per port: skip, reuse the nodePort of the same port number, or take the requested or a new one.
  throw new Error('kata 07-nodeport: initNodePorts is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * What the Service registry does with node ports when a Service is created
 * (`txnAllocNodePorts` → {@link initNodePorts}, `allocHealthCheckNodePort`). Returns the
 * stored Service (a copy).
 *
 * 1. Only `type: NodePort` and `type: LoadBalancer` get node ports; ClusterIP and
 *    ExternalName get none.
 * 2. A port without a `nodePort` gets one from `allocateNext()` — unless it is a
 *    LoadBalancer with `allocateLoadBalancerNodePorts: false`, where only ports that ask
 *    for one get it.
 * 3. Ports with the same `port` number (53/UDP and 53/TCP) share **one** nodePort: the
 *    first of them allocates (the one a user asked for on any of them, or a new one), the
 *    others reuse it.
 * 4. A requested nodePort that fails is 422 Invalid on `spec.ports[i].nodePort`:
 *    `Service "order" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided
 *    port is already allocated` (or `…: provided port is not in the valid range. The range
 *    of valid ports is 30000-32767`). A full range is 500
 *    `Internal error occurred: failed to allocate a nodePort: range is full`.
 * 5. A LoadBalancer with `externalTrafficPolicy: Local` also gets `healthCheckNodePort`
 *    (the requested one, or `allocateNext()`); failures are 500
 *    `Internal error occurred: failed to allocate requested HealthCheck NodePort <n>: <err>`.
 * 6. On any failure the ports taken so far are given back.
 *
 * @throws {StatusError} with the API server's message
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/alloc.go
 */
export function allocateServiceNodePorts(svc: Service, alloc: PortAllocator): Service {
  // TODO(kata 07): copy the Service; in one PortAllocationOperation: initNodePorts for NodePort/LoadBalancer, a healthCheckNodePort when needsHealthCheck; revert on error, else commit.
  throw new Error('kata 07-nodeport: allocateServiceNodePorts is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * What the Service registry does with node ports when a Service is updated
 * (`txnUpdateNodePorts`, plus `dropTypeDependentFields` of the strategy). Returns the
 * stored Service (a copy of `newSvc`).
 *
 * 1. NodePort/LoadBalancer → ClusterIP/ExternalName: the old nodePorts are released, and
 *    wiped from the new object unless the user asked for a nodePort the Service did not
 *    have (`sameNodePorts` of the strategy: ports may be added, removed or reordered).
 * 2. Still (or now) NodePort/LoadBalancer: a port keeping a nodePort it already had is
 *    not allocated again; a newly requested nodePort is allocated (errors as on create);
 *    a port without one gets `allocateNext()` (on update, even same-numbered ports each get
 *    their own); old nodePorts no longer used are released.
 * 3. healthCheckNodePort: allocated when the Service starts needing it, released (and
 *    wiped) when it stops.
 * 4. Releases happen only when everything succeeded; allocations are undone on failure.
 *
 * @throws {StatusError} with the API server's message
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/alloc.go
 */
export function updateServiceNodePorts(oldSvc: Service, newSvc: Service, alloc: PortAllocator): Service {
  // TODO(kata 07): release on a change to ClusterIP/ExternalName, allocate what is new, release what is gone (only once all succeeded).
  throw new Error('kata 07-nodeport: updateServiceNodePorts is not implemented yet — see lessons/07-nodeport.md')
}

/**
 * Gives back everything a deleted Service held (`releaseAllocatedResources`): its
 * nodePorts and, if it needs one, its healthCheckNodePort.
 */
export function releaseServiceNodePorts(svc: Service, alloc: PortAllocator): void {
  // TODO(kata 07): release every nodePort and the healthCheckNodePort.
  throw new Error('kata 07-nodeport: releaseServiceNodePorts is not implemented yet — see lessons/07-nodeport.md')
}
