// Wrong on purpose: internalTrafficPolicy Local without a local endpoint REJECTs, like a
// Service without any endpoint, instead of DROPping.
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { Ruleset } from '../../../../lib/net/iptables.ts'
import { Proxier as RealProxier } from '../../../../solutions/proxy/iptables/proxier.ts'

export * from '../../../../solutions/proxy/iptables/proxier.ts'

export class Proxier extends RealProxier {
  override sync(services: readonly Service[], slices: readonly EndpointSlice[]): void {
    super.sync(services, slices)
    const rewritten = new Ruleset()
    for (const table of ['filter', 'nat'] as const) {
      for (const chain of this.ruleset.chains(table)) {
        rewritten.addChain(table, chain)
        for (const rule of this.ruleset.rules(table, chain)) {
          rewritten.append(table, chain, rule.jump === 'DROP' ? { ...rule, comment: rule.comment?.replace('no local endpoints', 'no endpoints'), jump: 'REJECT' } : rule)
        }
      }
    }
    this.ruleset = rewritten
  }
}
