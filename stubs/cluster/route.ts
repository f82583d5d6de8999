// ────────────────────────────────────────────────────────────────────────
// Kata 09 · core path: you write
//   task 1 (manifests-and-scheduling): parseURL, echoServer, curlMessage, connect and curl
// Each is marked TODO(kata 09) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
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
  // TODO(kata 09, task 1): scheme (default http), host (IPv6 in brackets), port (80/443 by default), path (default /), query.
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
  // TODO(kata 09, task 1): agnhost netexec: /hostname, /hostName, /clientip, /echo?msg=, /healthz; anything else `NOW: <time>`.
  throw new Error('kata 09-whole-route: echoServer is not implemented yet — see lessons/09-whole-route.md')
}

/** curl's stderr line for a failure. */
export function curlMessage(error: CurlError, host: string, port: number): string {
  // TODO(kata 09, task 1): curl's three lines: (6) Could not resolve host, (7) Failed to connect … Couldn't connect to server, (28) Connection timed out.
  throw new Error('kata 09-whole-route: curlMessage is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09, task 1): resolve (pods: cluster.lookup; others: cluster.lookupOutside), then try each address in turn: a pod IP
  // TODO(kata 09, task 1): through cluster.reach; from outside a load balancer (cluster.loadBalancerBackends) or a node; otherwise the
  // TODO(kata 09, task 1): handling node's cluster.kubeProxy(...).route(packet, at); follow the verdict (REJECT, DROP, no rule, DNAT),
  // TODO(kata 09, task 1): check the endpoint's node and port (cluster.servesPort), apply SNAT (cluster.snatAddress), answer with echoServer.
  throw new Error('kata 09-whole-route: connect is not implemented yet — see lessons/09-whole-route.md')
}

/** `curl URL` as a terminal shows it: the body on stdout (exit 0, whatever the HTTP status), or curl's error. */
export function curl(cluster: Cluster, from: From, url: string): CurlOutput {
  // TODO(kata 09, task 1): connect, then stdout/stderr/exit code as curl prints them.
  throw new Error('kata 09-whole-route: curl is not implemented yet — see lessons/09-whole-route.md')
}

