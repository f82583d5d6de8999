// The whole route of one connection: `curl http://order.snackbar/hostname` from a pod,
// `curl http://172.18.0.3:30080/clientip` from a laptop, and what happens on the way —
// the resolver's search list and CoreDNS (kata 05), kube-proxy's rules on the node that
// handles the packet (katas 06–07), the cloud load balancer and its health checks
// (kata 08), the pod network (kata 00) — down to the pod that answers and the client
// address it sees.
import type { Pod } from 'kubernetes-types/core/v1'
import { hostOf, type Packet } from '../../lib/net/iptables.ts'
import { parseIP } from '../../lib/net/ipint.ts'
import { localReadyEndpoints, serveHealthCheck } from '../proxy/healthcheck.ts'
import { allowedSource, proxyAllowsSource } from '../proxy/loadbalancer.ts'
import { timestamp } from '../../lib/cluster/clock.ts'
import type { Client, Cluster, LoadBalancerView } from './cluster.ts'

/** Where a connection starts: a pod (`namespace/name`), a node, or a machine outside the cluster (its IP). */
export type From = { pod: string } | { node: string } | { external: string }

export interface ConnectRequest {
  from: From
  url: string
  /** The time of the connection, in the cluster's seconds; default now. */
  at?: number
}

/** How curl fails, in the words of this course. */
export type CurlError = 'could not resolve host' | 'connection refused' | 'timed out'

/** A connection that reached a server, and its HTTP answer. */
export interface Connected {
  ok: true
  /** Who answered: a pod's echo server, the API server (the `kubernetes` Service), or kube-proxy (a health-check port). */
  server: 'pod' | 'kube-apiserver' | 'kube-proxy'
  /** `namespace/name` of the pod that answered. */
  pod?: string
  podIP?: string
  /** The node the server runs on. */
  node: string
  /** The address and port the connection finally reached (after DNAT): `10.244.1.3:8080`. */
  endpoint: string
  /** The port on the server. */
  port: number
  /** The client address the server sees (after SNAT, if any). */
  clientIP: string
  clientPort: number
  /** HTTP status of the answer. */
  status: number
  body: string
  /** What happened on the way, one step a line. */
  path: string[]
}

/** A connection that did not reach a server: curl's error and exit code. */
export interface Failed {
  ok: false
  error: CurlError
  /** 6 could not resolve host, 7 connection refused, 28 timed out. */
  curlExit: 6 | 7 | 28
  /** curl's line on stderr. */
  message: string
  path: string[]
}

export type ConnectResult = Connected | Failed

/** What `curl URL` prints and returns. */
export interface CurlOutput {
  exitCode: number
  stdout: string
  stderr: string
}

/** The model's curl gives up connecting after this long (as with `--connect-timeout 10`). */
export const CONNECT_TIMEOUT_MS = 10000
/** Linux `net.ipv4.ip_local_port_range`: where client ports come from. */
export const EPHEMERAL_PORTS = { first: 32768, last: 60999 } as const
/** What Go's HTTPS server answers to plain HTTP (the API server on :6443). */
export const HTTP_TO_HTTPS_BODY = 'Client sent an HTTP request to an HTTPS server.\n'

/** A URL taken apart. */
export interface ParsedURL {
  scheme: 'http' | 'https'
  host: string
  port: number
  /** `/hostname` */
  path: string
  /** `msg=hi` (without `?`) */
  query: string
}

/**
 * Reads `http://host[:port][/path][?query]` (a bare `host/path` is http). IPv6 hosts in
 * brackets. Default ports 80 and 443.
 * @throws {TypeError} for anything else (`curl: (3) URL rejected`)
 */
export function parseURL(url: string): ParsedURL {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?$/.exec(url.trim())
  if (!m) throw new TypeError(`curl: (3) URL rejected: Malformed input to a URL function`)
  const scheme = (m[1] ?? 'http') as 'http' | 'https'
  const host = m[2]!.replace(/^\[|\]$/g, '')
  const port = m[3] !== undefined ? Number(m[3]) : scheme === 'https' ? 443 : 80
  if (!(port >= 1 && port <= 65535)) throw new TypeError(`curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535`)
  return { scheme, host, port, path: m[4] || '/', query: m[5] ?? '' }
}

