// Wrong on purpose: dynamic allocation keeps the static band free but walks the upper band
// in order (10.96.1.1, 10.96.1.2, …) instead of starting each scan at a random address.
import { formatIP, fromBigInt, parseCIDR } from '../../../lib/net/ipint.ts'
import { DEFAULT_SEED } from '../../../lib/random.ts'
import { ErrFull, Range as RealRange } from '../../../solutions/registry/ipallocator.ts'

export * from '../../../solutions/registry/ipallocator.ts'

export class Range extends RealRange {
  override allocateNext(): string {
    const c = parseCIDR(this.cidr)!
    const bands = [
      [this.offset, this.max],
      [0, this.offset],
    ]
    for (const [from, to] of bands) {
      for (let o = from!; o < to!; o++) {
        const ip = formatIP(fromBigInt(c.network + 1n + BigInt(o), c.family))
        if (!this.has(ip)) {
          this.allocate(ip)
          return ip
        }
      }
    }
    throw new ErrFull()
  }
}

export function newCIDRRange(cidr: string, seed: number = DEFAULT_SEED): Range {
  return new Range(cidr, seed)
}
