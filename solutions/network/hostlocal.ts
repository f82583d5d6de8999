// Pod IPs on one node: the CNI `host-local` IPAM plugin.
//
// On a kind cluster, kindnet writes /etc/cni/net.d/10-kindnet.conflist with the `ptp`
// plugin and `"ipam": {"type": "host-local", "ranges": [[{"subnet": "<node podCIDR>"}]]}`,
// so every pod sandbox on the node gets its IP from this allocator. The store is the
// plugin's data directory (one file per reserved IP, plus `last_reserved_ip.<range>`);
// here it is kept in memory.
import { bitsOf, formatCIDR, formatIP, fromBigInt, maskOf, parseCIDR, parseIP, toBigInt, type Family } from '../../lib/net/ipint.ts'

/** An error of the host-local plugin, with its message. */
export class HostLocalError extends Error {
  override name = 'HostLocalError'
}

/** One range of a CNI `ipam.ranges` entry, as written in the network config. */
export interface RangeConfig {
  subnet: string
  rangeStart?: string
  rangeEnd?: string
  gateway?: string
}

/** A range with its defaults filled in (`Range` after `Canonicalize`). */
export interface Range {
  /** The subnet, network address only: `10.244.1.0/24`. */
  subnet: string
  /** First allocatable address, inclusive. Default: network + 1 (the gateway, skipped). */
  rangeStart: string
  /** Last allocatable address, inclusive. Default: the last address, minus the broadcast for IPv4. */
  rangeEnd: string
  /** Default: network + 1. */
  gateway: string
}

/** What the plugin returns for one range: `Address` (IP with the subnet's mask) and `Gateway`. */
export interface IPConfig {
  /** The pod IP: `10.244.1.2`. */
  ip: string
  /** The pod IP with the subnet's prefix length: `10.244.1.2/24`. */
  address: string
  gateway: string
}

/** Who holds a reserved IP: the container (sandbox) ID and the interface name. */
export interface Reservation {
  id: string
  ifname: string
}

/**
 * The plugin's data directory, in memory (`backend/disk/backend.go`). Given: the
 * allocator below decides which IP to try; the store only records what is taken.
 * @see https://github.com/containernetworking/plugins/blob/v1.7.1/plugins/ipam/host-local/backend/disk/backend.go
 */
export class MemoryStore {
  private readonly ips = new Map<string, Reservation>()
  private readonly last = new Map<string, string>()
  /** The IPs of each container ID, in the order taken: the plugin scans its files; a node of many pods here must not scan every reservation per pod. */
  private readonly held = new Map<string, string[]>()

  /**
   * @param ipmap IPs already reserved, to the container ID holding them (interface `eth0`)
   * @param lastIPs `last_reserved_ip.<rangeID>` contents, by range ID
   */
  constructor(ipmap: Readonly<Record<string, string>> = {}, lastIPs: Readonly<Record<string, string>> = {}) {
    for (const [ip, id] of Object.entries(ipmap)) this.take(ip, { id, ifname: 'eth0' })
    for (const [rangeID, ip] of Object.entries(lastIPs)) this.last.set(rangeID, ip)
  }

  /** Takes `ip` for the container unless it is taken; records it as the range's last reserved IP. */
  reserve(id: string, ifname: string, ip: string, rangeID: string): boolean {
    if (this.ips.has(ip)) return false
    this.take(ip, { id: id.trim(), ifname })
    this.last.set(rangeID, ip)
    return true
  }

  /** The content of `last_reserved_ip.<rangeID>`; release never clears it. */
  lastReservedIP(rangeID: string): string | undefined {
    return this.last.get(rangeID)
  }

  /** Frees every IP held by this container and interface. */
  releaseByID(id: string, ifname: string): void {
    for (const ip of this.getByID(id, ifname)) this.ips.delete(ip)
    // The container's other interfaces keep theirs.
    const key = id.trim()
    // Stryker disable next-line ArrayDeclaration: a container that holds nothing has nothing left to keep
    const rest = (this.held.get(key) ?? []).filter((ip) => this.ips.has(ip))
    if (rest.length > 0) this.held.set(key, rest)
    else this.held.delete(key)
  }

