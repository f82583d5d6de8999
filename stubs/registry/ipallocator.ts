// ────────────────────────────────────────────────────────────────────────
// Kata 06 · core path: you write
//   task 1 (ip-allocator): Range.allocateNext
// Each is marked TODO(kata 06) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 06`.
// ────────────────────────────────────────────────────────────────────────
// The service-IP allocator: the API server hands every Service a cluster IP out of
// `--service-cluster-ip-range` (kubeadm: 10.96.0.0/12; kind: 10.96.0.0/16), keeping a bitmap of
// the addresses in use. Nothing on any network interface owns these addresses — they
// are just numbers the API server promises not to give out twice.
//
// Simplified: one IP family (no dual-stack), one range, no snapshots, and the bitmap
// allocator (the newer IPAddress-object allocator of MultiCIDRServiceAllocator hands out
// addresses under the same rules).
import type { Service } from 'kubernetes-types/core/v1'
import { newInternalError, newInvalid } from '../../lib/api/errors.ts'
import { invalid, type FieldError } from '../../lib/field/errors.ts'
import { newPath } from '../../lib/field/path.ts'
import { KUBERNETES_SERVICE } from '../../lib/cluster/defaults.ts'
import { bitsOf, cidrContains, formatCIDR, formatIP, fromBigInt, parseCIDR, parseIP, toBigInt, type ParsedCIDR } from '../../lib/net/ipint.ts'
import { DEFAULT_SEED, Random } from '../../lib/random.ts'

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

/** `math.MaxInt64`, which `RangeSize` returns for ranges of 2^63 addresses or more. */
const MAX_INT64 = (1n << 63n) - 1n

function mustParseCIDR(cidr: string): ParsedCIDR {
  const parsed = parseCIDR(cidr)
  if (!parsed) throw new Error(`invalid CIDR address: ${cidr}`)
  return parsed
}

/** `netutils.RangeSize`: how many addresses a CIDR holds (capped at MaxInt64). */
function rangeSize(c: ParsedCIDR): bigint {
  const hostBits = bitsOf(c.family) - c.prefix
  return hostBits >= 63 ? MAX_INT64 : 1n << BigInt(hostBits)
}

/**
 * `calculateRangeOffset`: the size of the lower, "static" band that dynamic allocation
 * avoids until the upper band is full (KEP-3070, GA in 1.26):
 * `min(max(16, size/16), 256)`, and 0 for a range of 16 addresses or fewer.
 * Vectors: /28 → 0, /27 → 16, /24 → 16, /22 → 64, /20 → 256, /12 → 256.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/ipallocator/bitmap.go
 */
export function calculateRangeOffset(cidr: string): number {
  const min = 16n
  const max = 256n
  const step = 16n
  const size = rangeSize(mustParseCIDR(cidr))
  if (size <= min) return 0
  const offset = size / step
  if (offset < min) return Number(min)
  if (offset > max) return Number(max)
  return Number(offset)
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
  readonly cidr: string
  readonly family: IPFamily
  /** How many addresses can be handed out. */
  readonly max: number
  /** Size of the lower (static) band. */
  readonly offset: number
  private readonly net: ParsedCIDR
  /** The address at bitmap offset 0: the network address + 1. */
  private readonly base: bigint
  private readonly bitmap: Uint8Array
  private count = 0
  private readonly random: Random

  /**
   * `NewInMemory(cidr)`.
   * @param cidr e.g. `10.96.0.0/16` (host bits are cleared)
   * @param seed seeds the random choice of `allocateNext` (default 42)
   * @throws {Error} `invalid CIDR address: 10.96.0.0/33` (Go's `net.ParseCIDR`) when `cidr` is not a CIDR
   */
  constructor(cidr: string, seed: number = DEFAULT_SEED) {
    this.net = mustParseCIDR(cidr)
    this.cidr = formatCIDR(this.net.network, this.net.prefix, this.net.family)
    this.family = this.net.family === 4 ? 'IPv4' : 'IPv6'
    let max = rangeSize(this.net)
    if (this.net.family === 6) {
      if (max > 65536n) max = 65536n
    } else {
      max-- // the broadcast address
    }
    max-- // the network address
    this.max = max < 0n ? 0 : Number(max)
    this.base = this.net.network + 1n
    this.offset = calculateRangeOffset(cidr)
    this.bitmap = new Uint8Array(this.max)
    this.random = new Random(seed)
  }

  /** The bitmap offset of `ip`, or `undefined` when it is not an address this range hands out. */
  private offsetOf(ip: string): number | undefined {
    const parsed = parseIP(ip)
    if (!parsed || !cidrContains(this.net.network, this.net.prefix, this.net.family, parsed)) return undefined
    const offset = toBigInt(parsed) - this.base
    if (offset < 0n || offset >= BigInt(this.max)) return undefined
    return Number(offset)
  }

  private ipAt(offset: number): string {
    return formatIP(fromBigInt(this.base + BigInt(offset), this.net.family))
  }

  /** Go's `net.IP` printing of a requested address (as given when it does not parse). */
  private show(ip: string): string {
    const parsed = parseIP(ip)
    return parsed ? formatIP(parsed) : ip
  }

  /**
   * `Allocate`: reserves the requested address.
   * @throws {ErrNotInRange} outside the range, or the network/broadcast address
   * @throws {ErrAllocated} already taken
   */
  allocate(ip: string): void {
    const offset = this.offsetOf(ip)
    if (offset === undefined) throw new ErrNotInRange(this.show(ip), this.cidr)
    if (this.bitmap[offset]) throw new ErrAllocated()
    this.bitmap[offset] = 1
    this.count++
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
    // TODO(kata 06, task 1): random start in [offset, max), scan forward with wrap-around; then the same in [0, offset).
    throw new Error('kata 06-clusterip: Range.allocateNext is not implemented yet — see lessons/06-clusterip.md')
  }

  /** `Release`: frees an address; a free or out-of-range address is ignored. */
  release(ip: string): void {
    const offset = this.offsetOf(ip)
    if (offset === undefined || !this.bitmap[offset]) return
    this.bitmap[offset] = 0
    this.count--
  }

  /** `Has`: whether the address is taken (so `allocate` would throw {@link ErrAllocated}). */
  has(ip: string): boolean {
    const offset = this.offsetOf(ip)
    return offset !== undefined && this.bitmap[offset] === 1
  }

  /** `Free`: how many addresses are left. */
  free(): number {
    return this.max - this.count
  }

  /** `Used`: how many addresses are taken. */
  used(): number {
    return this.count
  }

  /** `ForEach`: every taken address, lowest first. */
  forEach(fn: (ip: string) => void): void {
    for (let i = 0; i < this.max; i++) if (this.bitmap[i]) fn(this.ipAt(i))
  }
}

