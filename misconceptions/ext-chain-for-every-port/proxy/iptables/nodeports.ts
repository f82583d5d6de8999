// Wrong on purpose: every service port gets a KUBE-EXT chain, even one without endpoints
// or without any way in from outside the cluster (no nodePort, external IP or LB IP).
import { KUBE_MARK_MASQ } from '../../../../lib/net/iptables.ts'
import {
  NodePortCluster as RealCluster,
  NodePortProxier as RealProxier,
} from '../../../../solutions/proxy/iptables/nodeports.ts'
import type { ProxierOptions, ServicePortState } from '../../../../solutions/proxy/iptables/proxier.ts'

export * from '../../../../solutions/proxy/iptables/nodeports.ts'

export class NodePortProxier extends RealProxier {
  protected override writeExternalTrafficChain(s: ServicePortState): void {
    const info = s.info
    const chain = s.externalChain
    this.ruleset.addChain('nat', chain)
    if (!info.externalPolicyLocal) {
      this.ruleset.append('nat', chain, { comment: `masquerade traffic for ${info.name} external destinations`, jump: KUBE_MARK_MASQ })
      this.ruleset.append('nat', chain, { jump: s.clusterPolicyChain })
      return
    }
    this.ruleset.append('nat', chain, { comment: `pod traffic for ${info.name} external destinations`, source: { address: this.clusterCIDR }, jump: s.clusterPolicyChain })
    this.ruleset.append('nat', chain, { comment: `masquerade LOCAL traffic for ${info.name} external destinations`, srcType: 'LOCAL', jump: KUBE_MARK_MASQ })
    this.ruleset.append('nat', chain, { comment: `route LOCAL traffic for ${info.name} external destinations`, srcType: 'LOCAL', jump: s.clusterPolicyChain })
    if ((s.localEndpoints?.length ?? 0) > 0) this.ruleset.append('nat', chain, { jump: s.localPolicyChain })
  }
}

export class NodePortCluster extends RealCluster {
  protected override newProxier(options: ProxierOptions): RealProxier {
    return new NodePortProxier(options)
  }
}
