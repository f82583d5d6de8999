// ────────────────────────────────────────────────────────────────────────
// Kata 07 · core path: you write
//   task 2 (node-port-rules): NodePortProxier.writeNodePortRules
//   task 3 (traffic-policy): NodePortProxier.writeExternalTrafficChain
// Each is marked TODO(kata 07) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 07`.
// ────────────────────────────────────────────────────────────────────────
// NodePorts in kube-proxy's iptables mode: the rules that make `<any node IP>:<nodePort>`
// reach a Service's endpoints, on every node, and the externalTrafficPolicy that decides
// which endpoints and whether the client's address survives. Built on kata 06's Proxier.
//
// Simplified: load-balancer IPs (kata 08) are not captured here, and
// `--nodeport-addresses` is not modelled (every node address, and 127.0.0.1, accepts
// nodePorts, as with kube-proxy's defaults).
//
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { CLUSTER_CIDR, DEFAULT_NODES, NODE_CIDR_MASK_SIZE } from '../../../lib/cluster/defaults.ts'
import {
  hostOf,
  KUBE_EXTERNAL_SERVICES,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_SERVICES,
  type IPTablesProtocol,
  type Packet,
  type Verdict,
} from '../../../lib/net/iptables.ts'
import { cidrContains, formatIP, fromBigInt, parseCIDR, parseIP, toBigInt } from '../../../lib/net/ipint.ts'
import { externallyAccessible } from '../topology.ts'
import { Proxier, type ProxierOptions, type ServicePortState } from './proxier.ts'

/** Comment of the last KUBE-SERVICES rule, which hands local-destination traffic to KUBE-NODEPORTS. */
export const NODEPORTS_JUMP_COMMENT = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain'

/**
 * kube-proxy with nodePorts: kata 06's rules for cluster IPs, plus for every service port
 * with a `nodePort` (rules 1 and 3: {@link NodePortProxier.writeNodePortRules}; 2:
 * {@link NodePortProxier.writeExternalTrafficChain}; 4:
 * {@link NodePortProxier.writeHealthCheckNodePortRule}):
 *
 * 1. nat `KUBE-NODEPORTS`: `-m <proto> -p <proto> --dport <nodePort> -j KUBE-EXT-…` when the
 *    port has usable endpoints anywhere — on **every** node, whether or not it runs a pod
 *    of the Service. The last rule of nat `KUBE-SERVICES` jumps to `KUBE-NODEPORTS` for
 *    `-m addrtype --dst-type LOCAL` (any address of the node, 127.0.0.1 included for IPv4).
 * 2. `KUBE-EXT-…`:
 *    - externalTrafficPolicy **Cluster**: `-j KUBE-MARK-MASQ` (comment `masquerade traffic
 *      for <svc port> external destinations`), then `-j KUBE-SVC-…`: any endpoint on any
 *      node, and the source is SNATed to the node — the pod sees the node's IP, not the client's.
 *    - **Local**: `-s <cluster CIDR> -j KUBE-SVC-…` (`pod traffic for … external
 *      destinations`: pods are not subject to the policy), `-m addrtype --src-type LOCAL -j
 *      KUBE-MARK-MASQ` and `-m addrtype --src-type LOCAL -j KUBE-SVC-…` (the node itself),
 *      then `-j KUBE-SVL-…` when this node has a local endpoint — **no masquerade**, so the
 *      pod sees the real client address.
 * 3. No usable endpoint anywhere → filter `KUBE-EXTERNAL-SERVICES`: `-m addrtype
 *    --dst-type LOCAL -m <proto> -p <proto> --dport <nodePort> -j REJECT` (`… has no
 *    endpoints`). Policy Local and none on this node → the same with `-j DROP` (`… has no
 *    local endpoints`): an external client times out.
 * 4. `healthCheckNodePort` → filter `KUBE-NODEPORTS`: `-m tcp -p tcp --dport <port> -j
 *    ACCEPT` (`<svc port> health check node port`).
 * 5. Every `externalIPs` address is captured on every node, for pods and the node itself as
 *    for traffic from outside ({@link NodePortProxier.writeExternalIPRules}).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
 */
export class NodePortProxier extends Proxier {
  override sync(services: readonly Service[], slices: readonly EndpointSlice[]): void {
    super.sync(services, slices)
    for (const s of this.servicePorts) {
      this.writeExternalIPRules(s)
      this.writeNodePortRules(s)
      this.writeExternalTrafficChain(s)
      this.writeHealthCheckNodePortRule(s)
    }
    this.ruleset.append('nat', KUBE_SERVICES, {
      comment: NODEPORTS_JUMP_COMMENT,
      dstType: 'LOCAL',
      // IPv6 never accepts nodePorts on localhost.
      ...(this.ipFamily === 'IPv6' ? { destination: { address: '::1/128', negated: true } } : {}),
      jump: KUBE_NODEPORTS,
    })
  }

