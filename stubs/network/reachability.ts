// ────────────────────────────────────────────────────────────────────────
// Kata 00 · core path: you write
//   task 2 (reachability): PodNetwork.reach
// Each is marked TODO(kata 00) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 00`.
// ────────────────────────────────────────────────────────────────────────
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
import { CLUSTER_CIDR, DEFAULT_NODES, NODE_CIDR_MASK_SIZE, type NodeInfo } from '../../lib/cluster/defaults.ts'
import { cidrContains, parseCIDR, parseIP } from '../../lib/net/ipint.ts'
import { CidrSet } from './cidrset.ts'
import { HostLocalError, IPAllocator, MemoryStore } from './hostlocal.ts'

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

interface NodeState {
  info: NodeInfo
  podCIDR: string
  ipam: IPAllocator
}

interface PodState extends PodRef {
  sandbox: string
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
  readonly routablePodIPs: boolean
  private readonly cidrs: CidrSet
  private readonly nodeStates = new Map<string, NodeState>()
  private readonly pods = new Map<string, PodState>()
  private sandboxes = 0

  constructor(options: PodNetworkOptions = {}) {
    this.routablePodIPs = options.routablePodIPs ?? false
    this.cidrs = new CidrSet(options.clusterCIDR ?? CLUSTER_CIDR, options.nodeCIDRMaskSize ?? NODE_CIDR_MASK_SIZE)
    for (const n of options.nodes ?? DEFAULT_NODES) this.addNode(n)
  }

  /**
   * Registers a node and returns its podCIDR (`AllocateOrOccupyCIDR`): a node that comes
   * with `spec.podCIDR` keeps it, and the node IPAM controller marks it taken (`occupy`);
   * any other node gets the next free one (`allocateNext`).
   * @throws {PodNetworkError} `nodes "<name>" already exists` for a node registered twice
   */
  addNode(node: NodeRegistration): string {
    if (this.nodeStates.has(node.name)) throw new PodNetworkError(`nodes "${node.name}" already exists`)
    if (node.podCIDR) this.cidrs.occupy(node.podCIDR)
    const podCIDR = node.podCIDR || this.cidrs.allocateNext()
    this.nodeStates.set(node.name, { info: node, podCIDR, ipam: new IPAllocator([{ subnet: podCIDR }], new MemoryStore(), 0) })
    return podCIDR
  }

  /**
   * Deletes a node, its pods (the pod GC deletes pods bound to a node that is gone), and
   * releases its podCIDR.
   * @throws {PodNetworkError} `nodes "<name>" not found`
   */
  removeNode(name: string): void {
    const n = this.node(name)
    for (const [key, p] of this.pods) if (p.node === name) this.pods.delete(key)
    this.cidrs.release(n.podCIDR)
    this.nodeStates.delete(name)
  }

  /** `node.spec.podCIDR`. */
  podCIDR(node: string): string {
    return this.node(node).podCIDR
  }

  /** The nodes with their podCIDRs, in the order they were added. */
  nodes(): { name: string; internalIP: string; podCIDR: string }[] {
    return [...this.nodeStates.values()].map((n) => ({ name: n.info.name, internalIP: n.info.internalIP, podCIDR: n.podCIDR }))
  }

  /**
   * Starts a pod sandbox on `pod.spec.nodeName` and returns its IP (`status.podIP`).
   * @throws {HostLocalError} `failed to allocate for range 0: no IP addresses available in range set: …`
   * @throws {PodNetworkError} `nodes "<name>" not found` for a node the network does not know,
   * `pod <namespace>/<name> is not scheduled to a node` without `spec.nodeName`, and
   * `pods "<name>" already exists` for a pod of that namespace and name that still runs
   */
  addPod(pod: Pod): string {
    const namespace = pod.metadata?.namespace ?? 'default'
    const name = pod.metadata?.name ?? ''
    const nodeName = pod.spec?.nodeName
    if (!nodeName) throw new PodNetworkError(`pod ${namespace}/${name} is not scheduled to a node`)
    const n = this.node(nodeName)
    const key = `${namespace}/${name}`
    if (this.pods.has(key)) throw new PodNetworkError(`pods "${name}" already exists`)
    const sandbox = `sandbox-${++this.sandboxes}`
    let ip: string
    try {
      ip = n.ipam.get(sandbox, 'eth0').ip
    } catch (err) {
      // What the kubelet reports in the FailedCreatePodSandBox event (host-local cmdAdd wraps it).
      if (err instanceof HostLocalError) throw new HostLocalError(`failed to allocate for range 0: ${err.message}`)
      throw err
    }
    this.pods.set(key, { namespace, name, node: nodeName, ip, sandbox })
    return ip
  }

