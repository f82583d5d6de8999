// ────────────────────────────────────────────────────────────────────────
// Kata 00 · core path: you write
//   task 3 (port-forward-pod-choice): attachablePodForObject
//   task 4 (port-forward-session): PortForwardSession.podDeleted
// Each is marked TODO(kata 00) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 00`.
// ────────────────────────────────────────────────────────────────────────
// `kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT …`: a developer's tunnel to ONE pod.
//
// kubectl picks a pod, then opens `POST /api/v1/namespaces/<ns>/pods/<pod>/portforward`
// on the API server, which the kubelet serves: the container runtime connects to
// `localhost:<port>` inside that pod's network namespace. No Service VIP, no kube-proxy,
// no load balancing — even for `svc/NAME`, the Service only helps choose the pod and
// translate the port. When that pod goes away the session ends; kubectl must be run again.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Pod, Service } from 'kubernetes-types/core/v1'
import type { LabelSelector } from 'kubernetes-types/meta/v1'
import { Random } from '../../lib/random.ts'
import { parseIP } from '../../lib/net/ipint.ts'

/** An error kubectl port-forward reports; `output` is the line kubectl prints. */
export class PortForwardError extends Error {
  override name = 'PortForwardError'
  /** What kubectl prints on stderr: `error: <message>`. */
  get output(): string {
    return `error: ${this.message}`
  }
}

/** The API server's NotFound, e.g. `services "order" not found`. */
export class NotFoundError extends PortForwardError {
  override name = 'NotFoundError'
  override get output(): string {
    return `Error from server (NotFound): ${this.message}`
  }
}

/** A local connection to a port nobody listens on (any more): what the client sees. */
export class ConnectionRefusedError extends Error {
  override name = 'ConnectionRefusedError'
}

/** client-go's `ErrLostConnectionToPod`: the session ends with it when its pod goes away. */
export const LOST_CONNECTION_TO_POD = 'lost connection to pod'

/** A `[LOCAL:]REMOTE` pair after parsing; `local` 0 means "any free port". */
export interface ForwardedPort {
  local: number
  remote: number
}

/**
 * The API server's pod list with a label selector,
 * `GET /api/v1/namespaces/<namespace>/pods?labelSelector=<selector>`: the server, not
 * kubectl, decides which pods match. Returns the matching pods of that namespace in the
 * server's list order.
 */
export type PodLister = (namespace: string, selector: LabelSelector) => Pod[]

/** The objects port-forward can read: what the API server would return. */
export interface ClusterState {
  /** Every pod, for `GET …/pods/<name>`. */
  pods: readonly Pod[]
  /** `LIST …/pods?labelSelector=…`: the server filters by namespace and selector. */
  listPods: PodLister
  services?: readonly Service[]
  deployments?: readonly Deployment[]
}

export interface PortForwardRequest {
  /** `TYPE/NAME` (`pod/web-0`, `svc/order`, `deploy/order`) or a bare pod name. */
  resource: string
  /** `[LOCAL_PORT:]REMOTE_PORT` arguments: `8080:80`, `80`, `:80`, `8443:https`. */
  ports: readonly string[]
  /** `-n`; default `default`. */
  namespace?: string
  /** `--address`; default `localhost` (= 127.0.0.1 and ::1). */
  address?: readonly string[]
  /** Seed for the ports picked for `:REMOTE` (local port 0). */
  seed?: number
}

/** Where one forwarded connection ends up: a port inside one pod's network namespace. */
export interface ForwardedConnection {
  namespace: string
  pod: string
  /** The container port the kubelet dials on the pod's localhost. */
  port: number
}

type Forwardable = Pod | Service | Deployment

/** Go's `%T` of the object, as kubectl prints it. */
function goType(o: Forwardable): string {
  return `*v1.${o.kind ?? 'Object'}`
}

/** `podPhaseToOrdinal`: Pending (and any phase not named) < Unknown < Running. */
function phaseRank(phase: string | undefined): number {
  switch (phase) {
    case 'Running':
      return 2
    case 'Unknown':
      return 1
    default:
      return 0
  }
}

function isReady(p: Pod): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
}

/** The Ready condition's lastTransitionTime; 0 ("zero time") without one. Asked only of Ready pods. */
function readyTime(p: Pod): number {
  const c = (p.status?.conditions ?? []).find((x) => x.type === 'Ready')
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0
}

