// The node IPAM range allocator: hands every node a podCIDR out of the cluster CIDR.
//
// kube-controller-manager runs it (`--allocate-node-cidrs`, `--cluster-cidr=10.244.0.0/16`,
// `--node-cidr-mask-size=24` on a kubeadm/kind cluster) and writes the result to
// `node.spec.podCIDR`; the CNI plugin on that node then hands pod IPs out of it.
import { bitsOf, formatCIDR, formatIP, fromBigInt, maskOf, parseCIDR, type Family, type ParsedCIDR } from '../../lib/net/ipint.ts'

/** Base class of the allocator's errors. */
export class CIDRSetError extends Error {
  override name = 'CIDRSetError'
}

/** `ErrCIDRRangeNoCIDRsRemaining`: every node CIDR of the cluster CIDR is taken. */
export class NoCIDRsRemainingError extends CIDRSetError {
  override name = 'NoCIDRsRemainingError'
  constructor() {
    super('CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range')
  }
}

/** `ErrCIDRSetSubNetTooBig`: an IPv6 node mask more than 16 bits longer than the cluster mask. */
export class SubNetTooBigError extends CIDRSetError {
  override name = 'SubNetTooBigError'
  constructor() {
    super('New CIDR set failed; the node CIDR size is too big')
  }
}

/**
 * The node mask may be at most this many bits longer than the cluster mask for IPv6
 * (the allocator keeps an uncompressed bitmap). IPv4 has no such limit.
 */
export const CLUSTER_SUBNET_MAX_DIFF = 16

function mustParse(cidr: string): ParsedCIDR {
  const parsed = parseCIDR(cidr)
  if (!parsed) throw new CIDRSetError(`invalid CIDR address: ${cidr}`)
  return parsed
}

/**
 * A set of node CIDRs carved out of one cluster CIDR (`CidrSet`).
 *
 * Rules:
 * 1. Node CIDR number `i` is the cluster network with `i` written into the bits
 *    between the cluster mask and the node mask: for 10.244.0.0/16 and /24, index 0
 *    is 10.244.0.0/24, index 1 is 10.244.1.0/24 … index 255 is 10.244.255.0/24.
 * 2. `allocateNext` starts at `nextCandidate`, walks forward (wrapping around) to the
 *    first free index, takes it and sets `nextCandidate` to the index after it. So a
 *    released CIDR is not handed out again until the walk comes back round to it.
 * 3. `occupy` and `release` take any CIDR that overlaps the cluster CIDR and mark
 *    every node CIDR it covers; they never move `nextCandidate`, and they count a
 *    node CIDR only when its state really changes.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/nodeipam/ipam/cidrset/cidr_set.go
 */
export class CidrSet {
  /** How many node CIDRs the cluster CIDR holds: 2^(node mask − cluster mask). */
  readonly maxCIDRs: number
  private readonly cluster: ParsedCIDR
  private readonly nodeMaskSize: number
  /** The indices of the node CIDRs that are taken. */
  private readonly used = new Set<number>()
  /** Where the next `allocateNext` starts looking: the index after the last one it handed out. */
  private nextCandidate = 0

  /**
   * `NewCIDRSet(clusterCIDR, subNetMaskSize)`.
   * @param clusterCIDR e.g. `10.244.0.0/16` (host bits are cleared, as `net.ParseCIDR` does)
   * @param subNetMaskSize the node mask, e.g. `24`
   * @throws {CIDRSetError} `invalid CIDR address: <cidr>` when `clusterCIDR` does not parse (net.ParseCIDR's words)
   * @throws {SubNetTooBigError} for IPv6 when the node mask is more than 16 bits longer
   */
  constructor(clusterCIDR: string, subNetMaskSize: number) {
    this.cluster = mustParse(clusterCIDR)
    this.nodeMaskSize = subNetMaskSize
    const diff = subNetMaskSize - this.cluster.prefix
    if (this.cluster.family === 6 && diff > CLUSTER_SUBNET_MAX_DIFF) throw new SubNetTooBigError()
    // A node mask shorter than the cluster mask leaves nothing to allocate.
    this.maxCIDRs = diff < 0 ? 0 : 2 ** diff
  }

  /** The cluster CIDR, as `net.IPNet.String()` prints it. */
  get clusterCIDR(): string {
    return formatCIDR(this.cluster.network, this.cluster.prefix, this.cluster.family)
  }

  /** How many node CIDRs are taken (`allocatedCIDRs`). */
  get allocatedCIDRs(): number {
    return this.used.size
  }

