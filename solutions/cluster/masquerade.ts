// Which client address a pod sees when a node masquerades a connection. Two rules do it:
// kube-proxy marks a packet (KUBE-MARK-MASQ) and kindnetd masquerades whatever a node
// sends on out of the pod network; the kernel's MASQUERADE target then rewrites the
// source to the address of the interface the packet leaves by — so the route decides
// which address, not kube-proxy.
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

/**
 * The source a packet from `source` has once node `nodeName` sends it on toward `dest`
 * (after kube-proxy's DNAT, if any, and when kube-proxy did not mark it for masquerade):
 * kindnetd's ip-masq agent. nat POSTROUTING jumps to its `KIND-MASQ-AGENT` chain for every
 * destination that is not an address of the node itself (`-m addrtype ! --dst-type
 * LOCAL`); the chain RETURNs for the pod subnet (`-d 10.244.0.0/16`, kindnetd's
 * `POD_SUBNET`) and MASQUERADEs everything else — out of eth0, to the node's InternalIP.
 *
 * So a pod's packet to **another node's address** (a nodePort there, a hostNetwork pod, the
 * API server) arrives from its node's InternalIP, not from the pod; a packet to a pod, or
 * to the node itself, keeps its source.
 *
 * @see https://github.com/kubernetes-sigs/kind/blob/main/images/kindnetd/cmd/kindnetd/masq.go
 * @see https://github.com/kubernetes-sigs/kind/blob/main/images/kindnetd/cmd/kindnetd/main.go
 */
export function kindnetMasquerade(cluster: Cluster, nodeName: string, source: string, dest: string): string {
  const node = cluster.node(nodeName)
  return dest === node.internalIP || cluster.inPodNetwork(dest) ? source : node.internalIP
}