function maxRestarts(p: Pod): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount))
}

/** `afterOrZero(t1, t2)`: t1 is after t2; a zero time counts as after any other. Asked only about two different times. */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0
  return t1 > t2
}

/**
 * `ActivePods.Less(i, j)`: whether pod `a` is "less active" than pod `b`. port-forward,
 * attach and exec sort with `sort.Reverse(ActivePods)` and take the first, i.e. the most
 * active pod. Criteria, in order:
 * 1. unassigned (`spec.nodeName` empty) < assigned;
 * 2. phase Pending < Unknown < Running (any other phase ranks with Pending);
 * 3. not Ready < Ready;
 * 4. both Ready: Ready more recently (or with no transition time) < Ready for longer;
 * 5. more restarts (highest container restartCount) < fewer;
 * 6. no creation time < newer < older.
 * Otherwise neither is less.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/util/podutils/podutils.go
 */
export function activePodsLess(a: Pod, b: Pod): boolean {
  const na = a.spec?.nodeName ?? ''
  const nb = b.spec?.nodeName ?? ''
  if (na !== nb && (na === '' || nb === '')) return na === ''
  const pa = phaseRank(a.status?.phase)
  const pb = phaseRank(b.status?.phase)
  if (pa !== pb) return pa < pb
  if (isReady(a) !== isReady(b)) return !isReady(a)
  // Both Ready or both not here; only Ready pods compare how long they have been.
  if (isReady(a) && readyTime(a) !== readyTime(b)) return afterOrZero(readyTime(a), readyTime(b))
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b)
  const ca = a.metadata?.creationTimestamp ? Date.parse(a.metadata.creationTimestamp) : 0
  const cb = b.metadata?.creationTimestamp ? Date.parse(b.metadata.creationTimestamp) : 0
  if (ca !== cb) return afterOrZero(ca, cb)
  return false
}

/**
 * The namespace and pod selector of a Service or Deployment (`SelectorsForObject`), as the
 * `LabelSelector` kubectl sends to the API server. kubectl does not match labels itself.
 * 1. a Service: its `spec.selector` map becomes `{matchLabels: <map>}`; a Service without one
 *    is refused: `invalid service '<name>': Service is defined without a selector`;
 * 2. a Deployment: its `spec.selector`, unchanged (matchLabels and matchExpressions);
 * 3. anything else: `selector for <Go type> not implemented`.
 * The namespace is the object's (`default` when it names none).
 *
 * kubectl first converts a Deployment's selector (`LabelSelectorAsSelector`) and refuses an
 * invalid one (`invalid label selector: …`); the model leaves selectors to the API server.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/polymorphichelpers/helpers.go
 */
export function selectorsForObject(object: Service | Deployment): { namespace: string; selector: LabelSelector } {
  const namespace = object.metadata?.namespace ?? 'default'
  const name = object.metadata?.name ?? ''
  if (object.kind === 'Service') {
    const sel = (object as Service).spec?.selector
    if (!sel || Object.keys(sel).length === 0) {
      throw new PortForwardError(`invalid service '${name}': Service is defined without a selector`)
    }
    return { namespace, selector: { matchLabels: { ...sel } } }
  }
  if (object.kind === 'Deployment') {
    return { namespace, selector: (object as Deployment).spec?.selector ?? {} }
  }
  throw new PortForwardError(`selector for ${goType(object)} not implemented`)
}

/**
 * The pod port-forward (and attach, exec) uses for an object (`AttachablePodForObject`,
 * `GetFirstPod`): a Pod is itself; for a Service or Deployment, kubectl lists the pods of
 * its namespace with its selector (the API server filters), sorts them with
 * `sort.Reverse(ActivePods)` and takes the first, one pod only (ties keep the API server's
 * list order):
 * 1. a Pod: that pod, whatever its state (nothing is listed);
 * 2. otherwise `selectorsForObject(object)` gives the namespace and selector; when it refuses
 *    the object, the error becomes `cannot attach to <Go type>: <its message>` (the Go type
 *    is `goType(object)`), e.g.
 *    `cannot attach to *v1.Service: invalid service 'payments': Service is defined without a selector`;
 * 3. `listPods(namespace, selector)` once; the greatest pod under `activePodsLess` (the most
 *    active) wins, the first listed among equals;
 * 4. no pod: kubectl waits `--pod-running-timeout` and fails with
 *    `timed out waiting for the condition`.
 * All errors are `PortForwardError`s.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/polymorphichelpers/attachablepodforobject.go
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/polymorphichelpers/helpers.go
 */
