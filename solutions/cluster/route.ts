// The route of one connection, hop by hop: `curl http://order.snackbar/hostname` from a
// pod, `curl http://172.18.0.3:30080/clientip` from a laptop. Each hop is one of the
// modules you built, and each function here decides one hop:
//
//   resolveHost          the pod's resolver and CoreDNS (kata 05) turn a name into addresses
//   dial                 the first hop for one address: the pod network (kata 00), the
//                        cloud's load balancer (kata 08), or kube-proxy on which node
//   throughLoadBalancer  source ranges and health checks pick a backend node (kata 08)
//   throughNode          kube-proxy's rules on that node (katas 06–07): DNAT, REJECT, DROP
//
// and ./masquerade.ts says which client address the pod sees. `connect` in ./curl.ts
// follows the hops: it asks `dial` for the first, hands each `Hop` to the function that
// takes it, and delivers the packet at the end.
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { hostOf, type Packet, type Verdict } from '../../lib/net/iptables.ts'
import { localReadyEndpoints, serveHealthCheck } from '../proxy/healthcheck.ts'
import { allowedSource, proxyAllowsSource } from '../proxy/loadbalancer.ts'
import type { Cluster } from './cluster.ts'
import type { Client, LoadBalancerView } from './dataplane.ts'
import { kindnetMasquerade, snatAddress } from './masquerade.ts'

/** Where the packet goes next. */
export type Hop =
  /** kube-proxy's rules on `node` handle `packet` ({@link throughNode}). */
  | { hop: 'kube-proxy'; node: string; packet: Packet }
  /** The cloud's load balancer `lb` takes the connection on `port` ({@link throughLoadBalancer}). */
  | { hop: 'load-balancer'; lb: LoadBalancerView; port: number }
  /** The network carries the packet to `ip:port`, from `source`: a pod or a node answers, or nobody (`deliver` in ./curl.ts). */
  | { hop: 'deliver'; ip: string; port: number; source: string }

/** How one connection attempt to one address ended. */
export type Outcome =
  | {
      result: 'connected'
      /** Who answered: a pod's echo server, the API server, or kube-proxy (a health-check port). */
      server: 'pod' | 'kube-apiserver' | 'kube-proxy'
      pod?: Pod
      /** The node the server runs on. */
      node: string
      /** The address and port the connection reached. */
      ip: string
      port: number
      /** The client address the server sees. */
      seenIP: string
      status?: number
      body?: string
    }
  /** Something answered with a reset or a REJECT: curl exits 7 at once. */
  | { result: 'refused' }
  /** The last hop is a stopped node: nobody answers ARP for its address, the kernel says No route to host; curl exits 7 after ~3 s. */
  | { result: 'unreachable' }
  /** Nothing answered: a DROP, no route, no rule; the kernel gives up the SYNs, curl exit 28 after ~127 s. */
  | { result: 'timeout' }

/** One step of the route: the next hop, or the end. */
export type Step = Hop | Outcome

export const REFUSED: Outcome = { result: 'refused' }
export const TIMEOUT: Outcome = { result: 'timeout' }
export const UNREACHABLE: Outcome = { result: 'unreachable' }

/**
 * The addresses `host` resolves to for this client, and a line on `path` saying how.
 *
 * 1. A **pod** asks its resolver: `cluster.lookup(namespace, podName, host)` walks the
 *    pod's search list (kata 05) and asks its nameserver — the cluster DNS Service, so
 *    kube-proxy must get the query to a CoreDNS pod first. When no DNS server answered
 *    (`serverReachable` false) nothing resolves. Otherwise the answer's `addresses`
 *    (possibly none: NXDOMAIN for every name tried).
 * 2. A **node** or a machine **outside** does not use the cluster DNS: only names of the
 *    world outside resolve (`cluster.lookupOutside(host)`).
 *
 * `path` is free text for the messages (what was asked, what came back).
 */
