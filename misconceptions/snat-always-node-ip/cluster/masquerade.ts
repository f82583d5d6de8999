// Wrong on purpose: a masqueraded connection always comes from the node's InternalIP,
// even when the pod is on that same node and the packet leaves through the pod's veth
// (whose host side holds the node's pod-network address, 10.244.x.1).
import type { Cluster } from '../../../solutions/cluster/cluster.ts'

export { kindnetMasquerade } from '../../../solutions/cluster/masquerade.ts'

export function snatAddress(cluster: Cluster, nodeName: string, _ip: string): string {
  return cluster.node(nodeName).internalIP
}
