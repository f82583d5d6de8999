// ────────────────────────────────────────────────────────────────────────
// Kata 09 · core path: you write
//   task 4 (kube-proxy): snatAddress
// Each is marked TODO(kata 09) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
// Which client address a pod sees when a node masquerades a connection. kube-proxy only
// marks the packet (KUBE-MARK-MASQ); the kernel's MASQUERADE target then rewrites the
// source to the address of the interface the packet leaves by — so the route decides,
// not kube-proxy.
import type { Cluster } from './cluster.ts'

/**
 * The source address node `nodeName` gives a connection it masquerades (or opens itself)
 * toward `ip`: the interface the packet leaves by decides. A pod on that same node is
 * reached through the pod's veth, whose host side holds the node's pod-network address
 * (`cluster.node(nodeName).gateway`, the podCIDR's first IP, set up by CNI `ptp`);
 * anything else — a pod on another node, a node — through the node's own interface,
 * its InternalIP.
 *
 * @see https://github.com/containernetworking/plugins/blob/v1.7.1/plugins/main/ptp/ptp.go
 */
export function snatAddress(cluster: Cluster, nodeName: string, ip: string): string {
  // TODO(kata 09, task 4): the node's pod-network address (its gateway, the podCIDR's first IP) toward a pod on that node, else its InternalIP.
  throw new Error('kata 09-whole-route: snatAddress is not implemented yet — see lessons/09-whole-route.md')
}