/**
 * agnhost `netexec`'s answer to `GET path`: `/hostname` (and `/hostName`) the pod's
 * hostname, `/clientip` the client address as `ip:port`, `/echo?msg=…` the message,
 * `/healthz` an empty 200; every other path falls to the `/` handler, `NOW: <time>`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/test/images/agnhost/netexec/netexec.go
 */
export function echoServer(path: string, query: string, hostname: string, client: string, now: number): { status: number; body: string } {
  switch (path) {
    case '/hostname':
    case '/hostName':
      return { status: 200, body: hostname }
    case '/clientip':
      return { status: 200, body: client }
    case '/echo':
      return { status: 200, body: decodeURIComponent(new URLSearchParams(query).get('msg') ?? '') }
    case '/healthz':
      return { status: 200, body: '' }
    default:
      // Simplified: Go prints time.Now() with its monotonic clock reading; the model prints the cluster's clock.
      return { status: 200, body: `NOW: ${timestamp(now).replace('T', ' ').replace('Z', ' +0000 UTC')}` }
  }
}

/** curl's stderr line for a failure. */
export function curlMessage(error: CurlError, host: string, port: number): string {
  switch (error) {
    case 'could not resolve host':
      return `curl: (6) Could not resolve host: ${host}`
    case 'connection refused':
      return `curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`
    case 'timed out':
      return `curl: (28) Connection timed out after ${CONNECT_TIMEOUT_MS + 2} milliseconds`
  }
}

const EXIT: Record<CurlError, 6 | 7 | 28> = { 'could not resolve host': 6, 'connection refused': 7, 'timed out': 28 }

/** How one connection attempt to one address ended. */
type Dial =
  | { result: 'connected'; server: Connected['server']; pod?: Pod; node: string; ip: string; port: number; seenIP: string; status?: number; body?: string }
  | { result: 'refused' | 'timeout' }

const REFUSED: Dial = { result: 'refused' }
const TIMEOUT: Dial = { result: 'timeout' }