  /** The node CIDR with this index (`indexToCIDRBlock`). */
  indexToCIDRBlock(index: number): string {
    const family = this.cluster.family
    const shift = BigInt(bitsOf(family) - this.nodeMaskSize)
    return formatCIDR(this.cluster.network | (BigInt(index) << shift), this.nodeMaskSize, family)
  }

  /**
   * The index of the node CIDR that holds this CIDR's address (`getIndexForCIDR`).
   * @throws {CIDRSetError} `CIDR: <ip>/<node mask> is out of the range of CIDR allocator`
   */
  getIndexForCIDR(cidr: string): number {
    const c = mustParse(cidr)
    return this.indexOf(c.network, c.family)
  }

  private indexOf(ip: bigint, family: Family): number {
    const bits = bitsOf(this.cluster.family)
    const index = ((this.cluster.network ^ ip) & ((1n << BigInt(bits)) - 1n)) >> BigInt(bits - this.nodeMaskSize)
    if (family !== this.cluster.family || index >= BigInt(this.maxCIDRs)) {
      throw new CIDRSetError(`CIDR: ${formatIP(fromBigInt(ip, family))}/${this.nodeMaskSize} is out of the range of CIDR allocator`)
    }
    return Number(index)
  }

  /**
   * Takes the next free node CIDR and returns it (`AllocateNext`):
   * 1. when all `maxCIDRs` are taken, throws `new NoCIDRsRemainingError()`;
   * 2. walks from `nextCandidate` upwards (after the last index comes 0) to the first
   *    index that is not `used`;
   * 3. marks it used, sets `nextCandidate` to the index after it (after the last: 0),
   *    and returns `indexToCIDRBlock(index)`, e.g. `10.244.1.0/24`.
   *
   * So a released CIDR is handed out again only once the walk comes round to it.
   * @throws {NoCIDRsRemainingError} `CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range`
   */
  allocateNext(): string {
    if (this.used.size === this.maxCIDRs) throw new NoCIDRsRemainingError()
    let candidate = this.nextCandidate
    // Stryker disable next-line EqualityOperator,UpdateOperator: the full-set guard above leaves a free index, so the walk breaks before its bound
    for (let i = 0; i < this.maxCIDRs; i++) {
      if (!this.used.has(candidate)) break
      candidate = (candidate + 1) % this.maxCIDRs
    }
    this.nextCandidate = (candidate + 1) % this.maxCIDRs
    this.used.add(candidate)
    return this.indexToCIDRBlock(candidate)
  }

  /** The first and last node-CIDR index a CIDR covers (`getBeginningAndEndIndices`). */
  private beginningAndEnd(cidr: string): [number, number] {
    const c = mustParse(cidr)
    const cl = this.cluster
    const overlaps =
      c.family === cl.family && (c.network & maskOf(Math.min(c.prefix, cl.prefix), cl.family)) === (cl.network & maskOf(Math.min(c.prefix, cl.prefix), cl.family))
    if (!overlaps) {
      throw new CIDRSetError(`cidr ${formatCIDR(c.network, c.prefix, c.family)} is out the range of cluster cidr ${this.clusterCIDR}`)
    }
    // Stryker disable next-line EqualityOperator: a CIDR exactly as wide as the cluster CIDR covers indices 0 to maxCIDRs − 1 either way
    if (cl.prefix >= c.prefix) return [0, this.maxCIDRs - 1]
    const nodeMask = maskOf(this.nodeMaskSize, cl.family)
    const last = c.network | (((1n << BigInt(bitsOf(cl.family))) - 1n) ^ maskOf(c.prefix, cl.family))
    return [this.indexOf(c.network & nodeMask, c.family), this.indexOf(last & nodeMask, c.family)]
  }

  /**
   * Marks every node CIDR that `cidr` covers as taken (`Occupy`); taking a taken one is not an error.
   * @throws {CIDRSetError} `cidr <cidr> is out the range of cluster cidr <cluster>`
   */
  occupy(cidr: string): void {
    const [begin, end] = this.beginningAndEnd(cidr)
    for (let i = begin; i <= end; i++) this.used.add(i)
  }

  /**
   * Frees every node CIDR that `cidr` covers (`Release`); freeing a free one is not an error.
   * @throws {CIDRSetError} `cidr <cidr> is out the range of cluster cidr <cluster>`
   */
  release(cidr: string): void {
    const [begin, end] = this.beginningAndEnd(cidr)
    for (let i = begin; i <= end; i++) this.used.delete(i)
  }

  /** Whether the node CIDR holding this CIDR's address is taken. */
  isAllocated(cidr: string): boolean {
    return this.used.has(this.getIndexForCIDR(cidr))
  }
}
