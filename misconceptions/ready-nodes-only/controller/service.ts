// Wrong: a node must be Ready to back a load balancer.
import type { Node } from 'kubernetes-types/core/v1'
import { backendNodes as realBackendNodes } from '../../../solutions/controller/service.ts'

export * from '../../../solutions/controller/service.ts'

export function backendNodes(nodes: readonly Node[]): Node[] {
  const ready = (n: Node) => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  return realBackendNodes(nodes).filter(ready)
}