  /** The IPs held by this container and interface. */
  getByID(id: string, ifname: string): string[] {
    return (this.held.get(id.trim()) ?? []).filter((ip) => this.ips.get(ip)!.ifname === ifname)
  }

  /** Every reserved IP and its holder. */
  reserved(): ReadonlyMap<string, Reservation> {
    return this.ips
  }

  private take(ip: string, r: Reservation): void {
    this.ips.set(ip, r)
    const ips = this.held.get(r.id)
    if (ips) ips.push(ip)
    else this.held.set(r.id, [ip])
  }
}

interface Addr {
  n: bigint
  family: Family
}

function ipText(a: Addr): string {
  if (a.family === 6) return formatIP(fromBigInt(a.n, 6))
  // An IPv4 address is written directly: a pod's IP is formatted several times per sandbox.
  const v = Number(BigInt.asUintN(32, a.n))
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.')
}

function parseAddr(text: string): Addr {
  const ip = parseIP(text)
  // What decoding the network config's JSON into a net.IP says (net.ParseError).
  if (!ip) throw new HostLocalError(`invalid IP address: ${text}`)
  return { n: toBigInt(ip), family: ip.kind() === 'ipv4' ? 4 : 6 }
}

/** A canonical range with the numbers the allocator walks. */
class CanonicalRange {
  constructor(
    readonly family: Family,
    readonly network: bigint,
    readonly prefix: number,
    readonly start: bigint,
    readonly end: bigint,
    readonly gateway: bigint,
  ) {}

  contains(a: Addr): boolean {
    return a.family === this.family && (a.n & maskOf(this.prefix, this.family)) === this.network && a.n >= this.start && a.n <= this.end
  }

  toRange(): Range {
    const f = this.family
    return {
      subnet: formatCIDR(this.network, this.prefix, f),
      rangeStart: ipText({ n: this.start, family: f }),
      rangeEnd: ipText({ n: this.end, family: f }),
      gateway: ipText({ n: this.gateway, family: f }),
    }
  }

  /** `Range.String()`: `<rangeStart>-<rangeEnd>`. */
  toString(): string {
    const r = this.toRange()
    return `${r.rangeStart}-${r.rangeEnd}`
  }
}

/** Fills in a range's defaults and checks it (`Range.Canonicalize`); the rules are on `RangeSet`. */
function canonicalize(cfg: RangeConfig): CanonicalRange {
  const sn = parseCIDR(cfg.subnet)
  if (!sn) throw new HostLocalError(`invalid CIDR address: ${cfg.subnet}`)
  const f = sn.family
  const bits = bitsOf(f)
  const asWritten = formatCIDR(toBigInt(sn.ip), sn.prefix, f)
  if (sn.prefix > bits - 2) throw new HostLocalError(`Network ${asWritten} too small to allocate from`)
  if (toBigInt(sn.ip) !== sn.network) {
    throw new HostLocalError(`Network has host bits set. For a subnet mask of length ${sn.prefix} the network address is ${ipText({ n: sn.network, family: f })}`)
  }
  const gateway = cfg.gateway !== undefined ? parseAddr(cfg.gateway).n : sn.network + 1n
  const broadcast = sn.network | (((1n << BigInt(bits)) - 1n) ^ maskOf(sn.prefix, f))
  const subnet = formatCIDR(sn.network, sn.prefix, f)
  // While canonicalizing, `Contains` checks against whatever bounds are set so far, as in Go:
  // a configured rangeEnd already bounds the rangeStart check.
  const givenEnd = cfg.rangeEnd !== undefined ? parseAddr(cfg.rangeEnd) : undefined
  let start = sn.network + 1n
  if (cfg.rangeStart !== undefined) {
    const a = parseAddr(cfg.rangeStart)
    const sofar = new CanonicalRange(f, sn.network, sn.prefix, a.n, givenEnd?.n ?? broadcast, gateway)
    if (!sofar.contains(a)) throw new HostLocalError(`RangeStart ${ipText(a)} not in network ${subnet}`)
    start = a.n
  }
  let end = f === 4 ? broadcast - 1n : broadcast
  if (givenEnd !== undefined) {
    const sofar = new CanonicalRange(f, sn.network, sn.prefix, start, givenEnd.n, gateway)
    if (!sofar.contains(givenEnd)) throw new HostLocalError(`RangeEnd ${ipText(givenEnd)} not in network ${subnet}`)
    end = givenEnd.n
  }
  return new CanonicalRange(f, sn.network, sn.prefix, start, end, gateway)
}