export function resolveHost(cluster: Cluster, client: Client, host: string, path: string[]): string[] {
  if (client.kind === 'pod') {
    const pod = client.pod!
    const r = cluster.lookup(pod.metadata!.namespace!, pod.metadata!.name!, host)
    // Stryker disable next-line ConditionalExpression,BlockStatement: lookup gives no addresses when no server answered, so the early return only words the path
    if (!r.serverReachable) {
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`resolve ${host}: ${r.via}`)
      return []
    }
    // Stryker disable next-line ArrowFunction,ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,StringLiteral: what was asked, only for the path
    const asked = r.tried.map((t, i) => (i === r.tried.length - 1 && r.found ? `${t} ✓` : `${t} ✗`)).join(', ')
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`resolve ${host} via ${r.nameserver} (${r.via}): asked ${asked}${r.found ? ` → ${r.addresses.join(', ')}` : ': not found'}`)
    return r.addresses
  }
  const r = cluster.lookupOutside(host)
  // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
  path.push(`resolve ${host} on ${client.label}: ${r.found ? r.addresses.join(', ') : 'not found (the cluster zone is only served to pods)'}`)
  return r.addresses
}

/**
 * The first hop of a connection from `client` to `ip:port`.
 *
 * 1. **A pod IP** (in the cluster's pod CIDR): the pod network (kata 00) routes it, or
 *    not (`cluster.reach`: from outside a kindnet cluster it does not → timeout). Then
 *    it is delivered to `ip:port` with the client's own address — a node opening a
 *    connection itself uses the address of the interface it leaves by (`snatAddress`, in
 *    ./masquerade.ts).
 * 2. **From outside**, only two kinds of address are routable: a load balancer's IP
 *    (`cluster.loadBalancerAt`) goes to the load balancer; a node's IP to kube-proxy on
 *    that node. Anything else — a cluster IP — goes nowhere: timeout.
 * 3. **From a pod or a node**, a LoadBalancer Service's IP is captured by kube-proxy on
 *    the client's own node ({@link captureLoadBalancerIP}, given); another node's IP goes
 *    to that node; everything else — a cluster IP, its own node's IP — to kube-proxy on
 *    the client's own node.
 * 4. A node that is down — on kind, a stopped node container, gone from the Docker
 *    network — has nobody to answer ARP for its address: unreachable.
 *
 * The packet to kube-proxy keeps the client's address as source — except a pod's packet
 * to **another** node's address: its own node sends it on untouched by kube-proxy, and
 * kindnetd masquerades it on the way out (`kindnetMasquerade(cluster, client.node, client.ip, ip)`,
 * in ./masquerade.ts): the other node sees the pod's node InternalIP.
 */
export function dial(cluster: Cluster, client: Client, ip: string, port: number, path: string[]): Step {
  if (cluster.inPodNetwork(ip)) {
    const reach = cluster.reach(client, ip)
    if (!reach.reachable) {
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`${client.label} → ${ip}:${port}: ${reach.message}`)
      return TIMEOUT
    }
    const source = client.kind === 'node' ? snatAddress(cluster, client.node!, ip) : client.ip
    return { hop: 'deliver', ip, port, source }
  }
  if (client.kind === 'external') {
    const lb = cluster.loadBalancerAt(ip)
    if (lb) return { hop: 'load-balancer', lb, port }
  } else {
    const lbService = cluster.serviceByLoadBalancerIP(ip)
    if (lbService) return captureLoadBalancerIP(cluster, client, lbService, ip, port, path)
  }
  const node = cluster.nodeByIP(ip) ?? (client.node ? cluster.node(client.node) : undefined)
  if (!node) {
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`${client.label} → ${ip}:${port}: no route — only the nodes' and load balancers' addresses are reachable from outside the cluster`)
    return TIMEOUT
  }
  if (!node.up) {
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`${client.label} → ${ip}:${port}: node ${node.name} is down, nobody answers ARP for ${node.internalIP}: no route to host`)
    return UNREACHABLE
  }
  const sourceIP = client.node && client.node !== node.name ? kindnetMasquerade(cluster, client.node, client.ip, ip) : client.ip
  return { hop: 'kube-proxy', node: node.name, packet: { sourceIP, destIP: ip, destPort: port } }
}

/**
 * A connection from inside the cluster to a LoadBalancer Service's ingress IP: kube-proxy
 * captures that IP on every node (`ipMode: VIP`) and handles it like external traffic —
 * `loadBalancerSourceRanges` apply, then the Service's KUBE-EXT chain. Simplified: the
 * model sends it through the Service's nodePort on the client's own node, which ends in
 * the same KUBE-EXT chain.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
 */