  /**
   * Deletes a pod: its sandbox is torn down and host-local releases the IP.
   * @throws {PodNetworkError} `pods "<name>" not found`
   */
  deletePod(namespace: string, name: string): void {
    const p = this.pods.get(`${namespace}/${name}`)
    if (!p) throw new PodNetworkError(`pods "${name}" not found`)
    this.node(p.node).ipam.release(p.sandbox, 'eth0')
    this.pods.delete(`${namespace}/${name}`)
  }

  /** The IP of a running pod, or `undefined`. */
  podIP(namespace: string, name: string): string | undefined {
    return this.pods.get(`${namespace}/${name}`)?.ip
  }

  /** The pod that holds an IP right now, or `undefined`. */
  whoHas(ip: string): PodRef | undefined {
    const p = [...this.pods.values()].find((x) => x.ip === ip)
    return p && { namespace: p.namespace, name: p.name, node: p.node, ip: p.ip }
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
    // TODO(kata 00, task 2): the first rule that applies gives the reason; answer with this.reachability(reason, from, ip).
    throw new Error('kata 00-pod-network: PodNetwork.reach is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * The node a packet from `from` starts on: a pod's node, or the node itself;
   * `undefined` outside the cluster.
   * @throws {PodNetworkError} `pods "<name>" not found`, `nodes "<name>" not found`
   */
  private originNode(from: Origin): string | undefined {
    if (from.kind === 'outside') return undefined
    if (from.kind === 'node') return this.node(from.name).info.name
    // Like kubectl exec without -n, a pod origin without a namespace is in default.
    const p = this.pods.get(`${from.namespace ?? 'default'}/${from.name}`)
    if (!p) throw new PodNetworkError(`pods "${from.name}" not found`)
    return p.node
  }

  /** The node whose podCIDR holds `ip`, or `undefined` when `ip` is no pod IP at all. */
  private podCIDROwner(ip: string): { name: string; internalIP: string; podCIDR: string } | undefined {
    const target = parseIP(ip)
    const owner =
      target &&
      [...this.nodeStates.values()].find((n) => {
        const c = parseCIDR(n.podCIDR)!
        return cidrContains(c.network, c.prefix, c.family, target)
      })
    return owner && { name: owner.info.name, internalIP: owner.info.internalIP, podCIDR: owner.podCIDR }
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
    const reachable = reason === 'same-node' || reason === 'routed-via-node' || reason === 'routable-pod-ips'
    const pod = this.whoHas(ip)
    const owner = this.podCIDROwner(ip)
    // `?.` and 'no pod' below keep the message printable when reach gives a wrong reason;
    // the reference's reach gives each reason only where its pod or owner exists.
    let holder = 'no pod'
    if (pod) holder = `pod ${pod.namespace}/${pod.name}`
    const messages: Record<ReachReason, () => string> = {
      'no-route-from-outside': () => `${from.name || 'a machine outside the cluster'} has no route to ${ip}: pod IPs are routed only between the cluster's nodes`,
      'not-a-pod-ip': () => `${ip} is in no node's podCIDR: it is not a pod IP`,
      'no-pod-has-ip': () => `${ip} is in ${owner?.name}'s podCIDR ${owner?.podCIDR}, but no pod holds it: nothing answers`,
      'routable-pod-ips': () => `the CNI makes pod IPs routable: ${ip} is ${holder}`,
      'same-node': () => `${ip} is ${holder} on the same node ${pod?.node}`,
      'routed-via-node': () =>
        `${this.originNode(from)} routes ${owner?.podCIDR} via ${owner?.internalIP} (${owner?.name}), where ${ip} is ${holder}`,
    }
    const message = messages[reason]()
    return reachable && pod ? { reachable, reason, pod, message } : { reachable, reason, message }
  }

  private node(name: string): NodeState {
    const n = this.nodeStates.get(name)
    if (!n) throw new PodNetworkError(`nodes "${name}" not found`)
    return n
  }
}
