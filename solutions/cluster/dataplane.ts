// What packets and DNS queries meet on their way, as the route (./route.ts) asks for it:
// kube-proxy on each node (kata 07's NodePortProxier over kata 06's Proxier), synced with
// the Services and EndpointSlices it needs; CoreDNS serving the cluster zone (kata 05)
// and the world's DNS beyond it; the cloud's load balancers and their health checks
// (kata 08); the pod network (kata 00); and the views of nodes, pods and clients a hop
// needs. Nothing here decides a route: it answers questions about the cluster.
//
// Read it to see what each `cluster.…` call of the route stands for.
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { NODE_RESOLV_CONF } from '../../lib/cluster/defaults.ts'
import { parseRR, sameName } from '../../lib/dns/rr.ts'
import { cidrContains, familyOf, parseCIDR, parseIP, toBigInt } from '../../lib/net/ipint.ts'
import { KubeDNS, type DNSResponse, type DNSServer, type QType } from '../dns/records.ts'
import type { DNSConfig } from '../dns/resolvconf.ts'
import { candidates, resolve, type Resolution } from '../dns/resolver.ts'
import type { Origin, Reachability } from '../network/reachability.ts'
import { healthyBackends, localReadyEndpoints, type BackendNode } from '../proxy/healthcheck.ts'
import { NodePortProxier } from '../proxy/iptables/nodeports.ts'
import { ClusterError, listPods, listServices, metaKey, type ClusterState } from './storage.ts'
import { slicesOf } from './controllers.ts'
import type { From } from './curl.ts'
import { dnsConfig, runningPod, servesPort } from './kubelet.ts'
import { nodeState } from './nodelifecycle.ts'

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
  if ('pod' in from) {
    const slash = from.pod.indexOf('/')
    // Stryker disable next-line EqualityOperator: a reference that starts with / names no pod either way
    const [namespace, name] = slash < 0 ? ['default', from.pod] : [from.pod.slice(0, slash), from.pod.slice(slash + 1)]
    const rec = runningPod(s, namespace, name)
    // Stryker disable next-line StringLiteral: a client’s label is text for the path, nothing reads it
    return { kind: 'pod', ip: rec.pod.status!.podIP!, node: rec.pod.spec!.nodeName!, pod: rec.pod, label: `pod ${namespace}/${name}` }
  }
  if ('node' in from) {
    const n = nodeState(s, from.node)
    if (!n.up) throw new ClusterError(`node ${from.node} is down`)
    // Stryker disable next-line StringLiteral: a client’s label is text for the path, nothing reads it
    return { kind: 'node', ip: n.info.internalIP, node: n.info.name, label: `node ${n.info.name}` }
  }
  if (!parseIP(from.external)) throw new ClusterError(`${from.external} is not an IP address`)
  return { kind: 'external', ip: from.external, label: from.external }
}

/**
 * One node as the data path sees it.
 * @throws {NotFoundError} for an unknown node
 */
export function nodeView(s: ClusterState, name: string): NodeView {
  const n = nodeState(s, name)
  return { name: n.info.name, internalIP: n.info.internalIP, podCIDR: n.podCIDR, gateway: n.gateway, controlPlane: n.info.controlPlane, up: n.up }
}

/** The node whose InternalIP this is. */
export function nodeByIP(s: ClusterState, ip: string): NodeView | undefined {
  const n = s.nodeOrder.find((x) => x.info.internalIP === ip)
  return n && nodeView(s, n.info.name)
}

/** The running pod that holds this IP (on the pod network: host-network pods share their node's). */
export function podByIP(s: ClusterState, ip: string): Pod | undefined {
  const key = s.podByIPs.get(ip)
  // Stryker disable next-line ConditionalExpression,OptionalChaining: the IP index holds only keys of stored pods, and a Map has nothing under undefined either
  return key === undefined ? undefined : s.podStore.get(key)?.pod
}

