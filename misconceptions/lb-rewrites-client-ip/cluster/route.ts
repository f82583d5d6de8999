// Wrong on purpose: the cloud's load balancer sends the connection on from its own
// address, as a proxy would, so the node and the pod never see the real client.
import type { Client, LoadBalancerView } from '../../../solutions/cluster/dataplane.ts'
import type { Cluster } from '../../../solutions/cluster/cluster.ts'
import { throughLoadBalancer as keepsClient, type Step } from '../../../solutions/cluster/route.ts'

export * from '../../../solutions/cluster/route.ts'

export function throughLoadBalancer(cluster: Cluster, client: Client, lb: LoadBalancerView, port: number, path: string[]): Step {
  const step = keepsClient(cluster, client, lb, port, path)
  return 'hop' in step && step.hop === 'kube-proxy' ? { ...step, packet: { ...step.packet, sourceIP: lb.ip } } : step
}
