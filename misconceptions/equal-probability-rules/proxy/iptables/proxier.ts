// Wrong on purpose: every balancing rule but the last gets --probability 1/n, as if each
// rule saw every new connection — but a rule only sees the connections the rules above
// it let through.
import type { Ruleset } from '../../../../lib/net/iptables.ts'
import type { Endpoint, ServicePortInfo } from '../../../../solutions/proxy/topology.ts'
import { computeProbability, endpointChainName } from '../../../../solutions/proxy/iptables/proxier.ts'

export * from '../../../../solutions/proxy/iptables/proxier.ts'

export function writeServiceToEndpointRules(rs: Ruleset, info: ServicePortInfo, chain: string, endpoints: readonly Endpoint[]): void {
  const sep = (ep: Endpoint) => endpointChainName(info, ep)
  rs.addChain('nat', chain)
  if (info.sessionAffinity === 'ClientIP') {
    for (const ep of endpoints) {
      rs.append('nat', chain, { comment: `${info.name} -> ${ep.endpoint}`, recent: { name: sep(ep), action: 'rcheck', seconds: info.stickyMaxAgeSeconds }, jump: sep(ep) })
    }
  }
  endpoints.forEach((ep, i) => {
    const probability = i < endpoints.length - 1 ? { probability: computeProbability(endpoints.length) } : {}
    rs.append('nat', chain, { comment: `${info.name} -> ${ep.endpoint}`, ...probability, jump: sep(ep) })
  })
}