/**
 * The running host-network pod of a node that listens on `port`: it shares the node's
 * address, so a connection to `<node IP>:<port>` reaches it.
 */
export function hostNetworkPod(s: ClusterState, nodeName: string, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): Pod | undefined {
  for (const rec of s.podStore.values()) {
    const pod = rec.pod
    // Stryker disable next-line OptionalChaining: every stored pod has a spec and a status
    if (pod.spec?.hostNetwork && pod.spec.nodeName === nodeName && pod.status?.podIP && servesPort(s, pod, port, protocol)) return pod
  }
  return undefined
}

/** Kata 00: whether a packet from `from` reaches the pod IP `ip` at all (routes, not ports). */
export function reach(s: ClusterState, from: Client, ip: string): Reachability {
  const origin: Origin =
    from.kind === 'pod'
      ? { kind: 'pod', namespace: from.pod!.metadata!.namespace!, name: from.pod!.metadata!.name! }
      : from.kind === 'node'
        ? { kind: 'node', name: from.node! }
        : { kind: 'outside', name: from.ip }
  return s.network.reach(origin, ip)
}

/** Whether an address lies in the cluster's pod CIDR (`--cluster-cidr`). */
export function inPodNetwork(s: ClusterState, ip: string): boolean {
  const c = parseCIDR(s.clusterCIDR)
  const a = parseIP(ip)
  // Stryker disable next-line ConditionalExpression,LogicalOperator: the cluster CIDR always parses, and so does every address the route dials
  return !!c && !!a && cidrContains(c.network, c.prefix, c.family, a)
}

// ---------------------------------------------------------------------------
// kube-proxy

/** The Service whose cluster IP this is. */
export function serviceByClusterIP(s: ClusterState, ip: string): Service | undefined {
  const key = s.clusterIPOwner.get(ip)
  // Stryker disable next-line ConditionalExpression: a Map has nothing under undefined either
  return key === undefined ? undefined : s.serviceStore.get(key)
}

/** The Service that holds this nodePort (or healthCheckNodePort). */
export function serviceByNodePort(s: ClusterState, port: number): Service | undefined {
  const key = s.nodePortOwner.get(port)
  // Stryker disable next-line ConditionalExpression: a Map has nothing under undefined either
  return key === undefined ? undefined : s.serviceStore.get(key)
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
  const n = nodeState(s, nodeName)
  let entry = s.proxies.get(nodeName)
  if (!entry) {
    entry = {
      proxier: new NodePortProxier({
        nodeName,
        nodeIPs: [n.info.internalIP],
        // Stryker disable next-line LogicalOperator,OptionalChaining: every kind node carries labels (kubernetes.io/hostname at least)
        nodeLabels: n.node.metadata?.labels ?? {},
        clusterCIDR: s.clusterCIDR,
        mode: s.proxyMode,
        // Stryker disable next-line ArithmeticOperator: any seed that keeps the nodes apart draws as randomly
        seed: s.seed + n.index,
      }),
      services: new Set(),
      // Stryker disable next-line StringLiteral: a new proxier holds no Service, so an empty list needs no first sync either
      synced: '\u0000',
    }
    s.proxies.set(nodeName, entry)
  }
  // The node keeps the rules of every Service a packet has been sent to so far.
  const keys = entry.services
  const byIP = s.clusterIPOwner.get(dest.ip)
  // Stryker disable next-line ConditionalExpression: a missing key is dropped below with the keys of deleted Services
  if (byIP) keys.add(byIP)
  // Stryker disable next-line ArrayDeclaration: a made-up key is dropped below with the keys of deleted Services
  for (const key of s.externalIPOwners.get(dest.ip) ?? []) keys.add(key)
  // Stryker disable next-line ConditionalExpression: a nodePort rule matches only a local address (--dst-type LOCAL), so its Service's rules change no verdict for another destination
  if (nodeByIP(s, dest.ip) || dest.ip === '127.0.0.1') {
    const byPort = s.nodePortOwner.get(dest.port)
    // Stryker disable next-line ConditionalExpression: a missing key is dropped below with the keys of deleted Services
    if (byPort) keys.add(byPort)
  }
  for (const k of keys) if (!s.serviceStore.has(k)) keys.delete(k)
  // Stryker disable next-line MethodExpression: each Service's rules stand alone: the order they are synced in changes no verdict
  const services = [...keys].sort().map((k) => s.serviceStore.get(k)!)
  // Stryker disable next-line StringLiteral: any separator keeps the name@version list unique
  const synced = services.map((svc) => `${metaKey(svc)}@${s.serviceVersion.get(metaKey(svc)) ?? 0}`).join(',')
  // Stryker disable next-line ConditionalExpression: syncing unchanged Services again gives the same rules, only slower
  if (entry.synced !== synced) {
    entry.proxier.sync(services, services.flatMap((svc) => slicesOf(s, svc)))
    entry.synced = synced
  }
  return entry.proxier
}

