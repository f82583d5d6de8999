// Wrong: $(VAR) can refer to any variable of the container, wherever it is
// declared, as if the whole env list were read before expanding.
import type { Container, Pod, Service } from 'kubernetes-types/core/v1'
import type { EnvVar } from '../../../solutions/kubelet/envvars.ts'
import { makeEnvironmentVariables as real, type EnvOptions } from '../../../solutions/kubelet/kubelet_pods.ts'

export * from '../../../solutions/kubelet/kubelet_pods.ts'

export function makeEnvironmentVariables(pod: Pod, container: Container, services: readonly Service[], opts: EnvOptions = {}): EnvVar[] {
  const literal = (container.env ?? []).filter((e) => e.value !== undefined && !e.value.includes('$'))
  return real(pod, { ...container, env: [...literal, ...(container.env ?? [])] }, services, opts)
}
