// Wrong on purpose: the load balancer matches a Service port by its number alone, as if
// 53/UDP and 53/TCP were one port — a TCP connection to a port declared only for UDP is
// sent on to that port's nodePort.
import type { Cluster } from '../../../solutions/cluster/cluster.ts'
import type { Client, LoadBalancerView } from '../../../solutions/cluster/dataplane.ts'
import { throughLoadBalancer as byProtocol, type Step } from '../../../solutions/cluster/route.ts'

export * from '../../../solutions/cluster/route.ts'

export function throughLoadBalancer(cluster: Cluster, client: Client, lb: LoadBalancerView, port: number, path: string[]): Step {
  const ports = lb.service.spec?.ports?.map((p) => ({ ...p, protocol: 'TCP' as const }))
  return byProtocol(cluster, client, { ...lb, service: { ...lb.service, spec: { ...lb.service.spec, ports } } }, port, path)
}