export function attachablePodForObject(object: Forwardable, listPods: PodLister): Pod {
  // TODO(kata 00, task 3): a Pod is itself; otherwise list with the selector, sort by reversed ActivePods, take the first.
  throw new Error('kata 00-pod-network: attachablePodForObject is not implemented yet — see lessons/00-pod-network.md')
}

/**
 * A Service port's number by its name (`LookupServicePortNumberByName`); an unnamed port's
 * name is `''`, as in Go.
 * @throws {PortForwardError} `Service '<service>' does not have a named port '<name>'`
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/util/service_port.go
 */
export function lookupServicePortNumberByName(svc: Service, name: string): number {
  const p = (svc.spec?.ports ?? []).find((x) => (x.name ?? '') === name)
  if (!p) throw new PortForwardError(`Service '${svc.metadata?.name ?? ''}' does not have a named port '${name}'`)
  return p.port
}

/**
 * A container port's number by its name, in containers then init containers (`LookupContainerPortNumberByName`);
 * an unnamed port's name is `''`, as in Go.
 * @throws {PortForwardError} `Pod '<pod>' does not have a named port '<name>'`
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/util/pod_port.go
 */
export function lookupContainerPortNumberByName(pod: Pod, name: string): number {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const p = (c.ports ?? []).find((x) => (x.name ?? '') === name)
    if (p) return p.containerPort
  }
  throw new PortForwardError(`Pod '${pod.metadata?.name ?? ''}' does not have a named port '${name}'`)
}

/**
 * The container port behind a Service port (`LookupContainerPortNumberByServicePort`):
 * 1. a headless Service (`clusterIP: None`): the port itself;
 * 2. a numeric targetPort: that number (0 or unset: the Service port);
 * 3. a named targetPort: that pod's container port of that name;
 * 4. no such Service port: `Service <name> does not have a service port <port>`.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/util/service_port.go
 */
export function lookupContainerPortNumberByServicePort(svc: Service, pod: Pod, port: number): number {
  if (svc.spec?.clusterIP === 'None') return port
  for (const sp of svc.spec?.ports ?? []) {
    if (sp.port !== port) continue
    const tp = sp.targetPort
    if (tp === undefined || typeof tp === 'number') return tp ? tp : sp.port
    return lookupContainerPortNumberByName(pod, tp)
  }
  throw new PortForwardError(`Service ${svc.metadata?.name ?? ''} does not have a service port ${port}`)
}

/** `splitPort`: `8080:80` → [`8080`, `80`]; `80` → [`80`, `80`]. */
function splitPort(port: string): [string, string] {
  const parts = port.split(':')
  if (parts.length === 2) return [parts[0]!, parts[1]!]
  return [parts[0]!, parts[0]!]
}

/** Go's `strconv.Atoi` on a port argument; `undefined` when it is not a number. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined
}

/**
 * Rewrites `svc/NAME` port arguments from Service ports to container ports
 * (`translateServicePortToTargetPort`). A named REMOTE is a Service port name (and a bare
 * name also becomes the local port number: `http` → `80:8080`). The result keeps
 * `LOCAL:` when it differs from the container port, else just the port.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/portforward/portforward.go
 */
export function translateServicePortToTargetPort(ports: readonly string[], svc: Service, pod: Pod): string[] {
  return ports.map((port) => {
    let [localPort, remotePort] = splitPort(port)
    let portnum = atoi(remotePort)
    if (portnum === undefined) {
      portnum = lookupServicePortNumberByName(svc, remotePort)
      if (localPort === remotePort) localPort = String(portnum)
    }
    const containerPort = String(lookupContainerPortNumberByServicePort(svc, pod, portnum))
    return localPort !== containerPort ? `${localPort}:${containerPort}` : containerPort
  })
}

/**
 * Rewrites named REMOTE ports of a pod to numbers (`convertPodNamedPortToNumber`):
 * `http` → `80`, `8000:http` → `8000:80`, `:http` → `:80`; numbers stay as they are. The
 * result keeps `LOCAL:` when LOCAL differs from REMOTE as written. An empty REMOTE is
 * refused: `remote port cannot be empty`.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/portforward/portforward.go
 */
