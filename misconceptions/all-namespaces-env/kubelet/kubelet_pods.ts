// Wrong: every Service of the cluster is injected when service links are on,
// whatever its namespace.
import type { Service } from 'kubernetes-types/core/v1'
import { fromServices, isServiceIPSet } from '../../../solutions/kubelet/envvars.ts'
import { MASTER_SERVICES } from '../../../solutions/kubelet/kubelet_pods.ts'

export * from '../../../solutions/kubelet/kubelet_pods.ts'

export function getServiceMap(
  services: readonly Service[],
  podNamespace: string,
  enableServiceLinks: boolean,
  masterServiceNamespace = 'default',
): Map<string, Service> {
  void podNamespace
  const byName = new Map<string, Service>()
  for (const service of services) {
    if (!isServiceIPSet(service)) continue
    const name = service.metadata?.name ?? ''
    if (service.metadata?.namespace === masterServiceNamespace && MASTER_SERVICES.includes(name)) {
      if (!byName.has(name)) byName.set(name, service)
    } else if (enableServiceLinks) {
      byName.set(name, service)
    }
  }
  return byName
}

// The solution's getServiceEnvVarMap calls its own getServiceMap; this one calls the wrong one.
export function getServiceEnvVarMap(
  services: readonly Service[],
  podNamespace: string,
  enableServiceLinks: boolean,
  masterServiceNamespace = 'default',
): Map<string, string> {
  const serviceMap = getServiceMap(services, podNamespace, enableServiceLinks, masterServiceNamespace)
  return new Map(fromServices([...serviceMap.values()]).map((e) => [e.name, e.value]))
}
