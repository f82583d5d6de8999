// The node IPAM range allocator: hands every node a podCIDR out of the cluster CIDR.
//
// kube-controller-manager runs it (`--allocate-node-cidrs`, `--cluster-cidr=10.244.0.0/16`,
// `--node-cidr-mask-size=24` on a kubeadm/kind cluster) and writes the result to
// `node.spec.podCIDR`; the CNI plugin on that node then hands pod IPs out of it.
//
// Given: `lib/net/ipint.ts` parses and prints IPs and CIDRs and turns them into bigints.
// import { bitsOf, formatCIDR, formatIP, fromBigInt, maskOf, parseCIDR, type Family, type ParsedCIDR } from '../../lib/net/ipint.ts'

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
  readonly maxCIDRs: number = 0

  /**
   * `NewCIDRSet(clusterCIDR, subNetMaskSize)`.
   * @param clusterCIDR e.g. `10.244.0.0/16` (host bits are cleared, as `net.ParseCIDR` does)
   * @param subNetMaskSize the node mask, e.g. `24`
   * @throws {CIDRSetError} `invalid CIDR address: <cidr>` when `clusterCIDR` does not parse (net.ParseCIDR's words)
   * @throws {SubNetTooBigError} for IPv6 when the node mask is more than 16 bits longer
   */
  constructor(clusterCIDR: string, subNetMaskSize: number) {
    // TODO(kata 00): parse the cluster CIDR, check the mask sizes, compute maxCIDRs.
    throw new Error('kata 00-pod-network: new CidrSet is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The cluster CIDR, as `net.IPNet.String()` prints it. */
  get clusterCIDR(): string {
    // TODO(kata 00): the cluster network and prefix, e.g. 10.244.0.0/16.
    throw new Error('kata 00-pod-network: CidrSet.clusterCIDR is not implemented yet — see lessons/00-pod-network.md')
  }

  /** How many node CIDRs are taken (`allocatedCIDRs`). */
  get allocatedCIDRs(): number {
    // TODO(kata 00): count the taken node CIDRs.
    throw new Error('kata 00-pod-network: CidrSet.allocatedCIDRs is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The node CIDR with this index (`indexToCIDRBlock`). */
  indexToCIDRBlock(index: number): string {
    // TODO(kata 00): cluster network | (index << (bits − node mask)), printed with the node mask.
    throw new Error('kata 00-pod-network: CidrSet.indexToCIDRBlock is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * The index of the node CIDR that holds this CIDR's address (`getIndexForCIDR`).
   * @throws {CIDRSetError} `CIDR: <ip>/<node mask> is out of the range of CIDR allocator`
   */
  getIndexForCIDR(cidr: string): number {
    // TODO(kata 00): (cluster network XOR address) >> (bits − node mask), checked against maxCIDRs.
    throw new Error('kata 00-pod-network: CidrSet.getIndexForCIDR is not implemented yet — see lessons/00-pod-network.md')
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
    // TODO(kata 00): walk from nextCandidate to the first free index; move nextCandidate past it.
    throw new Error('kata 00-pod-network: CidrSet.allocateNext is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Marks every node CIDR that `cidr` covers as taken (`Occupy`); taking a taken one is not an error.
   * @throws {CIDRSetError} `cidr <cidr> is out the range of cluster cidr <cluster>`
   */
  occupy(cidr: string): void {
    // TODO(kata 00): find the first and last node-CIDR index the CIDR covers; mark them taken.
    throw new Error('kata 00-pod-network: CidrSet.occupy is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Frees every node CIDR that `cidr` covers (`Release`); freeing a free one is not an error.
   * @throws {CIDRSetError} `cidr <cidr> is out the range of cluster cidr <cluster>`
   */
  release(cidr: string): void {
    // TODO(kata 00): the same indices as occupy; mark them free. nextCandidate does not move.
    throw new Error('kata 00-pod-network: CidrSet.release is not implemented yet — see lessons/00-pod-network.md')
  }

  /** Whether the node CIDR holding this CIDR's address is taken. */
  isAllocated(cidr: string): boolean {
    // TODO(kata 00): look the index up in your record of taken node CIDRs.
    throw new Error('kata 00-pod-network: CidrSet.isAllocated is not implemented yet — see lessons/00-pod-network.md')
  }
}