const podName = (p: Pod) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`

/**
 * One `curl URL` (one TCP connection, then `GET path`).
 *
 * 1. **Resolve** the host, unless it is an IP: from a pod through its resolv.conf and the
 *    cluster DNS ({@link Cluster.lookup}); from a node or from outside, only names of the
 *    world outside resolve. Nothing found → `could not resolve host` (exit 6).
 * 2. **Connect** to each address in turn until one answers (as curl does):
 *    - a pod IP: routed by the pod network (kata 00) — never from outside a kindnet
 *      cluster (timeout); the pod answers if it listens on the port, else resets (refused);
 *    - from outside: a load-balancer IP goes through the cloud's load balancer (source
 *      ranges, health checks, one healthy backend node's nodePort, client address kept);
 *      a node IP to that node; anything else (a cluster IP) is not routable (timeout);
 *    - from a pod or a node: its own node's kube-proxy handles the packet (a cluster IP,
 *      its own node IP, a load-balancer IP it captures); another node's IP is handled there;
 *    - kube-proxy's verdict (katas 06–07): DNAT to an endpoint, REJECT (refused), DROP or
 *      no rule for a cluster IP (timeout), nothing on a node's own port (refused);
 *    - after DNAT the endpoint's node must answer (a dead node: timeout) and the pod
 *      must listen on the port (else refused).
 * 3. **SNAT**: a masqueraded connection reaches the pod from the handling node — its
 *    InternalIP, or its pod-network address (the podCIDR's first IP, on every host-side
 *    veth) when the pod is on that same node; otherwise the pod sees the real client.
 * 4. **Answer**: the echo server ({@link echoServer}) with the client's `ip:port`.
 *
 * @throws {ClusterError} when the client cannot run curl (unknown or stopped pod, dead node)
 */
export function connect(cluster: Cluster, request: ConnectRequest): ConnectResult {
  const at = request.at ?? cluster.now
  const url = parseURL(request.url)
  const client = cluster.client(request.from)
  const path: string[] = []
  const fail = (error: CurlError): Failed => ({ ok: false, error, curlExit: EXIT[error], message: curlMessage(error, url.host, url.port), path })

  let addresses: string[]
  if (parseIP(url.host)) addresses = [url.host]
  else {
    addresses = resolveHost(cluster, client, url.host, path)
    if (addresses.length === 0) return fail('could not resolve host')
  }

  const clientPort = cluster.random.int(EPHEMERAL_PORTS.first, EPHEMERAL_PORTS.last)
  let last: Dial = TIMEOUT
  for (const ip of addresses) {
    last = dial(cluster, client, ip, url.port, at, path)
    if (last.result !== 'connected') continue
    const seen = `${last.seenIP}:${clientPort}`
    let status: number
    let body: string
    if (last.server === 'pod') {
      const pod = last.pod!
      ;({ status, body } = echoServer(url.path, url.query, pod.spec?.hostname ?? pod.metadata?.name ?? '', seen, at))
    } else if (last.server === 'kube-apiserver') {
      status = url.scheme === 'http' ? 400 : 403
      body =
        url.scheme === 'http'
          ? HTTP_TO_HTTPS_BODY
          : `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"${url.path}\\"","reason":"Forbidden","details":{},"code":403}`
    } else {
      status = last.status ?? 200
      body = last.body ?? ''
    }
    path.push(`HTTP ${status} from ${last.pod ? `pod ${podName(last.pod)}` : last.server} on ${last.node}`)
    return {
      ok: true,
      server: last.server,
      ...(last.pod ? { pod: podName(last.pod), podIP: last.pod.status?.podIP ?? last.ip } : {}),
      node: last.node,
      endpoint: `${last.ip}:${last.port}`,
      port: last.port,
      clientIP: last.seenIP,
      clientPort,
      status,
      body,
      path,
    }
  }
  return fail(last.result === 'refused' ? 'connection refused' : 'timed out')
}

/** `curl URL` as a terminal shows it: the body on stdout (exit 0, whatever the HTTP status), or curl's error. */
export function curl(cluster: Cluster, from: From, url: string): CurlOutput {
  const r = connect(cluster, { from, url })
  return r.ok ? { exitCode: 0, stdout: r.body, stderr: '' } : { exitCode: r.curlExit, stdout: '', stderr: r.message }
}

/** Step 1: the addresses a name resolves to, for this client. */
function resolveHost(cluster: Cluster, client: Client, host: string, path: string[]): string[] {
  if (client.kind === 'pod') {
    const pod = client.pod!
    const r = cluster.lookup(pod.metadata!.namespace!, pod.metadata!.name!, host)
    if (!r.serverReachable) {
      path.push(`resolve ${host}: ${r.via}`)
      return []
    }
    const asked = r.tried.map((t, i) => (i === r.tried.length - 1 && r.found ? `${t} ✓` : `${t} ✗`)).join(', ')
    path.push(`resolve ${host} via ${r.nameserver} (${r.via}): asked ${asked}${r.found ? ` → ${r.addresses.join(', ')}` : ': not found'}`)
    return r.addresses
  }
  const r = cluster.lookupOutside(host)
  path.push(`resolve ${host} on ${client.label}: ${r.found ? r.addresses.join(', ') : 'not found (the cluster zone is only served to pods)'}`)
  return r.addresses
}