  /**
   * Rule 5 for one service port: each of its `externalIPs` (`s.info.externalIPs`), whoever
   * sends the packet — kube-proxy writes these rules on every node, so a pod or a node that
   * connects to an external IP is caught on its own node, as a client outside would be on
   * the node the address routes to:
   *
   * 1. usable endpoints anywhere: nat `KUBE-SERVICES` `{comment: '<name> external IP',
   *    protocol, destination: {address: <external IP>}, dport: info.port, jump: s.externalChain}`
   *    — the `KUBE-EXT-…` chain, where externalTrafficPolicy applies (with Cluster, the
   *    connection is masqueraded);
   * 2. no usable endpoint anywhere, or Local and none on this node: filter
   *    `KUBE-EXTERNAL-SERVICES` with the same match, `REJECT` (`<name> has no endpoints`) or
   *    `DROP` (`<name> has no local endpoints`).
   *
   * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
   */
  protected writeExternalIPRules(s: ServicePortState): void {
    const info = s.info
    const protocol = info.protocol.toLowerCase() as IPTablesProtocol
    const hasExternalEndpoints = s.hasEndpoints && !(info.externalPolicyLocal && (s.localEndpoints?.length ?? 0) === 0)
    for (const ip of info.externalIPs) {
      const match = { protocol, destination: { address: ip }, dport: info.port }
      if (s.hasEndpoints) this.ruleset.append('nat', KUBE_SERVICES, { comment: `${info.name} external IP`, ...match, jump: s.externalChain })
      if (!hasExternalEndpoints) {
        this.ruleset.append('filter', KUBE_EXTERNAL_SERVICES, {
          comment: s.hasEndpoints ? `${info.name} has no local endpoints` : `${info.name} has no endpoints`,
          ...match,
          jump: s.hasEndpoints ? 'DROP' : 'REJECT',
        })
      }
    }
  }

  /**
   * Rules 1 and 3 for one service port: capturing its nodePort on this node, or refusing it.
   * Nothing when `s.info.nodePort` is 0 (no nodePort). Otherwise, with `protocol` the
   * port's protocol in lower case and `name` its `s.info.name` (`ns1/local:p80`):
   *
   * 1. `s.hasEndpoints` (a usable endpoint on **any** node — whether this node runs a pod
   *    of the Service does not matter): nat `KUBE-NODEPORTS` gets
   *    `{comment: name, protocol, dport: nodePort, jump: s.externalChain}`, which prints as
   *    `-A KUBE-NODEPORTS -m comment --comment ns1/local:p80 -m tcp -p tcp --dport 3011 -j KUBE-EXT-…`.
   * 2. No usable endpoint anywhere: filter `KUBE-EXTERNAL-SERVICES` gets
   *    `{comment: '<name> has no endpoints', dstType: 'LOCAL', protocol, dport: nodePort,
   *    jump: 'REJECT'}` — the client is refused at once (curl exit 7).
   * 3. Endpoints, but `s.info.externalPolicyLocal` and none on this node
   *    (`s.localEndpoints` empty): besides rule 1, the same filter rule with comment
   *    `<name> has no local endpoints` and `jump: 'DROP'` — an external client times out.
   *
   * Append with `this.ruleset.append(table, chain, rule)`; the chain names and the
   * `IPTablesProtocol` type come from `lib/net/iptables.ts` (`KUBE_NODEPORTS`,
   * `KUBE_EXTERNAL_SERVICES`).
   */
  protected writeNodePortRules(s: ServicePortState): void {
    // TODO(kata 07, task 2): nat KUBE-NODEPORTS → KUBE-EXT when the port has endpoints anywhere; filter KUBE-EXTERNAL-SERVICES REJECT (none at all) or DROP (Local, none on this node).
    throw new Error('kata 07-nodeport: NodePortProxier.writeNodePortRules is not implemented yet — see lessons/07-nodeport.md')
  }