export function captureLoadBalancerIP(cluster: Cluster, client: Client, lbService: Service, ip: string, port: number, path: string[]): Step {
  const own = cluster.node(client.node!)
  // Stryker disable next-line StringLiteral,OptionalChaining: the Service's name, only for the path
  const name = `${lbService.metadata?.namespace}/${lbService.metadata?.name}`
  if (!proxyAllowsSource(lbService, client.ip)) {
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`kube-proxy on ${own.name}: ${client.ip} is not in loadBalancerSourceRanges of ${name}: DROP`)
    return TIMEOUT
  }
  // Stryker disable next-line ArrayDeclaration,OptionalChaining: a LoadBalancer Service has spec.ports: validation refuses one without ports
  const sp = (lbService.spec?.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP')
  if (!sp?.nodePort) {
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`kube-proxy on ${own.name}: no rule for ${ip}:${port}`)
    return TIMEOUT
  }
  // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
  path.push(`kube-proxy on ${own.name}: ${ip} is the load-balancer IP of ${name}, handled like nodePort ${sp.nodePort}`)
  return { hop: 'kube-proxy', node: own.name, packet: { sourceIP: client.ip, destIP: own.internalIP, destPort: sp.nodePort } }
}

/**
 * The cloud's load balancer `lb` takes a connection from `client` on `port`.
 *
 * 1. It listens on the Service's ports (TCP): no such port → the connection goes nowhere.
 * 2. `loadBalancerSourceRanges` (`allowedSource` in proxy/loadbalancer.ts, kata 08): a
 *    client outside them is dropped.
 * 3. It sends only to backend nodes whose health check passes
 *    (`cluster.loadBalancerBackends(lb)`); none → timeout. Otherwise one of them, drawn
 *    with `cluster.random.int(0, n - 1)`, gets the connection on the Service port's
 *    `nodePort`, at the node's InternalIP — and the **client's address is kept**: the
 *    cloud's load balancer does not rewrite the source.
 *
 * @see https://kubernetes.io/docs/tutorials/services/source-ip/
 */
export function throughLoadBalancer(cluster: Cluster, client: Client, lb: LoadBalancerView, port: number, path: string[]): Step {
  const svc = lb.service
  // Stryker disable next-line StringLiteral,OptionalChaining: the Service's name, only for the path
  const name = `${svc.metadata?.namespace}/${svc.metadata?.name}`
  // Stryker disable next-line ArrayDeclaration,OptionalChaining: a LoadBalancer Service has spec.ports: validation refuses one without ports
  const sp = (svc.spec?.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP')
  if (!sp?.nodePort) {
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`load balancer ${lb.ip} (${name}): no listener on ${port}/TCP`)
    return TIMEOUT
  }
  if (!allowedSource(svc, client.ip)) {
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`load balancer ${lb.ip} (${name}): ${client.ip} is not in its source ranges, dropped`)
    return TIMEOUT
  }
  const healthy = cluster.loadBalancerBackends(lb)
  // Stryker disable next-line StringLiteral,ConditionalExpression,LogicalOperator,ArrowFunction: path is free text for the messages, no check reads it
  path.push(`load balancer ${lb.ip} (${name}): backends ${lb.hosts.map((h) => `${h}${healthy.includes(h) ? ' ✓' : ' ✗'}`).join(', ') || '(none)'}`)
  if (healthy.length === 0) return TIMEOUT
  const chosen = cluster.node(healthy[cluster.random.int(0, healthy.length - 1)]!)
  // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
  path.push(`load balancer ${lb.ip} → ${chosen.name} ${chosen.internalIP}:${sp.nodePort}, client address ${client.ip} kept`)
  return { hop: 'kube-proxy', node: chosen.name, packet: { sourceIP: client.ip, destIP: chosen.internalIP, destPort: sp.nodePort } }
}

