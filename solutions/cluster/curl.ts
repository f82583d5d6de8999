// The two ends of a connection: curl, which parses the URL, resolves the host, tries each
// address until one answers and prints what it got; and agnhost's netexec echo server in
// every pod, which answers `/hostname` and `/clientip`. Between them runs the route of
// ./route.ts, hop by hop: `connect` asks `dial` for the first hop of each address,
// hands every `Hop` to the function that takes it, and delivers the packet at the end.
//
// Read it to see how the route's hops are put together, and what curl prints.
import { timestamp } from '../../lib/cluster/clock.ts'
import { parseIP } from '../../lib/net/ipint.ts'
import type { Cluster } from './cluster.ts'
import type { Client } from './dataplane.ts'
import { podHostname } from './kubelet.ts'
import { dial, REFUSED, resolveHost, throughLoadBalancer, throughNode, TIMEOUT, UNREACHABLE, type Outcome, type Step } from './route.ts'

/** Where a connection starts: a pod (`namespace/name`), a node, or a machine outside the cluster (its IP). */
export type From = { pod: string } | { node: string } | { external: string }

export interface ConnectRequest {
  from: From
  url: string
  /** The time of the connection, in the cluster's seconds; default now. */
  at?: number
}

/** How curl fails, in the words of this course. */
export type CurlError = 'could not resolve host' | 'connection refused' | 'no route to host' | 'timed out'

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
  /** 6 could not resolve host, 7 connection refused or no route to host, 28 timed out. */
  curlExit: 6 | 7 | 28
  /** curl's line on stderr. */
  message: string
  /** How long curl waited before it gave up, in milliseconds (every address tried). */
  elapsedMs: number
  path: string[]
}

export type ConnectResult = Connected | Failed

/** What `curl URL` prints and returns. */
export interface CurlOutput {
  exitCode: number
  stdout: string
  stderr: string
  /** How long the command ran, in milliseconds: the wait before a failure, 0 for an answer. */
  elapsedMs: number
}

/**
 * curl's own limit on connecting, without `--connect-timeout` (`DEFAULT_CONNECT_TIMEOUT`,
 * five minutes; there is no limit on the whole transfer without `-m`). On Linux the kernel
 * gives up first ({@link SYN_TIMEOUT_MS}).
 * @see https://github.com/curl/curl/blob/curl-8_5_0/lib/connect.h
 */
export const CURL_CONNECT_TIMEOUT_MS = 300000
/**
 * When Linux gives up a connection whose SYNs nobody answers (a DROP, an address that
 * goes nowhere): `net.ipv4.tcp_syn_retries` = 6 retransmissions, 1 + 2 + 4 + … + 64 s
 * (tcp(7): "approximately 127 seconds"). connect() fails with ETIMEDOUT, which curl
 * reports as exit 28.
 */
export const SYN_TIMEOUT_MS = 127000
/**
 * When Linux gives up on a next hop on its own network that nobody holds (a stopped kind
 * node): ARP asks 3 times, 1 s apart (`mcast_solicit`, `retrans_time_ms`), then the
 * kernel answers the SYN with "No route to host" (EHOSTUNREACH), curl exit 7.
 */
export const ARP_TIMEOUT_MS = 3000
/** How long each way of failing makes curl wait for one address. */
export const WAIT_MS: Record<'refused' | 'unreachable' | 'timeout', number> = { refused: 0, unreachable: ARP_TIMEOUT_MS, timeout: SYN_TIMEOUT_MS }
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
 * Reads `http://host[:port][/path][?query][#fragment]` (a bare `host/path` is http). IPv6
 * hosts in brackets. Default ports 80 and 443. The fragment is dropped: curl never sends it.
 * @throws {TypeError} for anything else (`curl: (3) URL rejected`)
 */
