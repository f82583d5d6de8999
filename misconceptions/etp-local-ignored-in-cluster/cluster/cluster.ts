// Wrong on purpose: the cloud load balancer sends to every live backend node, without
// looking at the health checks — so externalTrafficPolicy Local's healthCheckNodePort
// (503 on nodes without a local endpoint) changes nothing.
import { Cluster as RealCluster, type LoadBalancerView } from '../../../solutions/cluster/cluster.ts'

export * from '../../../solutions/cluster/cluster.ts'

export class Cluster extends RealCluster {
  override loadBalancerBackends(lb: LoadBalancerView): string[] {
    return lb.hosts.filter((h) => this.node(h).up)
  }
}