/**
 * kube-proxy on `nodeName` handles `packet` at time `at`: its rules (katas 06–07), synced
 * for this destination by `cluster.kubeProxy(nodeName, {ip, port})`, give a verdict
 * (`.route(packet, at)`):
 *
 * - `REJECT` (a Service with no ready endpoint): refused at once;
 * - `DROP` (e.g. `externalTrafficPolicy: Local` without a local endpoint): timeout;
 * - `ACCEPT`: a health-check node port, which kube-proxy answers itself ({@link healthCheckAnswer});
 * - `''`, no rule matched: a packet to the node's own address (or 127.0.0.1) is delivered
 *   to the node itself; anything else — a cluster IP port the Service does not declare —
 *   goes nowhere: timeout;
 * - else DNAT to `output`, `podIP:port` (`hostOf` in lib/net/iptables.ts takes the IP).
 *   When the verdict says `masq`, the node masquerades: the pod sees `snatAddress` (in
 *   ./masquerade.ts); otherwise the packet's source as kindnetd leaves it
 *   (`kindnetMasquerade`, same file: a pod's packet DNATed to another node's address —
 *   a hostNetwork pod, the API server — leaves from this node's InternalIP).
 *
 * {@link ruleComment} gives the comment of the rule that decided, for `path`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
 */
export function throughNode(cluster: Cluster, nodeName: string, packet: Packet, at: number, path: string[]): Step {
  // Stryker disable next-line StringLiteral: the destination as text, only for the path
  const dest = `${packet.destIP}:${packet.destPort}`
  const verdict = cluster.kubeProxy(nodeName, { ip: packet.destIP, port: packet.destPort }).route(packet, at)
  const why = ruleComment(verdict)
  switch (verdict.output) {
    case 'REJECT':
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`kube-proxy on ${nodeName}: REJECT ${dest}${why ? ` (${why})` : ''}`)
      return REFUSED
    case 'DROP':
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`kube-proxy on ${nodeName}: DROP ${dest}${why ? ` (${why})` : ''}`)
      return TIMEOUT
    case 'ACCEPT':
      return healthCheckAnswer(cluster, nodeName, packet, path)
    case '': {
      const own = cluster.node(nodeName)
      if (packet.destIP === own.internalIP || packet.destIP === '127.0.0.1') {
        // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
        path.push(`kube-proxy on ${nodeName}: no rule for ${dest}; the node itself answers`)
        return { hop: 'deliver', ip: own.internalIP, port: packet.destPort, source: packet.sourceIP }
      }
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`kube-proxy on ${nodeName}: no rule for ${dest} — nothing owns that address and port`)
      return TIMEOUT
    }
  }
  const endpoint = verdict.output
  const ip = hostOf(endpoint)
  const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1))
  const source = verdict.masq ? snatAddress(cluster, nodeName, ip) : kindnetMasquerade(cluster, nodeName, packet.sourceIP, ip)
  // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
  path.push(`kube-proxy on ${nodeName}: DNAT ${dest} → ${endpoint}${verdict.masq ? `, SNAT to ${source}` : ''}`)
  return { hop: 'deliver', ip, port, source }
}

/** The comment of the last rule that matched (`snackbar/order has no endpoints`), if any. */
export function ruleComment(verdict: Verdict): string | undefined {
  return verdict.matched.at(-1)?.match(/--comment "?([^"]*?)"? -/)?.[1]
}

/**
 * A packet kube-proxy ACCEPTed: it is for a Service's `healthCheckNodePort`, which
 * kube-proxy's health-check server answers itself (kata 08): 200 with local ready
 * endpoints on this node, 503 without.
 */
export function healthCheckAnswer(cluster: Cluster, nodeName: string, packet: Packet, path: string[]): Outcome {
  const svc = cluster.serviceByNodePort(packet.destPort)
  const answer = svc && serveHealthCheck(svc, localReadyEndpoints(cluster.slicesOf(svc), nodeName), true)
  // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
  path.push(`kube-proxy on ${nodeName}: ${packet.destIP}:${packet.destPort} is a health-check node port`)
  // Stryker disable next-line OptionalChaining: kube-proxy ACCEPTs only a healthCheckNodePort, which a Service with a health check holds, so there is always an answer
  return { result: 'connected', server: 'kube-proxy', node: nodeName, ip: packet.destIP, port: packet.destPort, seenIP: packet.sourceIP, status: answer?.status ?? 200, body: answer?.body ?? '' }
}
