// Wrong on purpose: only kube-proxy masquerades, so a pod's packet keeps the pod IP
// wherever it goes — even when its node sends it on to another node's address.
export { snatAddress } from '../../../solutions/cluster/masquerade.ts'

export function kindnetMasquerade(_cluster: unknown, _nodeName: string, source: string, _dest: string): string {
  return source
}
