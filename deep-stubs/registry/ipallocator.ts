// The service-IP allocator: the API server hands every Service a cluster IP out of
// `--service-cluster-ip-range` (kubeadm: 10.96.0.0/12; kind: 10.96.0.0/16), keeping a bitmap of
// the addresses in use. Nothing on any network interface owns these addresses — they
// are just numbers the API server promises not to give out twice.
//
// Simplified: one IP family (no dual-stack), one range, no snapshots, and the bitmap
// allocator (the newer IPAddress-object allocator of MultiCIDRServiceAllocator hands out
// addresses under the same rules).
//
// Given: lib/net/ipint.ts (parse/format IPs and CIDRs, bigint math), lib/random.ts
// (seeded Random), lib/field (field errors) and lib/api/errors.ts (newInvalid,
// newInternalError: the API server's StatusError).
import type { Service } from 'kubernetes-types/core/v1'
import { DEFAULT_SEED } from '../../lib/random.ts'
// import { newInternalError, newInvalid } from '../../lib/api/errors.ts'
// import { invalid, type FieldError } from '../../lib/field/errors.ts'
// import { newPath } from '../../lib/field/path.ts'
// import { KUBERNETES_SERVICE } from '../../lib/cluster/defaults.ts'
// import { bitsOf, cidrContains, formatCIDR, formatIP, fromBigInt, parseCIDR, parseIP, toBigInt } from '../../lib/net/ipint.ts'
// import { Random } from '../../lib/random.ts'

/** `ErrFull`: every address of the range is taken. */
export class ErrFull extends Error {
  override name = 'ErrFull'
  constructor() {
    super('range is full')
  }
}

/** `ErrAllocated`: the requested address is already some Service's cluster IP. */
export class ErrAllocated extends Error {
  override name = 'ErrAllocated'
  constructor() {
    super('provided IP is already allocated')
  }
}

/**
 * `ErrNotInRange`: the requested address is outside the range, or is its network or
 * broadcast address. The wording of v1.34.0's `interfaces.go` (also what clusters of
 * 2025 print); releases before the IP field was added said `provided IP is not in the
 * valid range. The range of valid IPs is …`, and a 2026 change shortens it to
 * `provided IP <ip> is not in the valid range`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/ipallocator/interfaces.go
 */
