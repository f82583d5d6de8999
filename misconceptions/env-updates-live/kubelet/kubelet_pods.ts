// Wrong: a running container's environment follows the cluster; whenever it is
// read it reflects the Services that exist now.
import type { Pod, Service } from 'kubernetes-types/core/v1'
import {
  Kubelet as RealKubelet,
  makeEnvironmentVariables,
  type ContainerRecord,
} from '../../../solutions/kubelet/kubelet_pods.ts'

export * from '../../../solutions/kubelet/kubelet_pods.ts'

export class Kubelet extends RealKubelet {
  private servicesNow: readonly Service[] = []
  private readonly pods = new Map<string, Pod>()

  override updateServices(services: readonly Service[]): void {
    super.updateServices(services)
    this.servicesNow = [...services]
  }

  override startContainer(pod: Pod, containerName: string): ContainerRecord {
    this.pods.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, pod)
    return super.startContainer(pod, containerName)
  }

  override container(namespace: string, podName: string, containerName: string): ContainerRecord | undefined {
    const rec = super.container(namespace, podName, containerName)
    const pod = this.pods.get(`${namespace}/${podName}`)
    const container = pod?.spec?.containers.find((c) => c.name === containerName)
    if (!rec || rec.state !== 'Running' || !pod || !container) return rec
    return { ...rec, env: makeEnvironmentVariables(pod, container, this.servicesNow) }
  }
}
