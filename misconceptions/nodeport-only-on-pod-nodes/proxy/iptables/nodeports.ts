// Wrong on purpose: a node opens a Service's nodePort only if it runs one of its pods.
import {
  NodePortCluster as RealCluster,
  NodePortProxier as RealProxier,
} from '../../../../solutions/proxy/iptables/nodeports.ts'
import type { ProxierOptions, ServicePortState } from '../../../../solutions/proxy/iptables/proxier.ts'

export * from '../../../../solutions/proxy/iptables/nodeports.ts'

export class NodePortProxier extends RealProxier {
  protected override writeNodePortRules(s: ServicePortState): void {
    if (!s.endpoints.some((ep) => ep.isLocal)) return
    super.writeNodePortRules(s)
  }
}

export class NodePortCluster extends RealCluster {
  protected override newProxier(options: ProxierOptions): RealProxier {
    return new NodePortProxier(options)
  }
}
