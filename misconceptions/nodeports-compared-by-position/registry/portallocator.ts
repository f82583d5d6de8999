// Wrong on purpose: whether the user changed the nodePorts is decided port by port, by
// position, so a ClusterIP Service whose ports moved keeps nodePorts nothing holds.
import type { Service } from 'kubernetes-types/core/v1'
import { updateServiceNodePorts as realUpdate, type PortAllocator } from '../../../solutions/registry/portallocator.ts'

export * from '../../../solutions/registry/portallocator.ts'

const usesNodePorts = (svc: Service) => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer'

export function updateServiceNodePorts(oldSvc: Service, newSvc: Service, alloc: PortAllocator): Service {
  const stored = realUpdate(oldSvc, newSvc, alloc)
  if (usesNodePorts(oldSvc) && !usesNodePorts(newSvc)) {
    const samePositions = (newSvc.spec?.ports ?? []).every((p, i) => (p.nodePort ?? 0) === (oldSvc.spec?.ports?.[i]?.nodePort ?? 0))
    // "The user changed them": keep the nodePorts as sent.
    if (!samePositions && stored.spec) stored.spec.ports = structuredClone(newSvc.spec?.ports ?? [])
  }
  return stored
}
