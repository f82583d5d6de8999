// Wrong: the index just past the last node CIDR (256 for /24s of a /16) counts as in range.
import { CidrSet as Right } from '../../../solutions/network/cidrset.ts'

export * from '../../../solutions/network/cidrset.ts'

export class CidrSet extends Right {
  override getIndexForCIDR(cidr: string): number {
    if (cidr === this.indexToCIDRBlock(this.maxCIDRs)) return this.maxCIDRs
    return super.getIndexForCIDR(cidr)
  }
}
