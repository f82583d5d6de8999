// Wrong on purpose: a machine outside the cluster reaches pod IPs as a node does.
import { PodNetwork as RoutedPodNetwork, type Origin, type Reachability } from '../../../solutions/network/reachability.ts'

export * from '../../../solutions/network/reachability.ts'

export class PodNetwork extends RoutedPodNetwork {
  override reach(from: Origin, ip: string): Reachability {
    if (from.kind !== 'outside' || this.routablePodIPs) return super.reach(from, ip)
    return super.reach({ kind: 'node', name: this.nodes()[0]!.name }, ip)
  }
}