  /**
   * Rule 2 for one service port: its `s.externalChain` (`KUBE-EXT-…`), where
   * externalTrafficPolicy is applied. Nothing when the port has no usable endpoint
   * (`!s.hasEndpoints`) or is not reachable from outside (`externallyAccessible(s.info)`
   * false: no nodePort, external IP or load-balancer IP). Otherwise add the chain to nat
   * (`this.ruleset.addChain`), then append, with `name` the port's `s.info.name`:
   *
   * - **Cluster** (`!s.info.externalPolicyLocal`):
   *   1. `{comment: 'masquerade traffic for <name> external destinations', jump: KUBE_MARK_MASQ}`
   *      — every connection is SNATed to this node, so the pod sees the node's IP;
   *   2. `{jump: s.clusterPolicyChain}` — any endpoint on any node (`KUBE-SVC-…`).
   * - **Local**:
   *   1. `{comment: 'pod traffic for <name> external destinations', source: {address:
   *      this.clusterCIDR}, jump: s.clusterPolicyChain}` — pods are not bound by the policy;
   *   2. `{comment: 'masquerade LOCAL traffic for <name> external destinations', srcType:
   *      'LOCAL', jump: KUBE_MARK_MASQ}` and
   *   3. `{comment: 'route LOCAL traffic for <name> external destinations', srcType: 'LOCAL',
   *      jump: s.clusterPolicyChain}` — nor is the node itself;
   *   4. only when this node has local endpoints (`s.localEndpoints` not empty):
   *      `{jump: s.localPolicyChain}` (`KUBE-SVL-…`) — **no** masquerade, so the pod sees the
   *      client's own address. Without local endpoints external traffic falls through
   *      (rule 3 of {@link writeNodePortRules} drops it).
   *
   * `KUBE_MARK_MASQ` comes from `lib/net/iptables.ts`, `externallyAccessible` from
   * `proxy/topology.ts`.
   */
  protected writeExternalTrafficChain(s: ServicePortState): void {
    // TODO(kata 07, task 3): the KUBE-EXT chain: masquerade + KUBE-SVC for Cluster; pod and LOCAL short-circuits, then KUBE-SVL for Local.
    throw new Error('kata 07-nodeport: NodePortProxier.writeExternalTrafficChain is not implemented yet — see lessons/07-nodeport.md')
  }

  /** Rule 4: the firewall lets the load balancer's health checks reach `healthCheckNodePort` (kata 08). */
  protected writeHealthCheckNodePortRule(s: ServicePortState): void {
    const info = s.info
    if (info.healthCheckNodePort === 0) return
    this.ruleset.append('filter', KUBE_NODEPORTS, {
      comment: `${info.name} health check node port`,
      protocol: 'tcp',
      dport: info.healthCheckNodePort,
      jump: 'ACCEPT',
    })
  }
}

/** A node of the cluster: its name, InternalIP and labels. */
export interface ClusterNode {
  name: string
  internalIP: string
  labels?: Readonly<Record<string, string>>
  /** `spec.podCIDR`; default: the node's /24 of the cluster CIDR in the order given, as the node IPAM controller hands them out. */
  podCIDR?: string
}

/**
 * The node's address on the pod network: the first IP of its podCIDR, which CNI `ptp`
 * (kindnet's plugin) puts on the host end of every pod's veth.
 *
 * @see https://github.com/containernetworking/plugins/blob/v1.7.1/plugins/main/ptp/ptp.go
 */
export function podGateway(node: ClusterNode, index: number): string {
  const cluster = parseCIDR(CLUSTER_CIDR)!
  const cidr = node.podCIDR !== undefined ? parseCIDR(node.podCIDR) : undefined
  const network = cidr ? cidr.network : cluster.network + (BigInt(index) << BigInt(32 - NODE_CIDR_MASK_SIZE))
  return formatIP(fromBigInt(network + 1n, cidr?.family ?? cluster.family))
}

/**
 * The source a packet from `source` has once `node` sends it on toward `dest`, when
 * kube-proxy did not mark it for masquerade: kindnetd's ip-masq agent. nat POSTROUTING
 * jumps to its `KIND-MASQ-AGENT` chain for every destination that is not an address of the
 * node (`-m addrtype ! --dst-type LOCAL`); the chain RETURNs for the pod subnet
 * (`clusterCIDR`, kindnetd's `POD_SUBNET`) and MASQUERADEs the rest, out of eth0: the
 * node's InternalIP. So a pod's packet to another node's address arrives from its node.
 *
 * @see https://github.com/kubernetes-sigs/kind/blob/main/images/kindnetd/cmd/kindnetd/masq.go
 */
