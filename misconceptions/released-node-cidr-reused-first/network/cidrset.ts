// Wrong on purpose: allocateNext takes the lowest free node CIDR, every time.
import { CidrSet as WalkingCidrSet, NoCIDRsRemainingError } from '../../../solutions/network/cidrset.ts'

export * from '../../../solutions/network/cidrset.ts'

export class CidrSet extends WalkingCidrSet {
  override allocateNext(): string {
    if (this.allocatedCIDRs === this.maxCIDRs) throw new NoCIDRsRemainingError()
    for (let i = 0; i < this.maxCIDRs; i++) {
      const cidr = this.indexToCIDRBlock(i)
      if (!this.isAllocated(cidr)) {
        this.occupy(cidr)
        return cidr
      }
    }
    throw new NoCIDRsRemainingError()
  }
}
