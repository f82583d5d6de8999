// Wrong on purpose: kube-proxy's own /healthz answers 503 on a node with any taint (a
// cordoned node, a maintenance taint), not only ToBeDeletedByClusterAutoscaler.
import type { Service } from 'kubernetes-types/core/v1'
import {
  getServiceHealthCheckPathPort,
  probeBackend as realProbeBackend,
  type BackendNode,
  type ProbeResult,
} from '../../../solutions/proxy/healthcheck.ts'

export * from '../../../solutions/proxy/healthcheck.ts'

export function probeBackend(service: Service, backend: BackendNode): ProbeResult {
  const real = realProbeBackend(service, backend)
  const tainted = (backend.node.spec?.taints ?? []).length > 0
  if (real.status === 200 && tainted && getServiceHealthCheckPathPort(service).port === 0) return { ...real, status: 503 }
  return real
}

export function healthyBackends(service: Service, backends: readonly BackendNode[]): string[] {
  return backends.filter((b) => probeBackend(service, b).status === 200).map((b) => b.node.metadata?.name ?? '')
}