export function convertPodNamedPortToNumber(ports: readonly string[], pod: Pod): string[] {
  return ports.map((port) => {
    const [localPort, remotePort] = splitPort(port)
    if (remotePort === '') throw new PortForwardError('remote port cannot be empty')
    const containerPort = atoi(remotePort) === undefined ? String(lookupContainerPortNumberByName(pod, remotePort)) : remotePort
    return localPort !== remotePort ? `${localPort}:${containerPort}` : containerPort
  })
}

function checkUDPPorts(udpOnly: Set<number>, ports: readonly string[], resolveName: (name: string) => number): void {
  for (const port of ports) {
    const [, remotePort] = splitPort(port)
    const n = atoi(remotePort) ?? resolveName(remotePort)
    if (udpOnly.has(n)) throw new PortForwardError(`UDP protocol is not supported for ${remotePort}`)
  }
}

function udpOnlyPorts(ports: readonly { port: number; protocol?: string }[]): Set<number> {
  const udp = new Set(ports.filter((p) => p.protocol === 'UDP').map((p) => p.port))
  for (const p of ports) if (p.protocol === 'TCP') udp.delete(p.port)
  return udp
}

/**
 * Refuses a REMOTE that is a UDP-only Service port (`checkUDPPortInService`):
 * `UDP protocol is not supported for <port>`. A port that is both UDP and TCP is fine.
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/portforward/portforward.go
 */
export function checkUDPPortInService(ports: readonly string[], svc: Service): void {
  const udp = udpOnlyPorts((svc.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol })))
  checkUDPPorts(udp, ports, (name) => lookupServicePortNumberByName(svc, name))
}

/**
 * Refuses a REMOTE that is a UDP-only container port (`checkUDPPortInPod`):
 * `UDP protocol is not supported for <port>`. A port that is both UDP and TCP is fine.
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/portforward/portforward.go
 */
export function checkUDPPortInPod(ports: readonly string[], pod: Pod): void {
  const all = (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol })))
  checkUDPPorts(udpOnlyPorts(all), ports, (name) => lookupContainerPortNumberByName(pod, name))
}

function parseUint16(s: string, what: 'local' | 'remote'): number {
  const fail = (why: string) => new PortForwardError(`error parsing ${what} port '${s}': strconv.ParseUint: parsing ${JSON.stringify(s)}: ${why}`)
  if (!/^\d+$/.test(s)) throw fail('invalid syntax')
  const n = Number(s)
  if (n > 65535) throw fail('value out of range')
  return n
}

/**
 * Parses port arguments the way client-go's port forwarder does (`parsePorts`):
 * `5000`, `8888:5000`, `:5000` / `0:5000` (any free local port).
 * Errors: `invalid port format '<p>'` (more than one `:`); a port that is not a number
 * 0–65535: `error parsing local port '<p>': strconv.ParseUint: parsing "<p>": invalid syntax`
 * (`error parsing remote port …` for the remote port; `value out of range` instead of
 * `invalid syntax` above 65535); a remote port 0: `remote port must be > 0`.
 *
 * @see https://github.com/kubernetes/client-go/blob/kubernetes-1.34.0/tools/portforward/portforward.go
 */
export function parsePorts(ports: readonly string[]): ForwardedPort[] {
  return ports.map((p) => {
    const parts = p.split(':')
    if (parts.length > 2) throw new PortForwardError(`invalid port format '${p}'`)
    const localText = parts.length === 1 ? parts[0]! : parts[0] === '' ? '0' : parts[0]!
    const remoteText = parts.length === 1 ? parts[0]! : parts[1]!
    const local = parseUint16(localText, 'local')
    const remote = parseUint16(remoteText, 'remote')
    if (remote === 0) throw new PortForwardError('remote port must be > 0')
    return { local, remote }
  })
}

/**
 * `--address` values to listen on (`parseAddresses`): `localhost` is 127.0.0.1 and ::1;
 * any other must be an IP (`<addr> is not a valid IP`). Sorted as strings.
 */
function parseAddresses(addresses: readonly string[]): string[] {
  const set = new Set<string>()
  for (const a of addresses) {
    if (a === 'localhost') {
      set.add('127.0.0.1')
      set.add('::1')
    } else if (parseIP(a)) set.add(a)
    else throw new PortForwardError(`${a} is not a valid IP`)
  }
  return [...set].sort()
}

