import type { Cluster } from './cluster.ts'
import type { Client } from './dataplane.ts'
import type { Outcome } from './route.ts'

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
 * Reads `http://host[:port][/path][?query]` (a bare `host/path` is http). IPv6 hosts in
 * brackets. Default ports 80 and 443.
 * @throws {TypeError} for anything else (`curl: (3) URL rejected`)
 */
export function parseURL(url: string): ParsedURL {
  // TODO(kata 09): scheme (default http), host (IPv6 in brackets), port (80/443 by default), path (default /), query.
  throw new Error('kata 09-whole-route: parseURL is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * agnhost `netexec`'s answer to `GET path`: `/hostname` (and `/hostName`) the pod's
 * hostname, `/clientip` the client address as `ip:port`, `/echo?msg=…` the message,
 * `/healthz` an empty 200; every other path falls to the `/` handler, `NOW: <time>`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/test/images/agnhost/netexec/netexec.go
 */
export function echoServer(path: string, query: string, hostname: string, client: string, now: number): { status: number; body: string } {
  // TODO(kata 09): agnhost netexec: /hostname, /hostName, /clientip, /echo?msg=, /healthz; anything else `NOW: <time>`.
  throw new Error('kata 09-whole-route: echoServer is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * curl 8's stderr line for a failure after `elapsedMs`. Every failed connect reads
 * "Couldn't connect to server" (`curl_easy_strerror(CURLE_COULDNT_CONNECT)`, not the
 * system's words, since curl 7.86, curl/curl#9554; releases from late 2025 spell it "Could
 * not"); the exit code is 28 when the system's error was ETIMEDOUT, else 7.
 * @see https://github.com/curl/curl/blob/curl-8_5_0/lib/connect.c
 */
export function curlMessage(error: CurlError, host: string, port: number, elapsedMs = 0): string {
  // TODO(kata 09): (6) Could not resolve host: HOST; every failed connect (7 or 28, see EXIT): Failed to connect to HOST port N after T ms: Couldn't connect to server.
  throw new Error('kata 09-whole-route: curlMessage is not implemented yet — see lessons/09-whole-route.md')
}

const EXIT: Record<CurlError, 6 | 7 | 28> = { 'could not resolve host': 6, 'connection refused': 7, 'no route to host': 7, 'timed out': 28 }
const FAILURE: Record<'refused' | 'unreachable' | 'timeout', CurlError> = { refused: 'connection refused', unreachable: 'no route to host', timeout: 'timed out' }

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
  // TODO(kata 09): parse the URL, resolve the host unless it is an IP (nothing → exit 6), draw a client port, follow the route to each address
  // TODO(kata 09): until one connects (adding up WAIT_MS of the failures; the last one's FAILURE is curl's error); answer with the echo server, the API server (400 to http, 403 to https) or kube-proxy's health check.
  throw new Error('kata 09-whole-route: connect is not implemented yet — see lessons/09-whole-route.md')
}

/** `curl URL` as a terminal shows it: the body on stdout (exit 0, whatever the HTTP status), or curl's error and how long it waited. */
export function curl(cluster: Cluster, from: From, url: string): CurlOutput {
  // TODO(kata 09): connect, then the body on stdout with exit 0 (elapsedMs 0), or curl's line on stderr with its exit code and elapsedMs.
  throw new Error('kata 09-whole-route: curl is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * One connection attempt to `ip:port`, hop by hop: the first hop from {@link dial}, then
 * each {@link Step} to the function that takes it — the load balancer
 * ({@link throughLoadBalancer}), kube-proxy on a node ({@link throughNode}) — until the
 * packet is delivered ({@link deliver}) or the attempt ends on the way.
 */
export function followRoute(cluster: Cluster, client: Client, ip: string, port: number, at: number, path: string[]): Outcome {
  // TODO(kata 09): dial, then hand each hop to throughLoadBalancer or throughNode until a 'deliver' hop (deliver) or an outcome.
  throw new Error('kata 09-whole-route: followRoute is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): on a node that is down: UNREACHABLE; a pod must listen (servesPort); a node: a host-network pod, the control plane on 6443, else reset; nobody: TIMEOUT.
  throw new Error('kata 09-whole-route: deliver is not implemented yet — see lessons/09-whole-route.md')
}
