// The node-port allocator: the API server gives every port of a NodePort or
// LoadBalancer Service a port number out of `--service-node-port-range`
// (default 30000-32767) — the same number on every node of the cluster.
//
// Simplified: no snapshots, no dry run.
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
  return pr.size === 0 ? '' : `${pr.base}-${pr.base + pr.size - 1}`
}

/** `math.MaxInt64` and `math.MinInt64`: the bounds of Go's `int` on a 64-bit build. */
const MAX_INT = (1n << 63n) - 1n
const MIN_INT = -(1n << 63n)

/** Go's `strconv.Atoi`, with its error text: `strconv.Atoi: parsing "a": invalid syntax`. */
function atoi(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`)
  const n = BigInt(s)
  if (n > MAX_INT || n < MIN_INT) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`)
  return n
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
  const value = text.trim()
  if (value === '') return { base: 0, size: 0 }
  const dash = value.indexOf('-')
  const plus = value.indexOf('+')
  let low: bigint
  let high: bigint
  if (dash === -1 && plus === -1) {
    low = high = atoi(value)
  } else if (plus === -1) {
    low = atoi(value.slice(0, dash))
    high = atoi(value.slice(dash + 1))
  } else if (dash === -1) {
    low = atoi(value.slice(0, plus))
    // Go's int addition wraps around.
    high = BigInt.asIntN(64, low + atoi(value.slice(plus + 1)))
  } else {
    throw new Error(`unable to parse port range: ${value}`)
  }
  if (low > 65535n || high > 65535n) throw new Error(`the port range cannot be greater than 65535: ${value}`)
  if (high < low) throw new Error(`end port cannot be less than start port: ${value}`)
  return { base: Number(low), size: Number(high - low) + 1 }
}

/**
 * `calculateRangeOffset`: the size of the static band, `min(max(16, size/32), 128)`,
 * 0 for a range of 16 ports or fewer (KEP-3668, GA in 1.29). The default range of 2768
 * ports gives 86: static band 30000–30085, dynamic allocation prefers 30086–32767.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/portallocator/allocator.go
 */