/** `net.JoinHostPort`. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * A running `kubectl port-forward`: bound to one pod for its whole life.
 *
 * Rules:
 * 1. On start it prints, per port and per listen address, `Forwarding from <addr>:<local> -> <remote>`
 *    (an IPv6 address in brackets: `Forwarding from [::1]:8080 -> 8080`).
 * 2. Each local connection prints `Handling connection for <local>` and goes to the same pod,
 *    port `<remote>` on its localhost. No balancing, no re-selection.
 * 3. When that pod is deleted the session ends with `error: lost connection to pod`; it does not
 *    move to another pod, even one the same Service selects. Later connections are refused.
 *
 * The model ends the session as soon as the pod is deleted; real kubectl notices when the
 * kubelet closes the stream (at the latest on the next connection).
 *
 * @see https://github.com/kubernetes/client-go/blob/kubernetes-1.34.0/tools/portforward/portforward.go
 */
export class PortForwardSession {
  /** What kubectl printed on stdout, one line each. */
  readonly stdout: string[] = []
  /** What kubectl printed on stderr, one line each. */
  readonly stderr: string[] = []
  /** Forwarding; stopped by Ctrl-C; or lost with its pod. The getters below read it. */
  private state: 'forwarding' | 'stopped' | 'lost' = 'forwarding'

  constructor(
    readonly namespace: string,
    /** The name of the one pod this session forwards to. */
    readonly pod: string,
    /** The forwarded ports, local ports resolved. */
    readonly ports: readonly ForwardedPort[],
    /** The listen addresses, sorted. */
    readonly addresses: readonly string[],
  ) {
    for (const p of ports) for (const a of addresses) this.stdout.push(`Forwarding from ${joinHostPort(a, p.local)} -> ${p.remote}`)
  }

  /** Whether kubectl is still forwarding. */
  get active(): boolean {
    return this.state === 'forwarding'
  }

  /** The error kubectl exited with (`lost connection to pod`), if any. */
  get exitError(): string | undefined {
    return this.state === 'lost' ? LOST_CONNECTION_TO_POD : undefined
  }

  /** kubectl's exit code once it has ended: 0 after Ctrl-C, 1 after an error. */
  get exitCode(): number | undefined {
    return this.state === 'forwarding' ? undefined : this.state === 'stopped' ? 0 : 1
  }

  /**
   * A client connects to `address:localPort` on the machine running kubectl (`localhost` is 127.0.0.1).
   * @throws {ConnectionRefusedError} `dial tcp <addr>:<port>: connect: connection refused` when nothing listens there
   */
  connect(localPort: number, address = '127.0.0.1'): ForwardedConnection {
    const host = address === 'localhost' ? '127.0.0.1' : address
    const port = this.ports.find((p) => p.local === localPort)
    if (!this.active || !port || !this.addresses.includes(host)) {
      throw new ConnectionRefusedError(`dial tcp ${joinHostPort(host, localPort)}: connect: connection refused`)
    }
    this.stdout.push(`Handling connection for ${localPort}`)
    return { namespace: this.namespace, pod: this.pod, port: port.remote }
  }

  /**
   * Tells the session that a pod was deleted. Only its own pod (`this.namespace`/`this.pod`)
   * matters, and only while it is forwarding: then the session ends (`state` `lost`, so
   * `active` is false, `exitError` is `lost connection to pod` and `exitCode` 1) and kubectl
   * prints `error: lost connection to pod` on stderr (`LOST_CONNECTION_TO_POD`).
   * It never moves to another pod; any other deletion changes nothing.
   */
  podDeleted(namespace: string, name: string): void {
    // TODO(kata 00, task 4): only its own pod matters; print `error: lost connection to pod`.
    throw new Error('kata 00-pod-network: PortForwardSession.podDeleted is not implemented yet — see lessons/00-pod-network.md')
  }

  /** Ctrl-C. */
  stop(): void {
    if (this.active) this.state = 'stopped'
  }
}

/** The resource a `TYPE` names (short names and plurals too); the model knows these three only. */
function resourceType(typeName: string): 'pods' | 'services' | 'deployments' | undefined {
  switch (typeName.toLowerCase()) {
    case 'pod':
    case 'pods':
    case 'po':
      return 'pods'
    case 'service':
    case 'services':
    case 'svc':
      return 'services'
    case 'deployment':
    case 'deployments':
    case 'deploy':
    case 'deployment.apps':
    case 'deployments.apps':
      return 'deployments'
  }
  return undefined
}

