// Wrong on purpose: `kubectl exec … env` computes the environment from the Services that
// exist now, as if the kubelet updated a running container's environment.
import type { EnvVar } from '../../../solutions/kubelet/envvars.ts'
import { startContainer } from '../../../solutions/kubelet/kubelet_pods.ts'
import { runningPod } from '../../../solutions/cluster/kubelet.ts'
import { listServices, type ClusterState } from '../../../solutions/cluster/storage.ts'

export * from '../../../solutions/cluster/kubelet.ts'

export function env(s: ClusterState, namespace: string, podName: string, container?: string): EnvVar[] {
  const pod = runningPod(s, namespace, podName).pod
  const record = startContainer(pod, container ?? pod.spec?.containers[0]?.name ?? '', listServices(s))
  return [
    { name: 'PATH', value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    { name: 'HOSTNAME', value: pod.spec?.hostname ?? podName },
    ...record.env,
  ]
}