export function parseURL(url: string): ParsedURL {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/.exec(url.trim())
  if (!m) throw new TypeError(`curl: (3) URL rejected: Malformed input to a URL function`)
  const scheme = (m[1] ?? 'http') as 'http' | 'https'
  // Stryker disable next-line Regex: the host matched \[[^\]]+\] has its one [ first and its one ] last
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

/**
 * curl 8's stderr line for a failure after `elapsedMs`. Every failed connect reads
 * "Couldn't connect to server" (`curl_easy_strerror(CURLE_COULDNT_CONNECT)`, not the
 * system's words, since curl 7.86, curl/curl#9554; releases from late 2025 spell it "Could
 * not"); the exit code is 28 when the system's error was ETIMEDOUT, else 7.
 * @see https://github.com/curl/curl/blob/curl-8_5_0/lib/connect.c
 */
export function curlMessage(error: CurlError, host: string, port: number, elapsedMs = 0): string {
  switch (error) {
    case 'could not resolve host':
      return `curl: (6) Could not resolve host: ${host}`
    case 'connection refused':
    case 'no route to host':
    case 'timed out':
      return `curl: (${EXIT[error]}) Failed to connect to ${host} port ${port} after ${elapsedMs} ms: Couldn't connect to server`
  }
}

const EXIT: Record<CurlError, 6 | 7 | 28> = { 'could not resolve host': 6, 'connection refused': 7, 'no route to host': 7, 'timed out': 28 }
const FAILURE: Record<'refused' | 'unreachable' | 'timeout', CurlError> = { refused: 'connection refused', unreachable: 'no route to host', timeout: 'timed out' }

// Stryker disable next-line OptionalChaining,StringLiteral: a pod the cluster runs always has a namespace and a name
const podName = (p: { metadata?: { namespace?: string; name?: string } }) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`

/**
 * One `curl URL` (one TCP connection, then `GET path`).
 *
 * 1. **Resolve** the host, unless it is an IP ({@link resolveHost}). Nothing found →
 *    `could not resolve host` (exit 6).
 * 2. **Connect** to each address in turn until one answers, as curl does
 *    ({@link followRoute}): refused → exit 7 at once; no route to host (a stopped node)
 *    → exit 7 after {@link ARP_TIMEOUT_MS}; nothing answered → exit 28 after
 *    {@link SYN_TIMEOUT_MS}. The waits add up over the addresses tried.
 * 3. **Answer**: the echo server ({@link echoServer}) with the client's `ip:port` as the
 *    pod saw it; the API server (400 to plain HTTP, 403 to an anonymous HTTPS request);
 *    or kube-proxy's health check.
 *
 * @throws {ClusterError} when the client cannot run curl (unknown or stopped pod, dead node)
 */
export function connect(cluster: Cluster, request: ConnectRequest): ConnectResult {
  const at = request.at ?? cluster.now
  const url = parseURL(request.url)
  const client = cluster.client(request.from)
  // Stryker disable next-line ArrayDeclaration: path is free text for the messages, no check reads it
  const path: string[] = []
  const fail = (error: CurlError, elapsedMs = 0): Failed => ({ ok: false, error, curlExit: EXIT[error], message: curlMessage(error, url.host, url.port, elapsedMs), elapsedMs, path })

  let addresses: string[]
  if (parseIP(url.host)) addresses = [url.host]
  else {
    addresses = resolveHost(cluster, client, url.host, path)
    if (addresses.length === 0) return fail('could not resolve host')
  }

  const clientPort = cluster.random.int(EPHEMERAL_PORTS.first, EPHEMERAL_PORTS.last)
  let last: Outcome = TIMEOUT
  let waited = 0
  for (const ip of addresses) {
    last = followRoute(cluster, client, ip, url.port, at, path)
    if (last.result !== 'connected') {
      waited += WAIT_MS[last.result]
      continue
    }
    const seen = `${last.seenIP}:${clientPort}`
    let status: number
    let body: string
    if (last.server === 'pod') {
      const pod = last.pod!
      ;({ status, body } = echoServer(url.path, url.query, podHostname(pod), seen, at))
    } else if (last.server === 'kube-apiserver') {
      status = url.scheme === 'http' ? 400 : 403
      body =
        url.scheme === 'http'
          ? HTTP_TO_HTTPS_BODY
          : `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"${url.path}\\"","reason":"Forbidden","details":{},"code":403}`
    } else {
      status = last.status ?? 200
      // Stryker disable next-line StringLiteral: healthCheckAnswer always gives kube-proxy's body
      body = last.body ?? ''
    }
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`HTTP ${status} from ${last.pod ? `pod ${podName(last.pod)}` : last.server} on ${last.node}`)
    return {
      ok: true,
      server: last.server,
      // Stryker disable next-line LogicalOperator,OptionalChaining: a pod answers only at its own address, so status.podIP is last.ip
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
  // Stryker disable next-line ConditionalExpression,StringLiteral: the loop returns at the first connection, so last is a failure here
  return fail(FAILURE[last.result === 'connected' ? 'timeout' : last.result], waited)
}

