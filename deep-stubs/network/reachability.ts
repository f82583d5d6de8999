// The pod network of the default cluster, and who can reach a pod IP.
//
// kind's CNI is kindnet: every node gets a podCIDR from the node IPAM allocator,
// pods get IPs from host-local inside it (ptp veth pairs), and kindnetd adds on every
// node a route `<other node's podCIDR> via <other node's InternalIP>`. Pod IPs are
// therefore routable between the nodes and their pods — and nowhere else: a laptop or
// any machine outside the cluster has no route to 10.244.0.0/16 (traffic that leaves
// the cluster from a pod is masqueraded to the node IP).
//
// That pod IPs are private to the cluster is a choice of the CNI plugin, not a
// Kubernetes rule: the network model only asks that pods reach each other and the
// nodes without NAT. Cloud VPC CNIs (AWS VPC CNI, GKE/Azure native routing) or BGP
// setups (Calico, Cilium) give pods IPs the outside network can route to; the
// `routablePodIPs` option models such a network.
import type { Pod } from 'kubernetes-types/core/v1'
import type { NodeInfo } from '../../lib/cluster/defaults.ts'
// Build it from your own modules:
// import { cidrContains, parseCIDR, parseIP } from '../../lib/net/ipint.ts'
// import { CidrSet } from './cidrset.ts'
// import { HostLocalError, IPAllocator, MemoryStore } from './hostlocal.ts'

/** An error of the pod network (an unknown node or pod, a duplicate pod). */
export class PodNetworkError extends Error {
  override name = 'PodNetworkError'
}

/** Where a packet starts. */
export type Origin =
  /** A container in a running pod (e.g. `kubectl exec … -- curl`). */
  | { kind: 'pod'; namespace?: string; name: string }
  /** A node of the cluster (e.g. `docker exec kind-worker curl …`). */
  | { kind: 'node'; name: string }
  /** Anything that is not part of the cluster: a laptop, a VM on the same LAN, the internet. */
  | { kind: 'outside'; name?: string }

/**
 * Why a packet does or does not reach a pod IP.
 * - `same-node`: the pod is on the origin's node; the node's /32 route leads to its veth.
 * - `routed-via-node`: the pod is on another node; kindnet's route to that node's podCIDR carries it there.
 * - `routable-pod-ips`: from outside, on a network whose CNI makes pod IPs routable.
 * - `no-route-from-outside`: from outside, on an overlay/private pod network (kindnet's default).
 * - `no-pod-has-ip`: the IP is in a node's podCIDR, but no pod holds it: nothing answers.
 * - `not-a-pod-ip`: the IP lies in no node's podCIDR (a Service IP, a node IP, the internet …).
 */
export type ReachReason = 'same-node' | 'routed-via-node' | 'routable-pod-ips' | 'no-route-from-outside' | 'no-pod-has-ip' | 'not-a-pod-ip'

/** A pod as the network knows it. */
export interface PodRef {
  namespace: string
  name: string
  node: string
  ip: string
}

export interface Reachability {
  reachable: boolean
  reason: ReachReason
  /** The pod that holds the IP, when the packet reaches it. */
  pod?: PodRef
  /** One sentence for a human, naming what decided it (see `PodNetwork.reachability`). */
  message: string
}

/**
 * A node as it registers with the cluster: its name and InternalIP, and `spec.podCIDR`
 * when it already has one (set with `kubelet --pod-cidr`, or kept from before).
 */
export interface NodeRegistration extends NodeInfo {
  podCIDR?: string
}

export interface PodNetworkOptions {
  /** The nodes, in the order they register; each without a podCIDR gets the next one. Default: kind's three nodes. */
  nodes?: readonly NodeRegistration[]
  /** `--cluster-cidr`. Default `10.244.0.0/16`. */
  clusterCIDR?: string
  /** `--node-cidr-mask-size`. Default 24. */
  nodeCIDRMaskSize?: number
  /** Whether machines outside the cluster can route to pod IPs (a CNI choice). Default false, like kindnet. */
  routablePodIPs?: boolean
}

