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
  const node = cluster.node(nodeName)
  // Stryker disable next-line OptionalChaining: a running pod always has a spec
  return cluster.podByIP(ip)?.spec?.nodeName === nodeName ? node.gateway : node.internalIP
}