/**
 * One `ranges` entry of the IPAM config: a list of ranges of one address family
 * (`RangeSet`), canonicalized and checked when built.
 *
 * Canonicalizing one range (`Range.Canonicalize`):
 * 1. The subnet must leave room for hosts (not a /31 or /32): `Network <subnet> too small to allocate from`.
 * 2. The subnet must be a network address: `Network has host bits set. For a subnet mask of length <n> the network address is <ip>`.
 * 3. gateway defaults to network + 1; rangeStart to network + 1 (the iterator skips the gateway);
 *    rangeEnd to the last address, minus one for IPv4 (the broadcast address).
 * 4. A given rangeStart/rangeEnd must lie in the range so far: `RangeStart <ip> not in network <subnet>`,
 *    `RangeEnd <ip> not in network <subnet>` (a given rangeEnd already bounds the rangeStart check).
 * 5. A subnet or address that does not parse is refused as decoding the config's JSON refuses it:
 *    `invalid CIDR address: <subnet>`, `invalid IP address: <ip>`.
 *
 * Errors of the set: `empty range set`, `mixed address families`, `subnets <a> and <b> overlap`
 * (each range printed as `<rangeStart>-<rangeEnd>`).
 *
 * @see https://github.com/containernetworking/plugins/blob/v1.7.1/plugins/ipam/host-local/backend/allocator/range.go
 * @see https://github.com/containernetworking/plugins/blob/v1.7.1/plugins/ipam/host-local/backend/allocator/range_set.go
 */
export class RangeSet {
  /** @internal the canonical ranges, in order. */
  readonly ranges: readonly CanonicalRange[]

  constructor(configs: readonly RangeConfig[]) {
    if (configs.length === 0) throw new HostLocalError('empty range set')
    const ranges = configs.map(canonicalize)
    if (ranges.some((r) => r.family !== ranges[0]!.family)) throw new HostLocalError('mixed address families')
    ranges.forEach((r1, i) => {
      for (const r2 of ranges.slice(i + 1)) {
        const at = (r: CanonicalRange, n: bigint): Addr => ({ n, family: r.family })
        // Two ranges overlap when either holds the other's start. Go's Overlaps also asks
        // about both ends, which adds nothing: a range that holds the other's start but not
        // its end has its own end inside the other.
        if (r1.contains(at(r2, r2.start)) || r2.contains(at(r1, r1.start))) {
          throw new HostLocalError(`subnets ${r1} and ${r2} overlap`)
        }
      }
    })
    this.ranges = ranges
  }

  /** The ranges with their defaults filled in. */
  list(): Range[] {
    return this.ranges.map((r) => r.toRange())
  }

  /** Whether an allocatable range holds this IP (between rangeStart and rangeEnd). */
  contains(ip: string): boolean {
    const a = parseIP(ip)
    return a !== undefined && this.rangeIndex(parseAddr(ip)) >= 0
  }

  /** @internal */
  rangeIndex(a: Addr): number {
    return this.ranges.findIndex((r) => r.contains(a))
  }

  /** `10.244.1.1-10.244.1.254`, ranges joined by `,`. */
  toString(): string {
    return this.ranges.map(String).join(',')
  }
}

/**
 * The host-local allocator of one range set (`IPAllocator`).
 *
 * Rules of `get` without a requested IP:
 * 1. A container (ID + interface) that already holds an IP of this range set is refused:
 *    `<ip> has been allocated to <id>, duplicate allocation is not allowed`.
 * 2. Round robin: the walk starts right after the range's last reserved IP (kept in the
 *    store even after that IP is released), or at the first range's rangeStart when
 *    there is none; it goes to rangeEnd, on to the next range, wraps to the first, and
 *    stops when it comes back to where it started. The gateway is skipped.
 * 3. The first IP the store can reserve wins. So a freed IP is not handed out again
 *    until every other free IP of the range has been — a recreated pod gets a new IP.
 * 4. Nothing free: `no IP addresses available in range set: <start>-<end>`.
 *
 * With a requested IP: it must lie in a range (`<ip> not in range set <set>`), must
 * not be the gateway (`requested ip <ip> is subnet's gateway`), and must be free
 * (`requested IP address <ip> is not available in range set <set>`).
 *
 * @see https://github.com/containernetworking/plugins/blob/v1.7.1/plugins/ipam/host-local/backend/allocator/allocator.go
 */
