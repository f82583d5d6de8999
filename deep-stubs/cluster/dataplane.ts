// What packets and DNS queries meet on their way, as the route (./route.ts) asks for it:
// kube-proxy on each node (kata 07's NodePortProxier over kata 06's Proxier), synced with
// the Services and EndpointSlices it needs; CoreDNS serving the cluster zone (kata 05)
// and the world's DNS beyond it; the cloud's load balancers and their health checks
// (kata 08); the pod network (kata 00); and the views of nodes, pods and clients a hop
// needs. Nothing here decides a route: it answers questions about the cluster.
//
// Read it to see what each `cluster.…` call of the route stands for.
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { parseRR, sameName } from '../../lib/dns/rr.ts'
import { KubeDNS, type DNSResponse, type DNSServer, type QType } from '../dns/records.ts'
import type { Resolution } from '../dns/resolver.ts'
import type { Reachability } from '../network/reachability.ts'
import { NodePortProxier } from '../proxy/iptables/nodeports.ts'
import type { ClusterState } from './storage.ts'
import type { From } from './curl.ts'

/** A node as the data path sees it. */
export interface NodeView {
  name: string
  internalIP: string
  podCIDR: string
  /** The node's address on the pod network: the first IP of its podCIDR, on every pod's host-side veth (CNI ptp). */
  gateway: string
  controlPlane: boolean
  /** Whether the node answers (not powered off or cut off). */
  up: boolean
}

/** Who opens a connection, resolved. */
export interface Client {
  kind: 'pod' | 'node' | 'external'
  /** The source address of its packets. */
  ip: string
  /** The node it runs on (pods and nodes). */
  node?: string
  pod?: Pod
  /** How a human names it: `pod snackbar/web`, `node kind-worker`, `192.168.1.50`. */
  label: string
}

/** A DNS lookup from a pod: the resolver's walk, and the server it asked. */
export interface Lookup extends Resolution {
  /** The first nameserver of the pod's resolv.conf. */
  nameserver: string
  /** Whether that server answered at all (`false`: no DNS pod reachable, nothing was asked). */
  serverReachable: boolean
  /** How the query reached the server, for the path. */
  via: string
  /** Whether the answer came from the cluster zone, which CoreDNS serves itself (not forwarded): DNS's `aa` flag. */
  authoritative: boolean
}

/** A cloud load balancer the data path can send traffic through. */
export interface LoadBalancerView {
  ip: string
  service: Service
  /** Backend nodes, in the order the service controller gave them. */
  hosts: string[]
}

// ---------------------------------------------------------------------------
// Nodes, pods, clients

/**
 * Who opens a connection: a running pod (`namespace/name`), a node, or an address outside.
 * @throws {NotFoundError} / {@link ClusterError} for a pod or node that cannot run curl: `node <name> is down`;
 *   an outside client that is not an address: `<text> is not an IP address`
 */