export function calculateRangeOffset(pr: PortRange): number {
  const min = 16
  const max = 128
  const step = 32
  if (pr.size <= min) return 0
  const offset = Math.floor(pr.size / step)
  // Stryker disable next-line EqualityOperator: at offset === min both branches give min
  if (offset < min) return min
  // Stryker disable next-line EqualityOperator: at offset === max both branches give max
  if (offset > max) return max
  return offset
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
  readonly portRange: PortRange
  /** Size of the lower (static) band. */
  readonly offset: number
  private readonly bitmap: Uint8Array
  private count = 0
  private readonly random: Random

  /**
   * `NewInMemory(portRange)`.
   * @param portRange default `30000-32767` (lib/cluster/defaults `NODE_PORT_RANGE`)
   * @param seed seeds the random choice of `allocateNext` (default 42)
   */
  constructor(portRange: PortRange = NODE_PORT_RANGE, seed: number = DEFAULT_SEED) {
    this.portRange = { base: portRange.base, size: portRange.size }
    this.offset = calculateRangeOffset(this.portRange)
    this.bitmap = new Uint8Array(this.portRange.size)
    this.random = new Random(seed)
  }

  private contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.portRange.base && port < this.portRange.base + this.portRange.size
  }

  /**
   * `Allocate`: reserves the requested port.
   * @throws {ErrNotInRange} outside the range
   * @throws {ErrAllocated} already taken
   */
  allocate(port: number): void {
    if (!this.contains(port)) throw new ErrNotInRange(formatPortRange(this.portRange))
    const i = port - this.portRange.base
    if (this.bitmap[i]) throw new ErrAllocated()
    this.bitmap[i] = 1
    this.count++
  }

  /**
   * `AllocateNext`: reserves a random free port, upper band first.
   * @throws {ErrFull} when no port is free
   */
  allocateNext(): number {
    const max = this.portRange.size
    if (this.count >= max) throw new ErrFull()
    const upper = max - this.offset
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past the full-range guard the range has a free port, and the static band is smaller than the range, so upper ≥ 1
    if (upper > 0) {
      const start = this.random.int(0, upper - 1)
      // Stryker disable next-line EqualityOperator: one more step revisits the slot the scan began with, already found taken
      for (let i = 0; i < upper; i++) {
        const at = this.offset + ((start + i) % upper)
        if (!this.bitmap[at]) return this.take(at)
      }
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with no static band the scan above covered the whole range and found the free port the guard promised
    if (this.offset > 0) {
      const start = this.random.int(0, this.offset - 1)
      // Stryker disable next-line EqualityOperator: one more step revisits the slot the scan began with, already found taken
      for (let i = 0; i < this.offset; i++) {
        const at = (start + i) % this.offset
        if (!this.bitmap[at]) return this.take(at)
      }
    }
    throw new ErrFull()
  }

  private take(i: number): number {
    this.bitmap[i] = 1
    this.count++
    return this.portRange.base + i
  }

  /** `Release`: frees a port; a free or out-of-range port is ignored. */
  release(port: number): void {
    // Stryker disable next-line ConditionalExpression: a typed array reads undefined outside its bounds, so the free-port check below returns all the same
    if (!this.contains(port)) return
    const i = port - this.portRange.base
    if (!this.bitmap[i]) return
    this.bitmap[i] = 0
    this.count--
  }

  /** `Has`: whether the port is taken. */
  has(port: number): boolean {
    return this.contains(port) && this.bitmap[port - this.portRange.base] === 1
  }

  /** `Free`: how many ports are left. */
  free(): number {
    return this.portRange.size - this.count
  }

  /** `Used`: how many ports are taken. */
  used(): number {
    return this.count
  }

  /** `ForEach`: every taken port, lowest first. */
  forEach(fn: (port: number) => void): void {
    for (let i = 0; i < this.portRange.size; i++) if (this.bitmap[i]) fn(this.portRange.base + i)
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
  // Stryker disable next-line ArrayDeclaration: releasing a value that is no port of the range does nothing
  private readonly allocated: number[] = []
  // Stryker disable next-line ArrayDeclaration: releasing a value that is no port of the range does nothing
  private readonly toRelease: number[] = []
  constructor(private readonly alloc: PortAllocator) {}

  /** Takes the requested port now. @throws {ErrNotInRange} @throws {ErrAllocated} */
  allocate(port: number): void {
    this.alloc.allocate(port)
    this.allocated.push(port)
  }

  /** Takes a random free port now (upper band first). @throws {ErrFull} */
  allocateNext(): number {
    const port = this.alloc.allocateNext()
    this.allocated.push(port)
    return port
  }

  /** Releases the port on {@link commit}. */
  releaseDeferred(port: number): void {
    this.toRelease.push(port)
  }

  /** The request succeeded: the deferred releases happen. */
  commit(): void {
    for (const p of this.toRelease) this.alloc.release(p)
  }

  /** The request failed: every port this operation took is given back. */
  revert(): void {
    for (const p of this.allocated) this.alloc.release(p)
  }
}

function usesNodePorts(svc: Service): boolean {
  // Stryker disable next-line OptionalChaining: every Service the API server stores has a spec
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer'
}

/** `shouldAllocateNodePorts`: NodePort always; LoadBalancer unless `allocateLoadBalancerNodePorts: false`. */
function shouldAllocateNodePorts(svc: Service): boolean {
  // Stryker disable next-line OptionalChaining: every Service the API server stores has a spec
  if (svc.spec?.type === 'NodePort') return true
  // Stryker disable next-line OptionalChaining,ConditionalExpression: every Service has a spec, and callers ask only about NodePort and LoadBalancer Services
  if (svc.spec?.type === 'LoadBalancer') return svc.spec.allocateLoadBalancerNodePorts !== false
  // Stryker disable next-line BooleanLiteral: callers ask only about NodePort and LoadBalancer Services
  return false
}

function collectServiceNodePorts(svc: Service): number[] {
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: every Service the API server stores has a spec, and a stand-in port has no nodePort
  const ports = svc.spec?.ports ?? []
  return ports.map((p) => p.nodePort ?? 0).filter((p) => p !== 0)
}

/**
 * Takes the nodePort a user asked for on `spec.ports[i]` and returns it. A port that is
 * taken or out of range is 422 Invalid on that field, e.g. `Service "menu" is invalid:
 * spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated`.
 *
 * @throws {StatusError} Invalid
 */
function allocateRequestedNodePort(svc: Service, i: number, port: number, op: PortAllocationOperation): number {
  try {
    op.allocate(port)
  } catch (err) {
    // Stryker disable next-line OptionalChaining,StringLiteral: every Service the API server stores has a name
    throw newInvalid('Service', svc.metadata?.name ?? '', [invalid(newPath('spec', 'ports').index(i).child('nodePort'), port, (err as Error).message)])
  }
  return port
}

/**
 * Takes a random free nodePort and returns it. A full range is 500 `Internal error
 * occurred: failed to allocate a nodePort: range is full`.
 *
 * @throws {StatusError} InternalError
 */
function allocateNextNodePort(op: PortAllocationOperation): number {
  try {
    return op.allocateNext()
  } catch (err) {
    throw newInternalError(`failed to allocate a nodePort: ${(err as Error).message}`)
  }
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
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a NodePort or LoadBalancer Service that passed validation has a spec with at least one port
  const ports: ServicePort[] = svc.spec?.ports ?? []
  const svcPortToNodePort = new Map<number, number>()
  ports.forEach((sp, i) => {
    if (!sp.nodePort && !shouldAllocateNodePorts(svc)) return
    const allocated = svcPortToNodePort.get(sp.port)
    if (allocated === undefined) {
      // A nodePort asked for on any port with the same number (this one or a later one).
      const requested = ports.find((p) => p.port === sp.port && p.nodePort)?.nodePort
      sp.nodePort = requested ? allocateRequestedNodePort(svc, i, requested, op) : allocateNextNodePort(op)
      svcPortToNodePort.set(sp.port, sp.nodePort)
    } else if (!sp.nodePort) {
      sp.nodePort = allocated
    } else if (sp.nodePort !== allocated) {
      allocateRequestedNodePort(svc, i, sp.nodePort, op)
    }
  })
}

function allocHealthCheckNodePort(svc: Service, op: PortAllocationOperation): void {
  const spec = svc.spec!
  const requested = spec.healthCheckNodePort ?? 0
  if (requested !== 0) {
    try {
      op.allocate(requested)
    } catch (err) {
      throw newInternalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${(err as Error).message}`)
    }
  } else {
    try {
      spec.healthCheckNodePort = op.allocateNext()
    } catch (err) {
      throw newInternalError(`failed to allocate a HealthCheck NodePort 0: ${(err as Error).message}`)
    }
  }
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
  const out = structuredClone(svc)
  out.spec ??= {}
  const op = new PortAllocationOperation(alloc)
  try {
    if (usesNodePorts(out)) initNodePorts(out, op)
    if (needsHealthCheck(out)) allocHealthCheckNodePort(out, op)
  } catch (err) {
    op.revert()
    throw err
  }
  op.commit()
  return out
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
  const out = structuredClone(newSvc)
  const spec = (out.spec ??= {})
  const op = new PortAllocationOperation(alloc)
  try {
    if (usesNodePorts(oldSvc) && !usesNodePorts(out)) {
      const old = collectServiceNodePorts(oldSvc)
      for (const p of old) op.releaseDeferred(p)
      // sameNodePorts: ports may be added, removed or changed, as long as no nodePort is new.
      const held = new Set(old)
      const noNewNodePort = collectServiceNodePorts(out).every((p) => held.has(p))
      // Stryker disable next-line ArrayDeclaration: a stand-in port has no nodePort to delete
      if (noNewNodePort) for (const p of spec.ports ?? []) delete p.nodePort
    }
    if (usesNodePorts(out)) {
      const oldPorts = collectServiceNodePorts(oldSvc)
      const taken = new Set<number>()
      // Stryker disable next-line ArrayDeclaration: validation gives every NodePort and LoadBalancer Service at least one port
      const ports = spec.ports ?? []
      ports.forEach((sp, i) => {
        if (!sp.nodePort && !shouldAllocateNodePorts(out)) return
        if (sp.nodePort) {
          if (!oldPorts.includes(sp.nodePort) && !taken.has(sp.nodePort)) {
            taken.add(allocateRequestedNodePort(out, i, sp.nodePort, op))
          }
        } else {
          sp.nodePort = allocateNextNodePort(op)
        }
      })
      const newPorts = collectServiceNodePorts(out)
      for (const p of oldPorts) if (!newPorts.includes(p)) op.releaseDeferred(p)
    }
    const needed = needsHealthCheck(oldSvc)
    const needs = needsHealthCheck(out)
    if (!needed && needs) allocHealthCheckNodePort(out, op)
    if (needed && !needs) {
      // Stryker disable next-line OptionalChaining: a Service that needed a healthCheckNodePort is a LoadBalancer, with a spec
      op.releaseDeferred(oldSvc.spec?.healthCheckNodePort ?? 0)
      delete spec.healthCheckNodePort
    }
  } catch (err) {
    op.revert()
    throw err
  }
  op.commit()
  return out
}

/**
 * Gives back everything a deleted Service held (`releaseAllocatedResources`): its
 * nodePorts and, if it needs one, its healthCheckNodePort.
 */
export function releaseServiceNodePorts(svc: Service, alloc: PortAllocator): void {
  for (const p of collectServiceNodePorts(svc)) alloc.release(p)
  if (needsHealthCheck(svc) && (svc.spec?.healthCheckNodePort ?? 0) > 0) alloc.release(svc.spec!.healthCheckNodePort!)
}
