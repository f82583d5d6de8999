// Wrong on purpose: dynamic allocation takes the lowest free address, 10.96.0.1 first,
// ignoring the static band that KEP-3070 keeps for Services that ask for an address.
import { formatIP, fromBigInt, parseCIDR } from '../../../lib/net/ipint.ts'
import { DEFAULT_SEED } from '../../../lib/random.ts'
import { ErrFull, Range as RealRange } from '../../../solutions/registry/ipallocator.ts'

export * from '../../../solutions/registry/ipallocator.ts'

export class Range extends RealRange {
  override allocateNext(): string {
    if (this.free() === 0) throw new ErrFull()
    const c = parseCIDR(this.cidr)!
    for (let i = 1n; i <= BigInt(this.max); i++) {
      const ip = formatIP(fromBigInt(c.network + i, c.family))
      if (!this.has(ip)) {
        this.allocate(ip)
        return ip
      }
    }
    throw new ErrFull()
  }
}

export function newCIDRRange(cidr: string, seed: number = DEFAULT_SEED): Range {
  return new Range(cidr, seed)
}