/**
 * Finds `TYPE/NAME` in the cluster (the resource builder's `ResourceNames("pods", arg)`).
 * A `TYPE/NAME` with more than one slash, or an empty TYPE or NAME, is refused as the
 * builder's `splitResourceTypeName` refuses it.
 */
function getObject(cluster: ClusterState, resource: string, namespace: string): Forwardable {
  const parts = resource.split('/')
  if (parts.length > 2) throw new PortForwardError('arguments in resource/name form may not have more than one slash')
  const [typeName, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['pods', resource]
  if (typeName === '' || name === '') throw new PortForwardError('arguments in resource/name form must have a single resource and name')
  const type = resourceType(typeName)
  if (!type) throw new PortForwardError(`the server doesn't have a resource type "${typeName}"`)
  const inNs = <T extends Forwardable>(list: readonly T[]): T | undefined => {
    return list.find((o) => o.metadata?.name === name && (o.metadata?.namespace ?? 'default') === namespace)
  }
  const services = cluster.services ?? []
  const deployments = cluster.deployments ?? []
  const found =
    type === 'pods'
      ? inNs(cluster.pods.map((p) => ({ kind: 'Pod', ...p }) as Pod))
      : type === 'services'
        ? inNs(services.map((s) => ({ kind: 'Service', ...s }) as Service))
        : inNs(deployments.map((d) => ({ kind: 'Deployment', ...d }) as Deployment))
  if (!found) throw new NotFoundError(`${type === 'deployments' ? 'deployments.apps' : type} "${name}" not found`)
  return found
}

/**
 * `kubectl port-forward` (`Complete`, then `RunPortForwardContext`), in kubectl's order:
 * 1. at least one port: `TYPE/NAME and list of ports are required for port-forward`, then a
 *    second line `See 'kubectl port-forward -h' for help and examples`;
 * 2. the object: `TYPE` is pod(s)/po, service(s)/svc or deployment(s)/deploy (a bare name is a
 *    pod; any other: `the server doesn't have a resource type "<type>"`; more than one slash:
 *    `arguments in resource/name form may not have more than one slash`; an empty TYPE or
 *    NAME: `arguments in resource/name form must have a single resource and name`), looked up in the
 *    namespace (an object that names none is in `default`) (`NotFoundError`: `pods "x" not found`, `services "x" not found`,
 *    `deployments.apps "x" not found`); then its pod (`attachablePodForObject`);
 * 3. for a Service: UDP check and Service-port → container-port translation; for anything
 *    else: UDP check and named-port conversion on the chosen pod;
 * 4. the pod must be Running: `unable to forward port because pod is not running. Current status=<phase>`;
 * 5. listen addresses (`localhost` = 127.0.0.1 and ::1; any other must be an IP:
 *    `<address> is not a valid IP`; each address once, sorted) and ports are parsed; a local port 0
 *    (`:80`) becomes one free port of 32768–60999 (from `seed`), the same on every address;
 *    the session starts and prints its `Forwarding from` lines.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/portforward/portforward.go
 */
export function portForward(cluster: ClusterState, request: PortForwardRequest): PortForwardSession {
  if (request.ports.length === 0) {
    throw new PortForwardError(`TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples`)
  }
  const namespace = request.namespace ?? 'default'
  const object = getObject(cluster, request.resource, namespace)
  const pod = attachablePodForObject(object, cluster.listPods)
  let ports: string[]
  if (object.kind === 'Service') {
    checkUDPPortInService(request.ports, object as Service)
    ports = translateServicePortToTargetPort(request.ports, object as Service, pod)
  } else {
    checkUDPPortInPod(request.ports, pod)
    ports = convertPodNamedPortToNumber(request.ports, pod)
  }
  const phase = pod.status?.phase ?? ''
  if (phase !== 'Running') throw new PortForwardError(`unable to forward port because pod is not running. Current status=${phase}`)
  const addresses = parseAddresses(request.address ?? ['localhost'])
  const random = new Random(request.seed)
  // Local port 0: the first listener gets a free port from the kernel's ephemeral range and
  // the other addresses reuse it.
  const forwarded = parsePorts(ports).map((p) => (p.local === 0 ? { ...p, local: random.int(32768, 60999) } : p))
  // The pod is in the object's namespace, the one kubectl was given.
  return new PortForwardSession(namespace, pod.metadata?.name ?? '', forwarded, addresses)
}