/** Step 2: one connection attempt to `ip:port`. */
function dial(cluster: Cluster, client: Client, ip: string, port: number, at: number, path: string[]): Dial {
  if (cluster.inPodNetwork(ip)) {
    const reach = cluster.reach(client, ip)
    if (!reach.reachable) {
      path.push(`${client.label} → ${ip}:${port}: ${reach.message}`)
      return TIMEOUT
    }
    const source = client.kind === 'node' ? cluster.snatAddress(client.node!, ip) : client.ip
    return deliver(cluster, ip, port, source, path)
  }

  if (client.kind === 'external') {
    const lb = cluster.loadBalancerAt(ip)
    if (lb) return throughLoadBalancer(cluster, client, lb, port, at, path)
    const node = cluster.nodeByIP(ip)
    if (!node) {
      path.push(`${client.label} → ${ip}:${port}: no route — only the nodes' and load balancers' addresses are reachable from outside the cluster`)
      return TIMEOUT
    }
    if (!node.up) {
      path.push(`${client.label} → ${ip}:${port}: node ${node.name} is down, nothing answers`)
      return TIMEOUT
    }
    return throughNode(cluster, node.name, { sourceIP: client.ip, destIP: ip, destPort: port }, at, path)
  }

  const own = cluster.node(client.node!)
  const lbService = cluster.serviceByLoadBalancerIP(ip)
  if (lbService) {
    // kube-proxy captures a VIP-mode load-balancer IP on every node and handles it like
    // external traffic. Simplified: the model sends it through the Service's nodePort
    // chain on the client's own node, which ends in the same KUBE-EXT chain.
    if (!proxyAllowsSource(lbService, client.ip)) {
      path.push(`kube-proxy on ${own.name}: ${client.ip} is not in loadBalancerSourceRanges of ${lbService.metadata?.namespace}/${lbService.metadata?.name}: DROP`)
      return TIMEOUT
    }
    const sp = (lbService.spec?.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP')
    if (!sp?.nodePort) {
      path.push(`kube-proxy on ${own.name}: no rule for ${ip}:${port}`)
      return TIMEOUT
    }
    path.push(`kube-proxy on ${own.name}: ${ip} is the load-balancer IP of ${lbService.metadata?.namespace}/${lbService.metadata?.name}, handled like nodePort ${sp.nodePort}`)
    return throughNode(cluster, own.name, { sourceIP: client.ip, destIP: own.internalIP, destPort: sp.nodePort }, at, path)
  }
  const target = cluster.nodeByIP(ip)
  if (target && target.name !== own.name) {
    if (!target.up) {
      path.push(`${client.label} → ${ip}:${port}: node ${target.name} is down, nothing answers`)
      return TIMEOUT
    }
    return throughNode(cluster, target.name, { sourceIP: client.ip, destIP: ip, destPort: port }, at, path)
  }
  return throughNode(cluster, own.name, { sourceIP: client.ip, destIP: ip, destPort: port }, at, path)
}

/** The cloud load balancer: source ranges, health checks, one healthy backend's nodePort. */
function throughLoadBalancer(cluster: Cluster, client: Client, lb: LoadBalancerView, port: number, at: number, path: string[]): Dial {
  const svc = lb.service
  const name = `${svc.metadata?.namespace}/${svc.metadata?.name}`
  const sp = (svc.spec?.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP')
  if (!sp?.nodePort) {
    path.push(`load balancer ${lb.ip} (${name}): no listener on ${port}/TCP`)
    return TIMEOUT
  }
  if (!allowedSource(svc, client.ip)) {
    path.push(`load balancer ${lb.ip} (${name}): ${client.ip} is not in its source ranges, dropped`)
    return TIMEOUT
  }
  const healthy = cluster.loadBalancerBackends(lb)
  path.push(`load balancer ${lb.ip} (${name}): backends ${lb.hosts.map((h) => `${h}${healthy.includes(h) ? ' ✓' : ' ✗'}`).join(', ') || '(none)'}`)
  if (healthy.length === 0) return TIMEOUT
  const chosen = cluster.node(healthy[cluster.random.int(0, healthy.length - 1)]!)
  path.push(`load balancer ${lb.ip} → ${chosen.name} ${chosen.internalIP}:${sp.nodePort}, client address ${client.ip} kept`)
  return throughNode(cluster, chosen.name, { sourceIP: client.ip, destIP: chosen.internalIP, destPort: sp.nodePort }, at, path)
}

/** kube-proxy on `nodeName` handles the packet. */
function throughNode(cluster: Cluster, nodeName: string, packet: Packet, at: number, path: string[]): Dial {
  const dest = `${packet.destIP}:${packet.destPort}`
  const proxier = cluster.kubeProxy(nodeName, { ip: packet.destIP, port: packet.destPort })
  const verdict = proxier.route(packet, at)
  const why = verdict.matched.at(-1)?.match(/--comment "?([^"]*?)"? -/)?.[1]
  switch (verdict.output) {
    case 'REJECT':
      path.push(`kube-proxy on ${nodeName}: REJECT ${dest}${why ? ` (${why})` : ''}`)
      return REFUSED
    case 'DROP':
      path.push(`kube-proxy on ${nodeName}: DROP ${dest}${why ? ` (${why})` : ''}`)
      return TIMEOUT
    case 'ACCEPT': {
      const svc = cluster.serviceByNodePort(packet.destPort)
      const answer = svc && serveHealthCheck(svc, localReadyEndpoints(cluster.slicesOf(svc), nodeName), true)
      path.push(`kube-proxy on ${nodeName}: ${dest} is a health-check node port`)
      return { result: 'connected', server: 'kube-proxy', node: nodeName, ip: packet.destIP, port: packet.destPort, seenIP: packet.sourceIP, status: answer?.status ?? 200, body: answer?.body ?? '' }
    }
    case '': {
      const own = cluster.node(nodeName)
      if (packet.destIP === own.internalIP || packet.destIP === '127.0.0.1') {
        path.push(`kube-proxy on ${nodeName}: no rule for ${dest}; the node itself answers`)
        return deliver(cluster, own.internalIP, packet.destPort, packet.sourceIP, path)
      }
      path.push(`kube-proxy on ${nodeName}: no rule for ${dest} — nothing owns that address and port`)
      return TIMEOUT
    }
  }
  const endpoint = verdict.output
  const ip = hostOf(endpoint)
  const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1))
  const source = verdict.masq ? cluster.snatAddress(nodeName, ip) : packet.sourceIP
  path.push(`kube-proxy on ${nodeName}: DNAT ${dest} → ${endpoint}${verdict.masq ? `, SNAT to ${source}` : ''}`)
  return deliver(cluster, ip, port, source, path)
}

