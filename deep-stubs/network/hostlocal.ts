// Pod IPs on one node: the CNI `host-local` IPAM plugin.
//
// On a kind cluster, kindnet writes /etc/cni/net.d/10-kindnet.conflist with the `ptp`
// plugin and `"ipam": {"type": "host-local", "ranges": [[{"subnet": "<node podCIDR>"}]]}`,
// so every pod sandbox on the node gets its IP from this allocator. The store is the
// plugin's data directory (one file per reserved IP, plus `last_reserved_ip.<range>`);
// here it is kept in memory.
//
// Given: `lib/net/ipint.ts` parses and prints IPs and CIDRs and turns them into bigints.
// import { bitsOf, formatCIDR, formatIP, fromBigInt, maskOf, parseCIDR, parseIP, toBigInt, type Family } from '../../lib/net/ipint.ts'

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
  constructor(configs: readonly RangeConfig[]) {
    // TODO(kata 00): canonicalize every range, then check families and overlaps.
    throw new Error('kata 00-pod-network: new RangeSet is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The ranges with their defaults filled in. */
  list(): Range[] {
    // TODO(kata 00): the canonical ranges, as strings.
    throw new Error('kata 00-pod-network: RangeSet.list is not implemented yet — see lessons/00-pod-network.md')
  }

  /** Whether an allocatable range holds this IP (between rangeStart and rangeEnd). */
  contains(ip: string): boolean {
    // TODO(kata 00): in the subnet, and rangeStart <= ip <= rangeEnd, of some range.
    throw new Error('kata 00-pod-network: RangeSet.contains is not implemented yet — see lessons/00-pod-network.md')
  }

  /** `10.244.1.1-10.244.1.254`, ranges joined by `,`. */
  toString(): string {
    // TODO(kata 00): `<rangeStart>-<rangeEnd>` per range.
    throw new Error('kata 00-pod-network: RangeSet.toString is not implemented yet — see lessons/00-pod-network.md')
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
  readonly rangeset!: RangeSet
  readonly store!: MemoryStore
  /** Names the `last_reserved_ip.<rangeID>` file: the index of the range set in the config. */
  readonly rangeID!: string

  constructor(rangeset: RangeSet | readonly RangeConfig[], store: MemoryStore = new MemoryStore(), rangeID: number | string = 0) {
    // TODO(kata 00): keep the range set (build one from configs), the store and the range ID.
    throw new Error('kata 00-pod-network: new IPAllocator is not implemented yet — see lessons/00-pod-network.md')
  }

  /** Allocates an IP to container `id` on interface `ifname` (`Get`). */
  get(id: string, ifname = 'eth0', requestedIP?: string): IPConfig {
    // TODO(kata 00): the requested IP, or the round-robin walk (GetIter + RangeIter.Next).
    throw new Error('kata 00-pod-network: IPAllocator.get is not implemented yet — see lessons/00-pod-network.md')
  }

  /** Frees every IP container `id` holds on `ifname` (`Release`); freeing nothing is not an error. */
  release(id: string, ifname = 'eth0'): void {
    // TODO(kata 00): let the store forget this container's IPs.
    throw new Error('kata 00-pod-network: IPAllocator.release is not implemented yet — see lessons/00-pod-network.md')
  }
}
