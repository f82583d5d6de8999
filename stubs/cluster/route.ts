// ────────────────────────────────────────────────────────────────────────
// Kata 09 · core path: you write
//   task 1 (resolve): resolveHost
//   task 2 (first-hop): dial
//   task 3 (load-balancer): throughLoadBalancer
//   task 4 (kube-proxy): throughNode
// Each is marked TODO(kata 09) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
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
  // TODO(kata 09, task 1): a pod: cluster.lookup(namespace, name, host) — nothing when its DNS server was not reachable, else its addresses;
  // TODO(kata 09, task 1): a node or outside: cluster.lookupOutside(host).addresses. Push a line on `path` saying what was asked.
  throw new Error('kata 09-whole-route: resolveHost is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09, task 2): a pod IP: TIMEOUT unless cluster.reach(client, ip).reachable, else a 'deliver' hop from the client's address;
  // TODO(kata 09, task 2): from outside a load balancer's IP → a 'load-balancer' hop; from inside a LoadBalancer Service's IP → captureLoadBalancerIP;
  // TODO(kata 09, task 2): else the node whose IP it is (or the client's own node): down → UNREACHABLE, else a 'kube-proxy' hop on it,
  // TODO(kata 09, task 2): from the client's address — or kindnetMasquerade's when a pod's packet leaves for another node.
  throw new Error('kata 09-whole-route: dial is not implemented yet — see lessons/09-whole-route.md')
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
  const name = `${lbService.metadata?.namespace}/${lbService.metadata?.name}`
  if (!proxyAllowsSource(lbService, client.ip)) {
    path.push(`kube-proxy on ${own.name}: ${client.ip} is not in loadBalancerSourceRanges of ${name}: DROP`)
    return TIMEOUT
  }
  const sp = (lbService.spec?.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP')
  if (!sp?.nodePort) {
    path.push(`kube-proxy on ${own.name}: no rule for ${ip}:${port}`)
    return TIMEOUT
  }
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
  // TODO(kata 09, task 3): a TCP listener on `port` with a nodePort, a client inside the source ranges (allowedSource), a healthy backend
  // TODO(kata 09, task 3): (cluster.loadBalancerBackends) drawn with cluster.random.int; then a 'kube-proxy' hop to its InternalIP:nodePort, source kept.
  throw new Error('kata 09-whole-route: throughLoadBalancer is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09, task 4): cluster.kubeProxy(nodeName, dest).route(packet, at): REJECT → REFUSED, DROP → TIMEOUT, ACCEPT → healthCheckAnswer,
  // TODO(kata 09, task 4): no rule → the node itself for its own address, else TIMEOUT; DNAT → a 'deliver' hop, from snatAddress when masq,
  // TODO(kata 09, task 4): else from kindnetMasquerade(cluster, nodeName, packet.sourceIP, endpoint IP).
  throw new Error('kata 09-whole-route: throughNode is not implemented yet — see lessons/09-whole-route.md')
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
  path.push(`kube-proxy on ${nodeName}: ${packet.destIP}:${packet.destPort} is a health-check node port`)
  return { result: 'connected', server: 'kube-proxy', node: nodeName, ip: packet.destIP, port: packet.destPort, seenIP: packet.sourceIP, status: answer?.status ?? 200, body: answer?.body ?? '' }
}