export class ErrNotInRange extends Error {
  override name = 'ErrNotInRange'
  constructor(
    /** The address that was asked for, as Go prints a `net.IP`. */
    readonly ip: string,
    /** The range, e.g. `10.96.0.0/16`. */
    readonly validRange: string,
  ) {
    super(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${validRange}`)
  }
}

export type IPFamily = 'IPv4' | 'IPv6'

/**
 * `calculateRangeOffset`: the size of the lower, "static" band that dynamic allocation
 * avoids until the upper band is full (KEP-3070, GA in 1.26):
 * `min(max(16, size/16), 256)`, and 0 for a range of 16 addresses or fewer.
 * Vectors: /28 → 0, /27 → 16, /24 → 16, /22 → 64, /20 → 256, /12 → 256.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/ipallocator/bitmap.go
 */
export function calculateRangeOffset(cidr: string): number {
  // TODO(kata 06): min(max(16, size/16), 256) of the CIDR size (netutils.RangeSize), 0 when the size is 16 or less.
  throw new Error('kata 06-clusterip: calculateRangeOffset is not implemented yet — see lessons/06-clusterip.md')
}

/**
 * A contiguous block of service IPs (`ipallocator.Range` over an `AllocationBitmap`).
 *
 * Rules:
 * 1. Offset 0 of the bitmap is the address after the network address; the network
 *    address (`.0`) and, for IPv4, the broadcast address are never handed out. A /24
 *    holds 254 addresses, 10.96.0.0/16 holds 10.96.0.1–10.96.255.254. IPv6 ranges are
 *    capped at 65536 addresses (only the subnet-zero address is excluded).
 * 2. `allocate(ip)` takes a requested address anywhere in the range.
 * 3. `allocateNext()` picks a **random** free address of the upper band
 *    `[offset, max)` — a random start, then scanning forward and wrapping within the band —
 *    and only when that band is full, the same way in the lower band `[0, offset)`
 *    ({@link calculateRangeOffset}). So addresses such as 10.96.0.10 (cluster DNS) stay free
 *    for Services that ask for them.
 * 4. `release(ip)` of a free or out-of-range address does nothing.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/ipallocator/bitmap.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/allocator/bitmap.go
 */
export class Range {
  /** The range as `net.IPNet.String()` prints it: `10.96.0.0/16`. */
  readonly cidr: string = ''
  readonly family: IPFamily = 'IPv4'
  /** How many addresses can be handed out. */
  readonly max: number = 0
  /** Size of the lower (static) band. */
  readonly offset: number = 0

  /**
   * `NewInMemory(cidr)`.
   * @param cidr e.g. `10.96.0.0/16` (host bits are cleared)
   * @param seed seeds the random choice of `allocateNext` (default 42)
   * @throws {Error} `invalid CIDR address: 10.96.0.0/33` (Go's `net.ParseCIDR`) when `cidr` is not a CIDR
   */
  constructor(cidr: string, seed: number = DEFAULT_SEED) {
    // TODO(kata 06): parse the CIDR, compute max (network and broadcast excluded, IPv6 capped at 65536) and the offset, set up the bitmap and a seeded Random.
    throw new Error('kata 06-clusterip: new Range is not implemented yet — see lessons/06-clusterip.md')
  }

  /**
   * `Allocate`: reserves the requested address.
   * @throws {ErrNotInRange} outside the range, or the network/broadcast address
   * @throws {ErrAllocated} already taken
   */
  allocate(ip: string): void {
    // TODO(kata 06): find the bitmap offset of ip (network + 1 is offset 0), refuse out-of-range and taken ones.
    throw new Error('kata 06-clusterip: Range.allocate is not implemented yet — see lessons/06-clusterip.md')
  }

  /**
   * `AllocateNext`: reserves a random free address, the upper band first
   * (`randomScanStrategyWithOffset`), so that the static band `[0, offset)` — where
   * `10.96.0.1` (kubernetes) and `10.96.0.10` (kube-dns) live — stays free for Services that
   * ask for an address.
   *
   * 1. Every address taken (`this.count >= this.max`): throw {@link ErrFull} (`range is full`).
   * 2. The upper band is the bitmap offsets `[this.offset, this.max)`, `upper = max − offset`
   *    of them: `start = this.random.int(0, upper − 1)` (both ends included), then offsets
   *    `offset + (start + i) % upper` for i = 0, 1, …; the first free one is taken.
   * 3. Only when the upper band is full, the same in the lower band `[0, offset)`:
   *    `start = this.random.int(0, offset − 1)`, offsets `(start + i) % offset`.
   * 4. Taking offset `o`: `this.bitmap[o] = 1`, `this.count++`, and return `this.ipAt(o)`
   *    (the address `network + 1 + o`).
   *
   * So a /24 (offset 16) hands out `.17`–`.254` before any of `.1`–`.16`, and an address
   * released in a full range is the next one handed out. `this.random` is seeded: the same
   * seed gives the same addresses.
   *
   * @throws {ErrFull} when no address is free
   * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/allocator/bitmap.go
   */
  allocateNext(): string {
    // TODO(kata 06): random start in [offset, max), scan forward with wrap-around; then the same in [0, offset).
    throw new Error('kata 06-clusterip: Range.allocateNext is not implemented yet — see lessons/06-clusterip.md')
  }

  /** `Release`: frees an address; a free or out-of-range address is ignored. */
  release(ip: string): void {
    // TODO(kata 06): clear the bit of ip if it is in range and taken.
    throw new Error('kata 06-clusterip: Range.release is not implemented yet — see lessons/06-clusterip.md')
  }

  /** `Has`: whether the address is taken (so `allocate` would throw {@link ErrAllocated}). */
  has(ip: string): boolean {
    // TODO(kata 06): whether ip is in range and its bit is set.
    throw new Error('kata 06-clusterip: Range.has is not implemented yet — see lessons/06-clusterip.md')
  }

  /** `Free`: how many addresses are left. */
  free(): number {
    // TODO(kata 06): max minus the addresses taken.
    throw new Error('kata 06-clusterip: Range.free is not implemented yet — see lessons/06-clusterip.md')
  }

  /** `Used`: how many addresses are taken. */
  used(): number {
    // TODO(kata 06): the number of addresses taken.
    throw new Error('kata 06-clusterip: Range.used is not implemented yet — see lessons/06-clusterip.md')
  }

  /** `ForEach`: every taken address, lowest first. */
  forEach(fn: (ip: string) => void): void {
    // TODO(kata 06): call fn for each taken address.
    throw new Error('kata 06-clusterip: Range.forEach is not implemented yet — see lessons/06-clusterip.md')
  }
}

/**
 * A {@link Range} over `cidr`, seeded for reproducible dynamic allocation.
 * @throws {Error} `invalid CIDR address: <cidr>` when `cidr` is not a CIDR
 */
export function newCIDRRange(cidr: string, seed: number = DEFAULT_SEED): Range {
  // TODO(kata 06): a Range over cidr with this seed.
  throw new Error('kata 06-clusterip: newCIDRRange is not implemented yet — see lessons/06-clusterip.md')
}

/**
 * The first address of a range (`GetIndexedIP(cidr, 1)`), which the API server gives its
 * own `kubernetes` Service in `default`: 10.96.0.1 on kubeadm/kind, 10.0.0.1 with the
 * apiserver's built-in default 10.0.0.0/24.
 *
 * @see https://kubernetes.io/docs/tasks/network/extend-service-ip-ranges/
 */
export function firstServiceIP(range: Range): string {
  // TODO(kata 06): the network address of range.cidr + 1.
  throw new Error('kata 06-clusterip: firstServiceIP is not implemented yet — see lessons/06-clusterip.md')
}

/**
 * What the Service registry does with `spec.clusterIP(s)` when a Service is created
 * (`allocClusterIPs` of storage/alloc.go, with `initIPFamilyFields` for one family).
 * Returns the stored Service (a copy).
 *
 * 1. `type: ExternalName` → nothing: no cluster IP, no IP families.
 * 2. `clusterIP` set and `clusterIPs` empty → `clusterIPs: [clusterIP]` (and the other way round).
 * 3. The API server's own `default/kubernetes` Service, when it asks for nothing, gets
 *    {@link firstServiceIP} (the apiserver creates it with that address).
 * 4. Headless (`clusterIPs[0] == "None"`) → no address. `ipFamilyPolicy` defaults to
 *    `SingleStack`, except headless **and** selector-less: `RequireDualStack` with both
 *    families listed (`[IPv4, IPv6]`) — the registry allows it even on a single-stack cluster.
 * 5. Otherwise `ipFamilyPolicy` defaults to `SingleStack` and `ipFamilies` to the range's
 *    family. A family the cluster does not have is refused:
 *    `spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster`, or for
 *    a requested address `spec.clusterIPs[0]: Invalid value: ["fd00::5"]: IPv6 is not
 *    configured on this cluster`.
 * 6. No address asked for → `allocateNext()`; a full range is HTTP 500
 *    `Internal error occurred: failed to allocate a serviceIP: range is full`.
 * 7. An address asked for → `allocate(ip)`; failures are 422 Invalid on `spec.clusterIPs`
 *    with the whole list as value: `Service "order" is invalid: spec.clusterIPs: Invalid
 *    value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated`.
 * 8. `clusterIP` and `clusterIPs[0]` are set to the address.
 *
 * Simplified: one family, so dual-stack requests are refused like a missing family.
 *
 * @throws {StatusError} 422 Invalid or 500 InternalError, with the API server's message
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/alloc.go
 */
export function allocateServiceClusterIPs(svc: Service, range: Range): Service {
  // TODO(kata 06): copy the Service, then follow the rules above (clusterIPs, families, allocate or allocateNext, the exact errors).
  throw new Error('kata 06-clusterip: allocateServiceClusterIPs is not implemented yet — see lessons/06-clusterip.md')
}

/**
 * Gives a Service's cluster IPs back (`releaseClusterIPs`): on delete, and when its type
 * changes to ExternalName. Headless and ExternalName Services hold none.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/alloc.go
 */
export function releaseServiceClusterIPs(svc: Service, range: Range): void {
  // TODO(kata 06): release every cluster IP of the Service (none for headless or ExternalName).
  throw new Error('kata 06-clusterip: releaseServiceClusterIPs is not implemented yet — see lessons/06-clusterip.md')
}