export class IPAllocator {
  readonly rangeset: RangeSet
  readonly store: MemoryStore
  /** Names the `last_reserved_ip.<rangeID>` file: the index of the range set in the config. */
  readonly rangeID: string

  constructor(rangeset: RangeSet | readonly RangeConfig[], store: MemoryStore = new MemoryStore(), rangeID: number | string = 0) {
    this.rangeset = rangeset instanceof RangeSet ? rangeset : new RangeSet(rangeset)
    this.store = store
    this.rangeID = String(rangeID)
  }

  /** Allocates an IP to container `id` on interface `ifname` (`Get`). */
  get(id: string, ifname = 'eth0', requestedIP?: string): IPConfig {
    const set = this.rangeset
    if (requestedIP !== undefined) {
      const a = parseAddr(requestedIP)
      const idx = set.rangeIndex(a)
      if (idx < 0) throw new HostLocalError(`${ipText(a)} not in range set ${set}`)
      const r = set.ranges[idx]!
      if (a.n === r.gateway) throw new HostLocalError(`requested ip ${ipText(a)} is subnet's gateway`)
      if (!this.store.reserve(id, ifname, ipText(a), this.rangeID)) {
        throw new HostLocalError(`requested IP address ${ipText(a)} is not available in range set ${set}`)
      }
      return this.config(a, r)
    }

    for (const held of this.store.getByID(id, ifname)) {
      if (set.rangeIndex(parseAddr(held)) >= 0) {
        throw new HostLocalError(`${held} has been allocated to ${id}, duplicate allocation is not allowed`)
      }
    }
    for (const [a, r] of this.iterate()) {
      if (this.store.reserve(id, ifname, ipText(a), this.rangeID)) return this.config(a, r)
    }
    throw new HostLocalError(`no IP addresses available in range set: ${set}`)
  }

  /** Frees every IP container `id` holds on `ifname` (`Release`); freeing nothing is not an error. */
  release(id: string, ifname = 'eth0'): void {
    this.store.releaseByID(id, ifname)
  }

  private config(a: Addr, r: CanonicalRange): IPConfig {
    const ip = ipText(a)
    return { ip, address: `${ip}/${r.prefix}`, gateway: ipText({ n: r.gateway, family: r.family }) }
  }

  /** `GetIter` + `RangeIter.Next`: every candidate IP, in the round-robin order. */
  private *iterate(): Generator<[Addr, CanonicalRange]> {
    const ranges = this.rangeset.ranges
    let rangeIdx = 0
    let cur: bigint | undefined
    let startIP: bigint | undefined
    const lastText = this.store.lastReservedIP(this.rangeID)
    const last = lastText !== undefined ? parseIP(lastText) : undefined
    const lastAddr: Addr | undefined = last ? { n: toBigInt(last), family: last.kind() === 'ipv4' ? 4 : 6 } : undefined
    const lastIdx = lastAddr ? this.rangeset.rangeIndex(lastAddr) : -1
    if (lastIdx >= 0) {
      rangeIdx = lastIdx
      cur = lastAddr!.n // the first step moves to lastReservedIP + 1
    }
    // Otherwise the walk starts at the first range's rangeStart, where startIP is set below.
    for (;;) {
      let r = ranges[rangeIdx]!
      if (cur === undefined) {
        cur = r.start
        startIP = cur
      } else {
        if (cur === r.end) {
          rangeIdx = (rangeIdx + 1) % ranges.length
          r = ranges[rangeIdx]!
          cur = r.start
        } else {
          cur += 1n
        }
        if (startIP === undefined) startIP = cur
        else if (cur === startIP) return
      }
      if (cur !== r.gateway) yield [{ n: cur, family: r.family }, r]
    }
  }
}
