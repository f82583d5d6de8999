// Wrong: the downward API's status.hostIP (and status.hostIPs) reads the pod's own IP.
import type { Container, Pod, Service } from 'kubernetes-types/core/v1'
import type { EnvVar } from '../../../solutions/kubelet/envvars.ts'
import { makeEnvironmentVariables as right, type EnvOptions } from '../../../solutions/kubelet/kubelet_pods.ts'

export * from '../../../solutions/kubelet/kubelet_pods.ts'

export function makeEnvironmentVariables(pod: Pod, container: Container, services: readonly Service[], opts: EnvOptions = {}): EnvVar[] {
  const hostFields = new Set(
    (container.env ?? []).filter((e) => ['status.hostIP', 'status.hostIPs'].includes(e.valueFrom?.fieldRef?.fieldPath ?? '')).map((e) => e.name),
  )
  return right(pod, container, services, opts).map((e) => (hostFields.has(e.name) ? { name: e.name, value: pod.status?.podIP ?? '' } : e))
}
