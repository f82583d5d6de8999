// Wrong: a ClusterFirst pod gets the cluster DNS *and* the node's nameservers, as if
// the node's resolvers were a fallback behind CoreDNS.
import type { Pod } from 'kubernetes-types/core/v1'
import { CLUSTER_DNS_IP } from '../../../lib/cluster/defaults.ts'
import {
  formDNSNameserversFitsLimits,
  getPodDNS as realGetPodDNS,
  getPodDNSType,
  type DNSConfig,
  type Formed,
  type KubeletDNS,
} from '../../../solutions/dns/resolvconf.ts'

export * from '../../../solutions/dns/resolvconf.ts'

export function getPodDNS(pod: Pod, kubelet: KubeletDNS = {}): Formed<DNSConfig> {
  const got = realGetPodDNS(pod, kubelet)
  const clusterDNS = kubelet.clusterDNS ?? [CLUSTER_DNS_IP]
  let cluster = false
  try {
    cluster = getPodDNSType(pod) === 'podDNSCluster'
  } catch {
    cluster = true
  }
  if (!cluster || clusterDNS.length === 0 || !kubelet.hostDNS) return got
  const n = clusterDNS.length
  const servers = formDNSNameserversFitsLimits([
    ...new Set([...got.value.servers.slice(0, n), ...kubelet.hostDNS.servers, ...got.value.servers.slice(n)]),
  ])
  return { value: { ...got.value, servers: servers.value }, events: [...got.events, ...servers.events] }
}