/**
 * The pod network of a cluster: node podCIDRs (node IPAM), pod IPs (host-local on each
 * node) and routing between them.
 *
 * Rules:
 * 1. Nodes get podCIDRs from one `CidrSet` in the order they are added (a node that
 *    registers with a podCIDR keeps it); a removed node's podCIDR is released to it.
 * 2. Every pod sandbox gets a new ID, and its IP from the host-local allocator of its node;
 *    deleting the pod releases the IP. A pod recreated under the same name is a new sandbox
 *    and, host-local being round robin, gets a different IP.
 * 3. `reach`: from a pod or a node, any IP a pod holds is reachable; an IP that no pod holds
 *    answers nobody. From outside nothing in the pod network is reachable, unless
 *    `routablePodIPs`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/nodeipam/ipam/range_allocator.go
 * @see https://github.com/kubernetes-sigs/kind/blob/v0.20.0/images/kindnetd/cmd/kindnetd/routes.go
 */
export class PodNetwork {
  readonly routablePodIPs: boolean = false

  constructor(options: PodNetworkOptions = {}) {
    // TODO(kata 00): a CidrSet for the cluster CIDR (defaults in lib/cluster/defaults.ts); add every node.
    throw new Error('kata 00-pod-network: new PodNetwork is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Registers a node and returns its podCIDR (`AllocateOrOccupyCIDR`): a node that comes
   * with `spec.podCIDR` keeps it, and the node IPAM controller marks it taken (`occupy`);
   * any other node gets the next free one (`allocateNext`).
   * @throws {PodNetworkError} `nodes "<name>" already exists` for a node registered twice
   */
  addNode(node: NodeRegistration): string {
    // TODO(kata 00): occupy the podCIDR it comes with, or allocate the next one; give it a host-local allocator (kindnet: `[{ subnet: podCIDR }]`).
    throw new Error('kata 00-pod-network: PodNetwork.addNode is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Deletes a node, its pods (the pod GC deletes pods bound to a node that is gone), and
   * releases its podCIDR.
   * @throws {PodNetworkError} `nodes "<name>" not found`
   */
  removeNode(name: string): void {
    // TODO(kata 00): forget the node and the pods on it; release the podCIDR back to the CidrSet.
    throw new Error('kata 00-pod-network: PodNetwork.removeNode is not implemented yet — see lessons/00-pod-network.md')
  }

  /** `node.spec.podCIDR`. */
  podCIDR(node: string): string {
    // TODO(kata 00): the podCIDR the node got; `nodes "<name>" not found` for an unknown node.
    throw new Error('kata 00-pod-network: PodNetwork.podCIDR is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The nodes with their podCIDRs, in the order they were added. */
  nodes(): { name: string; internalIP: string; podCIDR: string }[] {
    // TODO(kata 00): one entry per node, in the order they were added.
    throw new Error('kata 00-pod-network: PodNetwork.nodes is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Starts a pod sandbox on `pod.spec.nodeName` and returns its IP (`status.podIP`).
   * @throws {HostLocalError} `failed to allocate for range 0: no IP addresses available in range set: …`
   * @throws {PodNetworkError} `nodes "<name>" not found` for a node the network does not know,
   * `pod <namespace>/<name> is not scheduled to a node` without `spec.nodeName`, and
   * `pods "<name>" already exists` for a pod of that namespace and name that still runs
   */
  addPod(pod: Pod): string {
    // TODO(kata 00): no namespace means default; a new sandbox ID every time; its IP from the node's allocator.
    throw new Error('kata 00-pod-network: PodNetwork.addPod is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Deletes a pod: its sandbox is torn down and host-local releases the IP.
   * @throws {PodNetworkError} `pods "<name>" not found`
   */
  deletePod(namespace: string, name: string): void {
    // TODO(kata 00): release the sandbox's IP and forget the pod.
    throw new Error('kata 00-pod-network: PodNetwork.deletePod is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The IP of a running pod, or `undefined`. */
  podIP(namespace: string, name: string): string | undefined {
    // TODO(kata 00): look the pod up.
    throw new Error('kata 00-pod-network: PodNetwork.podIP is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The pod that holds an IP right now, or `undefined`. */
  whoHas(ip: string): PodRef | undefined {
    // TODO(kata 00): the running pod with this IP.
    throw new Error('kata 00-pod-network: PodNetwork.whoHas is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Whether a packet from `from` to `ip` reaches a pod, and why. The first rule that
   * applies gives the reason:
   * 1. `from` is outside the cluster (`originNode(from)` is `undefined`) and pod IPs are
   *    not routable (`routablePodIPs` is false): `no-route-from-outside`;
   * 2. `ip` lies in no node's podCIDR (`podCIDROwner(ip)` is `undefined`): `not-a-pod-ip`;
   * 3. no pod holds `ip` (`whoHas(ip)` is `undefined`): `no-pod-has-ip`;
   * 4. `from` is outside, on a network with routable pod IPs: `routable-pod-ips`;
   * 5. the pod runs on the origin's node: `same-node`; on another node: `routed-via-node`.
   *
   * Answer with `this.reachability(reason, from, ip)`: it fills in `reachable` (true for
   * rules 4 and 5), the pod and a sentence for a human.
   */
  reach(from: Origin, ip: string): Reachability {
    // TODO(kata 00): the first rule that applies gives the reason; answer with this.reachability(reason, from, ip).
    throw new Error('kata 00-pod-network: PodNetwork.reach is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * The node a packet from `from` starts on: a pod's node, or the node itself;
   * `undefined` outside the cluster.
   * @throws {PodNetworkError} `pods "<name>" not found`, `nodes "<name>" not found`
   */
  private originNode(from: Origin): string | undefined {
    // TODO(kata 00): a pod's node (look the pod up; no namespace means default), a node's own name, or undefined outside the cluster.
    throw new Error('kata 00-pod-network: PodNetwork.originNode is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The node whose podCIDR holds `ip`, or `undefined` when `ip` is no pod IP at all. */
  private podCIDROwner(ip: string): { name: string; internalIP: string; podCIDR: string } | undefined {
    // TODO(kata 00): the node whose podCIDR contains ip (lib/net/ipint.ts: parseIP, parseCIDR, cidrContains).
    throw new Error('kata 00-pod-network: PodNetwork.podCIDROwner is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * The answer `reach` gives for a reason: reachable for `same-node`, `routed-via-node`
   * and `routable-pod-ips`, with the pod that holds `ip`; not reachable for the others,
   * and then without a pod. The message is one sentence for a human that names what decided
   * it (names of pods as `<namespace>/<name>`):
   * - `no-route-from-outside`: the origin's name (`a machine outside the cluster` when it
   *   has none) and `ip`;
   * - `not-a-pod-ip`: `ip`;
   * - `no-pod-has-ip`: `ip`, the node whose podCIDR holds it, and that podCIDR;
   * - `routable-pod-ips`: `ip` and its pod;
   * - `same-node`: `ip`, its pod and the node;
   * - `routed-via-node`: the origin's node, the podCIDR it routes, the InternalIP and name of
   *   the node it routes it via, `ip` and its pod: e.g. `kind-worker routes 10.244.2.0/24 via
   *   172.18.0.4 (kind-worker2), where 10.244.2.2 is pod snackbar/menu-1`.
   */
  private reachability(reason: ReachReason, from: Origin, ip: string): Reachability {
    // TODO(kata 00): reachable for same-node, routed-via-node and routable-pod-ips (with the pod); a sentence for a human.
    throw new Error('kata 00-pod-network: PodNetwork.reachability is not implemented yet — see lessons/00-pod-network.md')
  }
}
