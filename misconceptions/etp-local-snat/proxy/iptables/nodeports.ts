// Wrong on purpose: externalTrafficPolicy Local only narrows the endpoints to this node's;
// the KUBE-EXT chain still masquerades every connection, as with Cluster.
import { KUBE_MARK_MASQ } from '../../../../lib/net/iptables.ts'
import {
  NodePortCluster as RealCluster,
  NodePortProxier as RealProxier,
} from '../../../../solutions/proxy/iptables/nodeports.ts'
import type { ProxierOptions, ServicePortState } from '../../../../solutions/proxy/iptables/proxier.ts'
import { externallyAccessible } from '../../../../solutions/proxy/topology.ts'

export * from '../../../../solutions/proxy/iptables/nodeports.ts'

export class NodePortProxier extends RealProxier {
  protected override writeExternalTrafficChain(s: ServicePortState): void {
    const info = s.info
    if (!s.hasEndpoints || !externallyAccessible(info)) return
    const chain = s.externalChain
    this.ruleset.append('nat', chain, { comment: `masquerade traffic for ${info.name} external destinations`, jump: KUBE_MARK_MASQ })
    if (!info.externalPolicyLocal) {
      this.ruleset.append('nat', chain, { jump: s.clusterPolicyChain })
      return
    }
    this.ruleset.append('nat', chain, {
      comment: `pod traffic for ${info.name} external destinations`,
      source: { address: this.clusterCIDR },
      jump: s.clusterPolicyChain,
    })
    if ((s.localEndpoints?.length ?? 0) > 0) this.ruleset.append('nat', chain, { jump: s.localPolicyChain })
  }
}

export class NodePortCluster extends RealCluster {
  protected override newProxier(options: ProxierOptions): RealProxier {
    return new NodePortProxier(options)
  }
}
