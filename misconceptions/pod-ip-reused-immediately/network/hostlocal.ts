// Wrong on purpose: every allocation scans from rangeStart and takes the lowest free IP.
import { formatIP, fromBigInt, parseIP, toBigInt } from '../../../lib/net/ipint.ts'
import { HostLocalError, IPAllocator as RoundRobinAllocator, type IPConfig } from '../../../solutions/network/hostlocal.ts'

export * from '../../../solutions/network/hostlocal.ts'

export class IPAllocator extends RoundRobinAllocator {
  override get(id: string, ifname = 'eth0', requestedIP?: string): IPConfig {
    if (requestedIP !== undefined) return super.get(id, ifname, requestedIP)
    for (const held of this.store.getByID(id, ifname)) {
      if (this.rangeset.contains(held)) throw new HostLocalError(`${held} has been allocated to ${id}, duplicate allocation is not allowed`)
    }
    for (const r of this.rangeset.list()) {
      const family = r.subnet.includes(':') ? 6 : 4
      const prefix = r.subnet.split('/')[1]
      for (let n = toBigInt(parseIP(r.rangeStart)!); n <= toBigInt(parseIP(r.rangeEnd)!); n++) {
        const ip = formatIP(fromBigInt(n, family))
        if (ip === r.gateway) continue
        if (this.store.reserve(id, ifname, ip, this.rangeID)) return { ip, address: `${ip}/${prefix}`, gateway: r.gateway }
      }
    }
    throw new HostLocalError(`no IP addresses available in range set: ${this.rangeset}`)
  }
}