/** `curl URL` as a terminal shows it: the body on stdout (exit 0, whatever the HTTP status), or curl's error and how long it waited. */
export function curl(cluster: Cluster, from: From, url: string): CurlOutput {
  const r = connect(cluster, { from, url })
  return r.ok ? { exitCode: 0, stdout: r.body, stderr: '', elapsedMs: 0 } : { exitCode: r.curlExit, stdout: '', stderr: r.message, elapsedMs: r.elapsedMs }
}

/**
 * One connection attempt to `ip:port`, hop by hop: the first hop from {@link dial}, then
 * each {@link Step} to the function that takes it — the load balancer
 * ({@link throughLoadBalancer}), kube-proxy on a node ({@link throughNode}) — until the
 * packet is delivered ({@link deliver}) or the attempt ends on the way.
 */
export function followRoute(cluster: Cluster, client: Client, ip: string, port: number, at: number, path: string[]): Outcome {
  let step: Step = dial(cluster, client, ip, port, path)
  for (;;) {
    if ('result' in step) return step
    switch (step.hop) {
      case 'load-balancer':
        step = throughLoadBalancer(cluster, client, step.lb, step.port, path)
        break
      case 'kube-proxy':
        step = throughNode(cluster, step.node, step.packet, at, path)
        break
      case 'deliver':
        return deliver(cluster, step.ip, step.port, step.source, path)
    }
  }
}

/**
 * The packet reaches `ip:port` from `source`: a pod answers if it listens on the port
 * (else a reset: refused); at a node's address, a host-network pod of that node listening
 * on the port answers, the API server on 6443 (the control plane), and anything else is
 * reset; an address nobody holds answers nothing. A pod or node address on a node that
 * is down — a stopped kind node's container has left the Docker network — is unreachable:
 * the last hop's ARP goes unanswered.
 */
export function deliver(cluster: Cluster, ip: string, port: number, source: string, path: string[]): Outcome {
  const pod = cluster.podByIP(ip)
  if (pod) {
    const node = cluster.node(pod.spec!.nodeName!)
    if (!node.up) {
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`pod ${podName(pod)} (${ip}) is on ${node.name}, which is down: nobody answers ARP for ${node.internalIP}, no route to host`)
      return UNREACHABLE
    }
    if (!cluster.servesPort(pod, port)) {
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`pod ${podName(pod)} (${ip}) does not listen on ${port}/TCP: connection reset`)
      return REFUSED
    }
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`pod ${podName(pod)} on ${node.name} accepts ${ip}:${port} from ${source}`)
    return { result: 'connected', server: 'pod', pod, node: node.name, ip, port, seenIP: source }
  }
  const node = cluster.nodeByIP(ip)
  if (node) {
    if (!node.up) {
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`node ${node.name} (${ip}) is down: nobody answers ARP for it, no route to host`)
      return UNREACHABLE
    }
    const hostPod = cluster.hostNetworkPod(node.name, port)
    if (hostPod) {
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`pod ${podName(hostPod)} (host network) on ${node.name} accepts ${ip}:${port} from ${source}`)
      return { result: 'connected', server: 'pod', pod: hostPod, node: node.name, ip, port, seenIP: source }
    }
    if (node.controlPlane && port === 6443) {
      // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
      path.push(`kube-apiserver on ${node.name} accepts ${ip}:${port} from ${source}`)
      return { result: 'connected', server: 'kube-apiserver', node: node.name, ip, port, seenIP: source }
    }
    // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
    path.push(`node ${node.name} (${ip}): nothing listens on ${port}/TCP, connection reset`)
    return REFUSED
  }
  // Stryker disable next-line StringLiteral: path is free text for the messages, no check reads it
  path.push(`${ip}: no pod or node has this address, no answer`)
  return TIMEOUT
}
