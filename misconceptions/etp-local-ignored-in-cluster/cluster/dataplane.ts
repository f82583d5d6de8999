// Wrong on purpose: the cloud load balancer sends to every live backend node, without
// looking at the health checks — so externalTrafficPolicy Local's healthCheckNodePort
// (503 on nodes without a local endpoint) changes nothing.
import { nodeView, type LoadBalancerView } from '../../../solutions/cluster/dataplane.ts'
import type { ClusterState } from '../../../solutions/cluster/storage.ts'

export * from '../../../solutions/cluster/dataplane.ts'

export function loadBalancerBackends(s: ClusterState, lb: LoadBalancerView): string[] {
  return lb.hosts.filter((h) => nodeView(s, h).up)
}
