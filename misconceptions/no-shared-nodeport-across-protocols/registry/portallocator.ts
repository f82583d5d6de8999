// Wrong on purpose: every port of the Service gets its own nodePort, even 53/UDP and 53/TCP.
import type { Service } from 'kubernetes-types/core/v1'
import { allocateServiceNodePorts as realAllocate, type PortAllocator } from '../../../solutions/registry/portallocator.ts'

export * from '../../../solutions/registry/portallocator.ts'

export function allocateServiceNodePorts(svc: Service, alloc: PortAllocator): Service {
  // Make every port number unique so the registry never sees two ports "sharing" a number.
  const disguised = structuredClone(svc)
  const real = (svc.spec?.ports ?? []).map((p) => p.port)
  disguised.spec?.ports?.forEach((p, i) => {
    p.port = p.port + 100000 * (i + 1)
  })
  const out = realAllocate(disguised, alloc)
  out.spec?.ports?.forEach((p, i) => {
    p.port = real[i]!
  })
  return out
}