/**
 * A {@link Range} over `cidr`, seeded for reproducible dynamic allocation.
 * @throws {Error} `invalid CIDR address: <cidr>` when `cidr` is not a CIDR
 */
export function newCIDRRange(cidr: string, seed: number = DEFAULT_SEED): Range {
  return new Range(cidr, seed)
}

/**
 * The first address of a range (`GetIndexedIP(cidr, 1)`), which the API server gives its
 * own `kubernetes` Service in `default`: 10.96.0.1 on kubeadm/kind, 10.0.0.1 with the
 * apiserver's built-in default 10.0.0.0/24.
 *
 * @see https://kubernetes.io/docs/tasks/network/extend-service-ip-ranges/
 */
export function firstServiceIP(range: Range): string {
  const c = mustParseCIDR(range.cidr)
  return formatIP(fromBigInt(c.network + 1n, c.family))
}

function familyOfText(ip: string): IPFamily | undefined {
  const parsed = parseIP(ip)
  if (!parsed) return undefined
  return parsed.kind() === 'ipv4' ? 'IPv4' : 'IPv6'
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
  const out = structuredClone(svc)
  const spec = (out.spec ??= {})
  const name = out.metadata?.name ?? ''
  if (spec.type === 'ExternalName') return out

  if (spec.clusterIP && !(spec.clusterIPs?.length)) spec.clusterIPs = [spec.clusterIP]
  if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0]!
  if (
    !spec.clusterIPs?.length &&
    out.metadata?.namespace === KUBERNETES_SERVICE.namespace &&
    name === KUBERNETES_SERVICE.name
  ) {
    spec.clusterIP = firstServiceIP(range)
    spec.clusterIPs = [spec.clusterIP]
  }

  const headless = spec.clusterIPs?.[0] === 'None'
  const selectorless = Object.keys(spec.selector ?? {}).length === 0
  if (headless && selectorless) {
    spec.ipFamilyPolicy ??= 'RequireDualStack'
  } else {
    spec.ipFamilyPolicy ??= 'SingleStack'
  }

  const errs: FieldError[] = []
  const requested = headless ? undefined : spec.clusterIPs?.[0]
  if (requested) {
    const fam = familyOfText(requested)
    // An address of the range's own family needs nothing here: ipFamilies defaults to that family below.
    if (fam && fam !== range.family && !(spec.ipFamilies?.length)) {
      errs.push(invalid(newPath('spec', 'clusterIPs').index(0), spec.clusterIPs, `${fam} is not configured on this cluster`))
    }
  }
  ;(spec.ipFamilies ?? []).forEach((fam, i) => {
    if (fam !== range.family && !(headless && selectorless)) {
      errs.push(invalid(newPath('spec', 'ipFamilies').index(i), fam, 'not configured on this cluster'))
    }
  })
  if (errs.length) throw newInvalid('Service', name, errs)

  if (!spec.ipFamilies?.length) spec.ipFamilies = [range.family]
  if (headless) {
    if (selectorless && spec.ipFamilyPolicy !== 'SingleStack' && spec.ipFamilies.length < 2) {
      spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4']
    }
    return out
  }

  let ip: string
  if (!requested) {
    try {
      ip = range.allocateNext()
    } catch (err) {
      throw newInternalError(`failed to allocate a serviceIP: ${(err as Error).message}`)
    }
  } else {
    try {
      range.allocate(requested)
    } catch (err) {
      throw newInvalid('Service', name, [
        invalid(newPath('spec', 'clusterIPs'), spec.clusterIPs, `failed to allocate IP ${requested}: ${(err as Error).message}`),
      ])
    }
    ip = requested
  }
  spec.clusterIP = ip
  spec.clusterIPs = [ip, ...(spec.clusterIPs ?? []).slice(1)]
  return out
}

/**
 * Gives a Service's cluster IPs back (`releaseClusterIPs`): on delete, and when its type
 * changes to ExternalName. Headless and ExternalName Services hold none.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/alloc.go
 */
export function releaseServiceClusterIPs(svc: Service, range: Range): void {
  const spec = svc.spec ?? {}
  if (spec.type === 'ExternalName') return
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []
  if (ips[0] === 'None') return
  for (const ip of ips) range.release(ip)
}
