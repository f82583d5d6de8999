// Wrong: enableServiceLinks: false turns off every service variable, the
// kubernetes Service's included.
import type { Service } from 'kubernetes-types/core/v1'
import { getServiceEnvVarMap as real } from '../../../solutions/kubelet/kubelet_pods.ts'

export * from '../../../solutions/kubelet/kubelet_pods.ts'

export function getServiceEnvVarMap(
  services: readonly Service[],
  podNamespace: string,
  enableServiceLinks: boolean,
  masterServiceNamespace = 'default',
): Map<string, string> {
  if (!enableServiceLinks) return new Map()
  return real(services, podNamespace, enableServiceLinks, masterServiceNamespace)
}