// ---------------------------------------------------------------------------
// The cloud's load balancers

/** The cloud load balancer that owns this IP, if any (kata 08's fake cloud). */
export function loadBalancerAt(s: ClusterState, ip: string): LoadBalancerView | undefined {
  const b = s.cloud?.balancers().find((x) => x.ip === ip)
  if (!b) return undefined
  const svc = s.serviceStore.get(b.service)
  // Stryker disable next-line ConditionalExpression: the service controller deletes a Service's load balancer before the Service goes, so every balancer has its Service
  if (!svc) return undefined
  return { ip: b.ip, service: svc, hosts: [...b.hosts] }
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
  const slices = slicesOf(s, lb.service)
  const backends: BackendNode[] = lb.hosts.map((h) => ({
    node: nodeState(s, h).node,
    // Stryker disable next-line StringLiteral: a node that is down and a kube-proxy that is not healthy both fail the health check
    kubeProxy: nodeView(s, h).up ? 'healthy' : 'down',
    localEndpoints: localReadyEndpoints(slices, h),
  }))
  return healthyBackends(lb.service, backends)
}

/** The LoadBalancer Service of the cluster that has this ingress IP, if any (kube-proxy captures it on every node). */
export function serviceByLoadBalancerIP(s: ClusterState, ip: string): Service | undefined {
  for (const key of s.lbServices) {
    const svc = s.serviceStore.get(key)
    // Stryker disable next-line MethodExpression,OptionalChaining: lbServices holds only stored Services, each stored with status.loadBalancer, and the cloud gives each load balancer one ingress IP
    if (svc?.status?.loadBalancer?.ingress?.some((i) => i.ip === ip)) return svc
  }
  return undefined
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
    // Stryker disable next-line EqualityOperator: the hop limit only bounds a CNAME loop, which resolves to no address either way
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
    // Stryker disable next-line ArrayDeclaration: no resolver reads extra or ns from the world outside
    return { rcode: exists ? 'NOERROR' : 'NXDOMAIN', answer, extra: [], ns: [] }
  }
}

/** The cluster zone as CoreDNS serves it now (kata 05), rebuilt only after changes. */
export function zone(s: ClusterState): KubeDNS {
  // Stryker disable next-line ConditionalExpression: a zone rebuilt every time answers the same, only slower
  if (s.dnsCache?.generation === s.generation) return s.dnsCache.server
  const services = listServices(s)
  const server = new KubeDNS(
    {
      services,
      endpointSlices: services.flatMap((svc) => slicesOf(s, svc)),
      pods: listPods(s),
      namespaces: [...s.namespaceStore.keys()],
    },
    { pods: s.podDNS, upstream: s.upstream, nameserverIP: s.clusterDNSIP, ttl: 30 },
  )
  // Stryker disable next-line ObjectLiteral: a zone rebuilt every time answers the same, only slower
  s.dnsCache = { generation: s.generation, server }
  return server
}

