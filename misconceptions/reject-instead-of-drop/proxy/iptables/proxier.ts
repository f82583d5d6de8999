// Wrong on purpose: internalTrafficPolicy Local without a local endpoint REJECTs, like a
// Service without any endpoint, instead of DROPping — "no endpoint here" read as "no endpoints".
import type { Ruleset } from '../../../../lib/net/iptables.ts'
import { Proxier as RealProxier, type ServicePortState } from '../../../../solutions/proxy/iptables/proxier.ts'

export * from '../../../../solutions/proxy/iptables/proxier.ts'

export class Proxier extends RealProxier {
  override writeInternalRules(rs: Ruleset, s: ServicePortState): void {
    const noneHere = s.info.internalPolicyLocal && (s.localEndpoints?.length ?? 0) === 0
    super.writeInternalRules(rs, noneHere ? { ...s, hasEndpoints: false } : s)
  }
}
