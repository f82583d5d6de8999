// Wrong: enableServiceLinks: false turns off every service variable, the
// kubernetes Service's included.
import type { Service } from 'kubernetes-types/core/v1'
import { fromServices } from '../../../solutions/kubelet/envvars.ts'
import { getServiceMap as real } from '../../../solutions/kubelet/kubelet_pods.ts'

export * from '../../../solutions/kubelet/kubelet_pods.ts'

export function getServiceMap(
  services: readonly Service[],
  podNamespace: string,
  enableServiceLinks: boolean,
  masterServiceNamespace = 'default',
): Map<string, Service> {
  if (!enableServiceLinks) return new Map()
  return real(services, podNamespace, enableServiceLinks, masterServiceNamespace)
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
