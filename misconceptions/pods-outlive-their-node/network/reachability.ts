// Wrong on purpose: removing a node releases its podCIDR but leaves its pods, and their IPs, behind.
import { PodNetwork as CollectingPodNetwork } from '../../../solutions/network/reachability.ts'

export * from '../../../solutions/network/reachability.ts'

export class PodNetwork extends CollectingPodNetwork {
  override removeNode(name: string): void {
    const pods = new Map(this['pods'])
    super.removeNode(name)
    for (const [key, p] of pods) this['pods'].set(key, p)
  }
}