/**
 * `getaddrinfo(name)` in a pod: its resolv.conf's search list and ndots (kata 05), asked
 * of its nameserver. When that is the cluster DNS Service, the query first has to get
 * through kube-proxy to a CoreDNS pod (UDP 53); if none answers, nothing is resolved.
 * Any other nameserver is outside the cluster: the node's own (Docker's embedded DNS on
 * kind) knows the kind nodes by name and the world's names, others only the world's.
 */
export function lookup(s: ClusterState, namespace: string, podName: string, name: string): Lookup {
  const asked = podNameserver(s, namespace, podName)
  if (!('server' in asked)) return asked
  // Stryker disable next-line StringLiteral: only 'musl' is ever tested for, so any other flavour reads as glibc
  const r = resolve(name, 'A', asked.config, asked.server, 'glibc')
  return { ...r, nameserver: asked.nameserver, serverReachable: true, via: asked.via, authoritative: asked.cluster && inClusterZone(s, r.answeredBy) }
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
  const asked = podNameserver(s, namespace, podName)
  if (!('server' in asked)) return asked
  const ip = parseIP(name)
  // Stryker disable next-line StringLiteral: only 'musl' is ever tested for, so any other flavour reads as glibc
  const names = ip ? [reverseName(ip)] : candidates(name, asked.config, 'glibc')
  const tried: string[] = []
  // Stryker disable next-line ObjectLiteral,StringLiteral,ArrayDeclaration: candidates gives at least one name, so the loop always replaces this first value
  let res: DNSResponse = { rcode: 'NXDOMAIN', answer: [], extra: [], ns: [] }
  for (const candidate of names) {
    tried.push(candidate)
    res = asked.server.serveDNS(candidate, qtype)
    if (res.rcode !== 'NXDOMAIN') break
  }
  const found = res.rcode === 'NOERROR' && res.answer.length > 0
  const answeredBy = found ? tried.at(-1) : undefined
  const addresses = res.answer.map(parseRR).filter((rr) => rr.type === 'A' || rr.type === 'AAAA').map((rr) => rr.data)
  return {
    found,
    ...(answeredBy ? { answeredBy } : {}),
    answer: res.answer,
    addresses,
    tried,
    rcode: res.rcode,
    nameserver: asked.nameserver,
    serverReachable: true,
    via: asked.via,
    authoritative: asked.cluster && inClusterZone(s, tried.at(-1)),
  }
}

/** The pod's first nameserver and the server behind it, or the lookup that failed to reach one. */
function podNameserver(s: ClusterState, namespace: string, podName: string): { config: DNSConfig; nameserver: string; server: DNSServer; via: string; cluster: boolean } | Lookup {
  const rec = runningPod(s, namespace, podName)
  const config = dnsConfig(s, namespace, podName)
  // Stryker disable next-line StringLiteral: kubelet gives every pod at least one nameserver (validation refuses dnsPolicy None without one)
  const nameserver = config.servers[0] ?? ''
  if (s.clusterIPOwner.has(nameserver)) {
    // Stryker disable next-line StringLiteral: dnsReachable reads only the client's IP and node; the label is text for the path
    const from: Client = { kind: 'pod', ip: rec.pod.status!.podIP!, node: rec.pod.spec!.nodeName!, pod: rec.pod, label: `pod ${namespace}/${podName}` }
    const reached = dnsReachable(s, from, nameserver)
    // Stryker disable next-line StringLiteral: with serverReachable false nothing reads the rcode: no server answered at all
    if (!reached.ok) return { found: false, answer: [], addresses: [], tried: [], rcode: 'NXDOMAIN', nameserver, serverReachable: false, via: reached.via, authoritative: false }
    return { config, nameserver, server: zone(s), via: reached.via, cluster: true }
  }
  // Stryker disable next-line StringLiteral: how the query went is text for the path, nothing reads it
  return { config, nameserver, server: outsideResolver(s, nameserver), via: `nameserver ${nameserver} (outside the cluster)`, cluster: false }
}

