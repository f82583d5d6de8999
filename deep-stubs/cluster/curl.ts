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

/** curl's stderr line for a failure. */
export function curlMessage(error: CurlError, host: string, port: number): string {
  // TODO(kata 09): curl's three lines: (6) Could not resolve host, (7) Failed to connect … Couldn't connect to server, (28) Connection timed out.
  throw new Error('kata 09-whole-route: curlMessage is not implemented yet — see lessons/09-whole-route.md')
}

const EXIT: Record<CurlError, 6 | 7 | 28> = { 'could not resolve host': 6, 'connection refused': 7, 'timed out': 28 }

const podName = (p: { metadata?: { namespace?: string; name?: string } }) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`

/**
 * One `curl URL` (one TCP connection, then `GET path`).
 *
 * 1. **Resolve** the host, unless it is an IP ({@link resolveHost}). Nothing found →
 *    `could not resolve host` (exit 6).
 * 2. **Connect** to each address in turn until one answers, as curl does
 *    ({@link followRoute}): refused → exit 7, nothing answered → exit 28.
 * 3. **Answer**: the echo server ({@link echoServer}) with the client's `ip:port` as the
 *    pod saw it; the API server (400 to plain HTTP, 403 to an anonymous HTTPS request);
 *    or kube-proxy's health check.
 *
 * @throws {ClusterError} when the client cannot run curl (unknown or stopped pod, dead node)
 */
export function connect(cluster: Cluster, request: ConnectRequest): ConnectResult {
  // TODO(kata 09): parse the URL, resolve the host unless it is an IP (nothing → exit 6), draw a client port, follow the route to each address
  // TODO(kata 09): until one connects; answer with the echo server, the API server (400 to http, 403 to https) or kube-proxy's health check.
  throw new Error('kata 09-whole-route: connect is not implemented yet — see lessons/09-whole-route.md')
}

/** `curl URL` as a terminal shows it: the body on stdout (exit 0, whatever the HTTP status), or curl's error. */
export function curl(cluster: Cluster, from: From, url: string): CurlOutput {
  // TODO(kata 09): connect, then the body on stdout with exit 0, or curl's line on stderr with its exit code.
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
 * The packet reaches `ip:port` from `source`: a pod answers if its node is up and it
 * listens on the port (else a reset: refused); at a node's address, a host-network pod of
 * that node listening on the port answers, the API server on 6443 (the control plane),
 * and anything else is reset; an address nobody holds answers nothing.
 */
export function deliver(cluster: Cluster, ip: string, port: number, source: string, path: string[]): Outcome {
  // TODO(kata 09): a pod: its node must be up and it must listen (servesPort); a node: the control plane answers 6443, others reset; nobody: TIMEOUT.
  throw new Error('kata 09-whole-route: deliver is not implemented yet — see lessons/09-whole-route.md')
}