export function kindnetMasquerade(node: ClusterNode, clusterCIDR: string, source: string, dest: string): string {
  const cidr = parseCIDR(clusterCIDR)
  const ip = parseIP(dest)
  const inPodSubnet = !!cidr && !!ip && cidrContains(cidr.network, cidr.prefix, cidr.family, ip)
  return inPodSubnet || dest === node.internalIP ? source : node.internalIP
}

/** Who opens a connection: an address, and the node it runs on (a pod, or the node itself); none for a client outside the cluster. */
export interface Client {
  ip: string
  node?: string
}

/** Where a connection is addressed. */
export interface Destination {
  ip: string
  port: number
  protocol?: 'TCP' | 'UDP' | 'SCTP'
}

/** What became of one connection. */
export interface Connection {
  /** The node whose rules handled the connection (`null`: no node owns the address). */
  handledBy: string | null
  /** What that node's rules did (`""` when the connection never reached a node). */
  verdict: Verdict
  /** The endpoint it was DNATed to (`10.244.1.5:8080`), if any — also when that pod's node is down. */
  endpoint: string | null
  /** The client address the pod sees (`/clientip` of agnhost netexec); `null` when nothing answered. */
  clientIPSeenByPod: string | null
  /**
   * `connected`; `refused` (REJECT, or a node port nobody listens on — curl exit 7 at once);
   * `unreachable` (the node or the pod's node is down: on kind a stopped node container,
   * whose address nobody answers ARP for — "No route to host", curl exit 7 after ~3 s);
   * `timeout` (DROP, an address that goes nowhere — curl exit 28 after ~127 s).
   */
  result: 'connected' | 'refused' | 'unreachable' | 'timeout'
}

export interface NodePortClusterOptions extends Pick<ProxierOptions, 'clusterCIDR' | 'mode' | 'seed' | 'masqueradeAll'> {}

function sameIP(a: string, b: string): boolean {
  const pa = parseIP(a)
  const pb = parseIP(b)
  return pa !== undefined && pb !== undefined && pa.kind() === pb.kind() && toBigInt(pa) === toBigInt(pb)
}

/**
 * The whole cluster's data path for nodePorts: one {@link NodePortProxier} per node.
 *
 * `connect(client, dest)`:
 * 1. The connection is handled by the client's own node (a pod or a process on it), or
 *    else by the node that owns `dest.ip`; no such node → `timeout` (a cluster IP is not
 *    routable from outside the cluster). When no rule of the client's node matches and
 *    `dest.ip` is **another** node's address, the packet is routed on to that node, whose
 *    rules decide: the KUBE-NODEPORTS jump matches only `--dst-type LOCAL`, so a node
 *    never catches a nodePort of another node's IP (pkg/proxy/iptables/proxier.go). On
 *    its way out the client's node masquerades it — kindnetd's `KIND-MASQ-AGENT` chain
 *    (nat POSTROUTING, `! --dst-type LOCAL`) MASQUERADEs every destination outside the pod
 *    subnet — so the other node sees the client node's InternalIP, not a pod IP: with
 *    externalTrafficPolicy Local that is external traffic, not pod traffic.
 * 2. A node that is down handles nothing: a client using its IP finds no route to it
 *    (`unreachable`).
 * 3. That node's rules decide: REJECT → `refused`; DROP → `timeout`; no rule → `refused`
 *    if the address is a live node's own (a closed port answers with a TCP reset), else
 *    `timeout` (e.g. an undeclared port of a cluster IP); ACCEPT (health check port) → `connected`.
 * 4. DNATed to an endpoint whose node is down → `unreachable` (until the endpoint is removed).
 * 5. Otherwise `connected`; the pod sees the packet's source as it reached the handling
 *    node (rule 1) and as kindnet sends it on ({@link kindnetMasquerade}: an endpoint at
 *    another node's address sees the handling node's InternalIP), or — when the
 *    connection was masqueraded by kube-proxy — the address the handling
 *    node sends from: MASQUERADE takes the address of the interface the packet leaves by,
 *    so an endpoint on the handling node (behind a `ptp` veth) sees the node's pod-network
 *    address ({@link podGateway}, 10.244.N.1), an endpoint on another node the handling
 *    node's InternalIP.
 *
 * @see https://github.com/kubernetes-sigs/kind/blob/main/images/kindnetd/cmd/kindnetd/masq.go
 */
export class NodePortCluster {
  private readonly nodes = new Map<string, { node: ClusterNode; proxier: NodePortProxier; up: boolean; gateway: string }>()
  private endpointNodes = new Map<string, string>()