/** Whether CoreDNS answers this name itself: the cluster domain, and the reverse zones (kubeadm's Corefile). */
function inClusterZone(s: ClusterState, name: string | undefined): boolean {
  return name !== undefined && [s.clusterDomain, 'in-addr.arpa', 'ip6.arpa'].some((z) => name.toLowerCase().replace(/\.$/, '').endsWith(z))
}

/** The reverse name of an address: `10.0.96.10` → `10.0.96.10.in-addr.arpa.` reversed, IPv6 by nibbles under `ip6.arpa.`. */
function reverseName(ip: ReturnType<typeof parseIP> & object): string {
  if (familyOf(ip) === 4) return `${ip.toByteArray().reverse().join('.')}.in-addr.arpa.`
  return `${toBigInt(ip).toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa.`
}

/**
 * The DNS server outside the cluster that a pod's nameserver leads to. The node's own
 * (`NODE_RESOLV_CONF`: Docker's embedded DNS behind the kind network's gateway) knows the
 * kind nodes by name, as containers of the `kind` network, and forwards everything else to
 * the world's DNS; any other nameserver knows only the world's names.
 */
function outsideResolver(s: ClusterState, nameserver: string): UpstreamDNS {
  if (!NODE_RESOLV_CONF.servers.includes(nameserver)) return new UpstreamDNS(s.upstream)
  return new UpstreamDNS([...s.nodeOrder.map((n) => `${n.info.name}. 600 IN A ${n.info.internalIP}`), ...s.upstream])
}

/** A DNS query (UDP 53) from `from` to `serverIP`: does it reach a DNS pod? */
function dnsReachable(s: ClusterState, from: Client, serverIP: string): { ok: boolean; via: string } {
  // Stryker disable next-line StringLiteral: kubeProxy picks the Services by address and port; the packet below carries the protocol
  const proxier = kubeProxy(s, from.node!, { ip: serverIP, port: 53, protocol: 'UDP' })
  const verdict = proxier.route({ sourceIP: from.ip, destIP: serverIP, destPort: 53, protocol: 'UDP' }, s.clock)
  const out = verdict.output
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,BlockStatement: no pod holds such an output, so the pod lookup below refuses it too; this only words the path
  if (!out || out === 'REJECT' || out === 'DROP' || out === 'ACCEPT') {
    // Stryker disable next-line ObjectLiteral,StringLiteral,ConditionalExpression,LogicalOperator: how the query went is text for the path, nothing reads it
    return { ok: false, via: `DNS query to ${serverIP}:53/UDP: ${out || 'no rule, no answer'} (connection timed out; no servers could be reached)` }
  }
  const ip = out.slice(0, out.lastIndexOf(':'))
  const pod = podByIP(s, ip)
  // Stryker disable next-line OptionalChaining,StringLiteral: a running pod always has a spec and a nodeName
  const node = pod && s.nodeStore.get(pod.spec?.nodeName ?? '')
  // Stryker disable next-line OptionalChaining: a running pod's node is always in the store
  // Stryker disable next-line ObjectLiteral,StringLiteral: an ok that is missing is false as well; via is text for the path
  if (!pod || !node?.up) return { ok: false, via: `DNS query to ${serverIP}:53/UDP → ${out}: no answer (connection timed out; no servers could be reached)` }
  // Stryker disable next-line StringLiteral,OptionalChaining: how the query went is text for the path, nothing reads it
  return { ok: true, via: `DNS query to ${serverIP}:53/UDP → ${pod.metadata?.name} (${out})` }
}

/** What a node (or a machine outside) resolves: only the world's names, never the cluster's. */
export function lookupOutside(s: ClusterState, name: string): Resolution {
  // Stryker disable next-line StringLiteral,ObjectLiteral,ArrayDeclaration: with no search list and no server of its own the resolver asks the absolute name alone, and only 'musl' changes the walk
  return resolve(name.endsWith('.') ? name : `${name}.`, 'A', { servers: [], searches: [], options: [] }, new UpstreamDNS(s.upstream), 'glibc')
}
