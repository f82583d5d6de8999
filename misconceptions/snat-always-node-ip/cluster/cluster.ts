// Wrong on purpose: a masqueraded connection always comes from the node's InternalIP,
// even when the pod is on that same node and the packet leaves through the pod's veth
// (whose host side holds the node's pod-network address, 10.244.x.1).
import { Cluster as RealCluster } from '../../../solutions/cluster/cluster.ts'

export * from '../../../solutions/cluster/cluster.ts'

export class Cluster extends RealCluster {
  override snatAddress(nodeName: string, _ip: string): string {
    return this.node(nodeName).internalIP
  }
}
