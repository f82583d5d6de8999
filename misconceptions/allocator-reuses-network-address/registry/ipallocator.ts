// Wrong on purpose: the network address (10.96.0.0) counts as an ordinary service IP,
// handed out first and accepted when asked for.
import { parseCIDR, formatIP, fromBigInt } from '../../../lib/net/ipint.ts'
import { DEFAULT_SEED } from '../../../lib/random.ts'
import { ErrAllocated, ErrFull, Range as RealRange } from '../../../solutions/registry/ipallocator.ts'

export * from '../../../solutions/registry/ipallocator.ts'

export class Range extends RealRange {
  private networkTaken = false
  private readonly network: string

  constructor(cidr: string, seed: number = DEFAULT_SEED) {
    super(cidr, seed)
    const c = parseCIDR(this.cidr)!
    this.network = formatIP(fromBigInt(c.network, c.family))
  }

  override allocate(ip: string): void {
    if (ip !== this.network) return super.allocate(ip)
    if (this.networkTaken) throw new ErrAllocated()
    this.networkTaken = true
  }

  override allocateNext(): string {
    if (!this.networkTaken) {
      this.networkTaken = true
      return this.network
    }
    if (super.free() === 0) throw new ErrFull()
    return super.allocateNext()
  }

  override release(ip: string): void {
    if (ip === this.network) this.networkTaken = false
    else super.release(ip)
  }

  override has(ip: string): boolean {
    return ip === this.network ? this.networkTaken : super.has(ip)
  }

  override free(): number {
    return super.free() + (this.networkTaken ? 0 : 1)
  }

  override used(): number {
    return super.used() + (this.networkTaken ? 1 : 0)
  }
}

export function newCIDRRange(cidr: string, seed: number = DEFAULT_SEED): Range {
  return new Range(cidr, seed)
}

export function firstServiceIP(range: RealRange): string {
  const c = parseCIDR(range.cidr)!
  return formatIP(fromBigInt(c.network, c.family))
}