/** The packet reaches `ip:port`: a pod, a node, or nobody. */
function deliver(cluster: Cluster, ip: string, port: number, source: string, path: string[]): Dial {
  const pod = cluster.podByIP(ip)
  if (pod) {
    const node = cluster.node(pod.spec!.nodeName!)
    if (!node.up) {
      path.push(`pod ${podName(pod)} (${ip}) is on ${node.name}, which is down: no answer`)
      return TIMEOUT
    }
    if (!cluster.servesPort(pod, port)) {
      path.push(`pod ${podName(pod)} (${ip}) does not listen on ${port}/TCP: connection reset`)
      return REFUSED
    }
    path.push(`pod ${podName(pod)} on ${node.name} accepts ${ip}:${port} from ${source}`)
    return { result: 'connected', server: 'pod', pod, node: node.name, ip, port, seenIP: source }
  }
  const node = cluster.nodeByIP(ip)
  if (node) {
    if (!node.up) {
      path.push(`node ${node.name} (${ip}) is down: no answer`)
      return TIMEOUT
    }
    if (node.controlPlane && port === 6443) {
      path.push(`kube-apiserver on ${node.name} accepts ${ip}:${port} from ${source}`)
      return { result: 'connected', server: 'kube-apiserver', node: node.name, ip, port, seenIP: source }
    }
    path.push(`node ${node.name} (${ip}): nothing listens on ${port}/TCP, connection reset`)
    return REFUSED
  }
  path.push(`${ip}: no pod or node has this address, no answer`)
  return TIMEOUT
}