export function client(s: ClusterState, from: From): Client {
  // TODO(kata 09): a running pod (`namespace/name`, default namespace default), a live node, or an IP outside.
  throw new Error('kata 09-whole-route: client is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * One node as the data path sees it.
 * @throws {NotFoundError} for an unknown node
 */
export function nodeView(s: ClusterState, name: string): NodeView {
  // TODO(kata 09): name, InternalIP, podCIDR, gateway, control plane or not, up or not.
  throw new Error('kata 09-whole-route: nodeView is not implemented yet — see lessons/09-whole-route.md')
}

/** The node whose InternalIP this is. */
export function nodeByIP(s: ClusterState, ip: string): NodeView | undefined {
  // TODO(kata 09): the node whose InternalIP this is.
  throw new Error('kata 09-whole-route: nodeByIP is not implemented yet — see lessons/09-whole-route.md')
}

/** The running pod that holds this IP (on the pod network: host-network pods share their node's). */
export function podByIP(s: ClusterState, ip: string): Pod | undefined {
  // TODO(kata 09): the running pod that holds this IP.
  throw new Error('kata 09-whole-route: podByIP is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The running host-network pod of a node that listens on `port`: it shares the node's
 * address, so a connection to `<node IP>:<port>` reaches it.
 */
export function hostNetworkPod(s: ClusterState, nodeName: string, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): Pod | undefined {
  // TODO(kata 09): a pod with hostNetwork on that node, started, that serves the port (servesPort).
  throw new Error('kata 09-whole-route: hostNetworkPod is not implemented yet — see lessons/09-whole-route.md')
}

/** Kata 00: whether a packet from `from` reaches the pod IP `ip` at all (routes, not ports). */
export function reach(s: ClusterState, from: Client, ip: string): Reachability {
  // TODO(kata 09): kata 00's PodNetwork.reach from the client as an Origin (pod, node or outside).
  throw new Error('kata 09-whole-route: reach is not implemented yet — see lessons/09-whole-route.md')
}

/** Whether an address lies in the cluster's pod CIDR (`--cluster-cidr`). */
export function inPodNetwork(s: ClusterState, ip: string): boolean {
  // TODO(kata 09): whether the address is in --cluster-cidr.
  throw new Error('kata 09-whole-route: inPodNetwork is not implemented yet — see lessons/09-whole-route.md')
}

// ---------------------------------------------------------------------------
// kube-proxy

/** The Service whose cluster IP this is. */
export function serviceByClusterIP(s: ClusterState, ip: string): Service | undefined {
  // TODO(kata 09): the Service whose cluster IP this is.
  throw new Error('kata 09-whole-route: serviceByClusterIP is not implemented yet — see lessons/09-whole-route.md')
}

/** The Service that holds this nodePort (or healthCheckNodePort). */
export function serviceByNodePort(s: ClusterState, port: number): Service | undefined {
  // TODO(kata 09): the Service that holds this nodePort or healthCheckNodePort.
  throw new Error('kata 09-whole-route: serviceByNodePort is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The kube-proxy of one node (kata 07's {@link NodePortProxier}, itself kata 06's
 * Proxier), synced with the Services a packet to `dest` can meet — the one whose
 * cluster IP it is, those that list it among their `externalIPs`, and for an address of
 * a node the one whose nodePort is the port — plus those of earlier packets; re-synced when one of them or its endpoints changed.
 * Simplified: a real kube-proxy holds the rules of every Service; rules of the others
 * never match such a packet, so the model leaves them out until they are needed.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
 */
export function kubeProxy(s: ClusterState, nodeName: string, dest: { ip: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }): NodePortProxier {
  // TODO(kata 09): one NodePortProxier per node, synced with the Services the destination can meet (its cluster IP; its nodePort on a
  // TODO(kata 09): node address) and those of earlier packets, whenever one of their versions changed.
  throw new Error('kata 09-whole-route: kubeProxy is not implemented yet — see lessons/09-whole-route.md')
}

// ---------------------------------------------------------------------------
// The cloud's load balancers

/** The cloud load balancer that owns this IP, if any (kata 08's fake cloud). */
export function loadBalancerAt(s: ClusterState, ip: string): LoadBalancerView | undefined {
  // TODO(kata 09): the cloud's balancer with this IP, with its Service and backend hosts.
  throw new Error('kata 09-whole-route: loadBalancerAt is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The backend nodes the cloud load balancer sends new connections to: those whose
 * health check passes (kata 08) — for `externalTrafficPolicy: Local` the nodes with a
 * ready endpoint of the Service (`healthCheckNodePort` answers 200), for `Cluster` every
 * node whose kube-proxy answers `/healthz`. A node that is down answers neither.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/service_health.go
 */
export function loadBalancerBackends(s: ClusterState, lb: LoadBalancerView): string[] {
  // TODO(kata 09): healthyBackends (kata 08) over the balancer's hosts: kube-proxy up or down, localReadyEndpoints.
  throw new Error('kata 09-whole-route: loadBalancerBackends is not implemented yet — see lessons/09-whole-route.md')
}

/** The LoadBalancer Service of the cluster that has this ingress IP, if any (kube-proxy captures it on every node). */
export function serviceByLoadBalancerIP(s: ClusterState, ip: string): Service | undefined {
  // TODO(kata 09): the LoadBalancer Service whose status has this ingress IP.
  throw new Error('kata 09-whole-route: serviceByLoadBalancerIP is not implemented yet — see lessons/09-whole-route.md')
}

// ---------------------------------------------------------------------------
// DNS

/** The world outside the cluster answering DNS from fixed records (what `forward .` reaches). */
export class UpstreamDNS implements DNSServer {
  private readonly records: ReturnType<typeof parseRR>[]
  constructor(lines: readonly string[]) {
    this.records = lines.map(parseRR)
  }
  serveDNS(qname: string, qtype: QType): DNSResponse {
    const answer: string[] = []
    let name = qname
    for (let hop = 0; hop < 8; hop++) {
      const here = this.records.filter((r) => sameName(r.name, name))
      const wanted = here.filter((r) => r.type === qtype)
      if (wanted.length) {
        answer.push(...wanted.map((r) => `${r.name} ${r.ttl} IN ${r.type} ${r.data}`))
        break
      }
      const cname = here.find((r) => r.type === 'CNAME')
      if (!cname) break
      answer.push(`${cname.name} ${cname.ttl} IN CNAME ${cname.data}`)
      name = cname.data
    }
    const exists = this.records.some((r) => sameName(r.name, qname))
    return { rcode: exists ? 'NOERROR' : 'NXDOMAIN', answer, extra: [], ns: [] }
  }
}

/** The cluster zone as CoreDNS serves it now (kata 05), rebuilt only after changes. */
export function zone(s: ClusterState): KubeDNS {
  // TODO(kata 09): a KubeDNS (kata 05) over the Services, their EndpointSlices, the pods and namespaces; rebuilt only after changes.
  throw new Error('kata 09-whole-route: zone is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * `getaddrinfo(name)` in a pod: its resolv.conf's search list and ndots (kata 05), asked
 * of its nameserver. When that is the cluster DNS Service, the query first has to get
 * through kube-proxy to a CoreDNS pod (UDP 53); if none answers, nothing is resolved.
 * Any other nameserver is outside the cluster: the node's own (Docker's embedded DNS on
 * kind) knows the kind nodes by name and the world's names, others only the world's.
 */
export function lookup(s: ClusterState, namespace: string, podName: string, name: string): Lookup {
  // TODO(kata 09): route a UDP query to the pod's nameserver through kube-proxy; if a DNS pod answers, resolve() through the zone.
  throw new Error('kata 09-whole-route: lookup is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The DNS question `nslookup -type=<qtype> name` asks from a pod (BIND's nslookup in the
 * agnhost image): unlike `getaddrinfo` ({@link lookup}) it prints whatever answers.
 *
 * 1. A name that is an IP address asks for its PTR record (`4.3.2.1.in-addr.arpa.`, or
 *    the nibbles under `ip6.arpa.`), as is.
 * 2. Any other name walks the pod's search list (kata 05's `candidates`) and stops at the
 *    first response that is not NXDOMAIN: a CNAME alone (an ExternalName Service) is an
 *    answer, and NOERROR without records (NODATA) ends the walk too.
 * 3. The nameserver is reached as for {@link lookup}: through kube-proxy to a CoreDNS pod
 *    for the cluster DNS (none answering: `serverReachable: false`), else the resolver
 *    outside the cluster.
 *
 * `found` is an answer with records; `authoritative` whether it came from the cluster zone.
 */
export function query(s: ClusterState, namespace: string, podName: string, name: string, qtype: QType): Lookup {
  // TODO(kata 09): the pod's nameserver as for lookup; a PTR for an IP, else candidates (kata 05) until a response is not NXDOMAIN.
  throw new Error('kata 09-whole-route: query is not implemented yet — see lessons/09-whole-route.md')
}

/** A DNS query (UDP 53) from `from` to `serverIP`: does it reach a DNS pod? */
function dnsReachable(s: ClusterState, from: Client, serverIP: string): { ok: boolean; via: string } {
  // TODO(kata 09): the query to serverIP:53/UDP through the client node's kube-proxy: does it reach a CoreDNS pod on a live node?
  throw new Error('kata 09-whole-route: dnsReachable is not implemented yet — see lessons/09-whole-route.md')
}

/** What a node (or a machine outside) resolves: only the world's names, never the cluster's. */
export function lookupOutside(s: ClusterState, name: string): Resolution {
  // TODO(kata 09): resolve the name absolutely against the world outside (UpstreamDNS).
  throw new Error('kata 09-whole-route: lookupOutside is not implemented yet — see lessons/09-whole-route.md')
}