  constructor(nodes: readonly ClusterNode[] = DEFAULT_NODES, options: NodePortClusterOptions = {}) {
    nodes.forEach((node, i) => {
      const proxier = this.newProxier({
        nodeName: node.name,
        nodeIPs: [node.internalIP],
        ...(node.labels ? { nodeLabels: node.labels } : {}),
        ...options,
        seed: (options.seed ?? 42) + i,
      })
      this.nodes.set(node.name, { node, proxier, up: true, gateway: podGateway(node, i) })
    })
  }

  /** Makes the kube-proxy of one node (a {@link NodePortProxier}). */
  protected newProxier(options: ProxierOptions): NodePortProxier {
    return new NodePortProxier(options)
  }

  /** Every node's kube-proxy syncs the same Services and EndpointSlices. */
  sync(services: readonly Service[], slices: readonly EndpointSlice[]): void {
    for (const n of this.nodes.values()) n.proxier.sync(services, slices)
    this.endpointNodes = new Map()
    for (const slice of slices) {
      for (const ep of slice.endpoints ?? []) {
        for (const ip of ep.addresses ?? []) if (ep.nodeName) this.endpointNodes.set(ip, ep.nodeName)
      }
    }
  }

  /** The kube-proxy of one node; a node the cluster does not have throws `nodes "<name>" not found`. */
  proxier(name: string): NodePortProxier {
    const n = this.nodes.get(name)
    if (!n) throw new Error(`nodes "${name}" not found`)
    return n.proxier
  }

  /** The node stops answering (powered off, network gone). */
  nodeDown(name: string): void {
    const n = this.nodes.get(name)
    if (n) n.up = false
  }

  nodeUp(name: string): void {
    const n = this.nodes.get(name)
    if (n) n.up = true
  }

  /** One new connection from `client` to `dest` at time `at` (seconds). */
  connect(client: Client, dest: Destination, at = 0): Connection {
    const none: Verdict = { output: '', masq: false, matched: [] }
    const timeout = (handledBy: string | null, verdict = none): Connection => ({
      handledBy,
      verdict,
      endpoint: null,
      clientIPSeenByPod: null,
      result: 'timeout',
    })
    const owner = [...this.nodes.values()].find((n) => sameIP(n.node.internalIP, dest.ip))
    let handler = client.node !== undefined ? this.nodes.get(client.node) : owner
    if (!handler) return timeout(null)
    if (!handler.up) return { ...timeout(handler.node.name), result: 'unreachable' }
    const packet: Packet = { sourceIP: client.ip, destIP: dest.ip, destPort: dest.port, ...(dest.protocol ? { protocol: dest.protocol } : {}) }
    let verdict = handler.proxier.route(packet, at)
    if (
      verdict.output === '' &&
      owner &&
      owner !== handler
    ) {
      // Not a Service address the client's node catches: routed on to the node that owns
      // it, masqueraded by kindnetd on the way out (KIND-MASQ-AGENT).
      packet.sourceIP = kindnetMasquerade(handler.node, handler.proxier.clusterCIDR, packet.sourceIP, dest.ip)
      handler = owner
      if (!handler.up) return { ...timeout(handler.node.name), result: 'unreachable' }
      verdict = handler.proxier.route(packet, at)
    }
    const by = handler
    const result = (r: Connection['result'], endpoint: string | null = null, seen: string | null = null): Connection => ({
      handledBy: by.node.name,
      verdict,
      endpoint,
      clientIPSeenByPod: seen,
      result: r,
    })
    switch (verdict.output) {
      case 'REJECT':
        return result('refused')
      case 'DROP':
        return timeout(handler.node.name, verdict)
      case 'ACCEPT':
        return result('connected', null, packet.sourceIP)
      case '': {
        // No kube-proxy rule: the packet goes where the address leads. A node's own
        // address with nothing listening answers with a reset; anything else is lost.
        if (sameIP(dest.ip, '127.0.0.1') || (owner?.up ?? false)) return result('refused')
        return timeout(handler.node.name, verdict)
      }
    }
    const endpoint = verdict.output
    const endpointNode = this.endpointNodes.get(hostOf(endpoint))
    if (endpointNode !== undefined && this.nodes.get(endpointNode)?.up === false) return { ...timeout(handler.node.name, verdict), endpoint, result: 'unreachable' }
    const masqueradedTo = endpointNode === handler.node.name ? handler.gateway : handler.node.internalIP
    return result('connected', endpoint, verdict.masq ? masqueradedTo : kindnetMasquerade(handler.node, handler.proxier.clusterCIDR, packet.sourceIP, hostOf(endpoint)))
  }
}
