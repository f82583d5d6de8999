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
// Useful: `Random` from '../../lib/random.ts', `parseIP` from '../../lib/net/ipint.ts'.

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
  // TODO(kata 00): compare the two pods criterion by criterion, as in podutils.go.
  throw new Error('kata 00-pod-network: activePodsLess is not implemented yet — see lessons/00-pod-network.md')
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
  // TODO(kata 00): a Service's map as matchLabels (refuse an empty one), a Deployment's spec.selector as is.
  throw new Error('kata 00-pod-network: selectorsForObject is not implemented yet — see lessons/00-pod-network.md')
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
  // TODO(kata 00): a Pod is itself; otherwise list with the selector, sort by reversed ActivePods, take the first.
  throw new Error('kata 00-pod-network: attachablePodForObject is not implemented yet — see lessons/00-pod-network.md')
}

/**
 * A Service port's number by its name (`LookupServicePortNumberByName`); an unnamed port's
 * name is `''`, as in Go.
 * @throws {PortForwardError} `Service '<service>' does not have a named port '<name>'`
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/util/service_port.go
 */
export function lookupServicePortNumberByName(svc: Service, name: string): number {
  // TODO(kata 00): find the Service port with that name.
  throw new Error('kata 00-pod-network: lookupServicePortNumberByName is not implemented yet — see lessons/00-pod-network.md')
}

/**
 * A container port's number by its name, in containers then init containers (`LookupContainerPortNumberByName`);
 * an unnamed port's name is `''`, as in Go.
 * @throws {PortForwardError} `Pod '<pod>' does not have a named port '<name>'`
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/util/pod_port.go
 */
export function lookupContainerPortNumberByName(pod: Pod, name: string): number {
  // TODO(kata 00): search containers, then init containers.
  throw new Error('kata 00-pod-network: lookupContainerPortNumberByName is not implemented yet — see lessons/00-pod-network.md')
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
  // TODO(kata 00): headless → the port; numeric targetPort (0 → port); named → the pod's port.
  throw new Error('kata 00-pod-network: lookupContainerPortNumberByServicePort is not implemented yet — see lessons/00-pod-network.md')
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
  // TODO(kata 00): split LOCAL:REMOTE, resolve REMOTE to a container port, rebuild the argument.
  throw new Error('kata 00-pod-network: translateServicePortToTargetPort is not implemented yet — see lessons/00-pod-network.md')
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
  // TODO(kata 00): replace a named REMOTE with the container port number.
  throw new Error('kata 00-pod-network: convertPodNamedPortToNumber is not implemented yet — see lessons/00-pod-network.md')
}

/**
 * Refuses a REMOTE that is a UDP-only Service port (`checkUDPPortInService`):
 * `UDP protocol is not supported for <port>`. A port that is both UDP and TCP is fine.
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/portforward/portforward.go
 */
export function checkUDPPortInService(ports: readonly string[], svc: Service): void {
  // TODO(kata 00): which Service ports are UDP and not also TCP? Is a REMOTE one of them?
  throw new Error('kata 00-pod-network: checkUDPPortInService is not implemented yet — see lessons/00-pod-network.md')
}

/**
 * Refuses a REMOTE that is a UDP-only container port (`checkUDPPortInPod`):
 * `UDP protocol is not supported for <port>`. A port that is both UDP and TCP is fine.
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/portforward/portforward.go
 */
export function checkUDPPortInPod(ports: readonly string[], pod: Pod): void {
  // TODO(kata 00): which container ports are UDP and not also TCP? Is a REMOTE one of them?
  throw new Error('kata 00-pod-network: checkUDPPortInPod is not implemented yet — see lessons/00-pod-network.md')
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
  // TODO(kata 00): `5000`, `8888:5000`, `:5000`, with client-go's errors.
  throw new Error('kata 00-pod-network: parsePorts is not implemented yet — see lessons/00-pod-network.md')
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

  constructor(
    readonly namespace: string,
    /** The name of the one pod this session forwards to. */
    readonly pod: string,
    /** The forwarded ports, local ports resolved. */
    readonly ports: readonly ForwardedPort[],
    /** The listen addresses, sorted. */
    readonly addresses: readonly string[],
  ) {
    // TODO(kata 00): print the Forwarding lines; remember that the session is forwarding.
    throw new Error('kata 00-pod-network: new PortForwardSession is not implemented yet — see lessons/00-pod-network.md')
  }

  /** Whether kubectl is still forwarding. */
  get active(): boolean {
    // TODO(kata 00): forwarding until stopped or until its pod is gone.
    throw new Error('kata 00-pod-network: PortForwardSession.active is not implemented yet — see lessons/00-pod-network.md')
  }

  /** The error kubectl exited with (`lost connection to pod`), if any. */
  get exitError(): string | undefined {
    // TODO(kata 00): LOST_CONNECTION_TO_POD once the pod is gone.
    throw new Error('kata 00-pod-network: PortForwardSession.exitError is not implemented yet — see lessons/00-pod-network.md')
  }

  /** kubectl's exit code once it has ended: 0 after Ctrl-C, 1 after an error. */
  get exitCode(): number | undefined {
    // TODO(kata 00): undefined while forwarding.
    throw new Error('kata 00-pod-network: PortForwardSession.exitCode is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * A client connects to `address:localPort` on the machine running kubectl (`localhost` is 127.0.0.1).
   * @throws {ConnectionRefusedError} `dial tcp <addr>:<port>: connect: connection refused` when nothing listens there
   */
  connect(localPort: number, address = '127.0.0.1'): ForwardedConnection {
    // TODO(kata 00): print `Handling connection for <port>`; always the same pod.
    throw new Error('kata 00-pod-network: PortForwardSession.connect is not implemented yet — see lessons/00-pod-network.md')
  }

  /**
   * Tells the session that a pod was deleted. Only its own pod (`this.namespace`/`this.pod`)
   * matters, and only while it is forwarding: then the session ends (`state` `lost`, so
   * `active` is false, `exitError` is `lost connection to pod` and `exitCode` 1) and kubectl
   * prints `error: lost connection to pod` on stderr (`LOST_CONNECTION_TO_POD`).
   * It never moves to another pod; any other deletion changes nothing.
   */
  podDeleted(namespace: string, name: string): void {
    // TODO(kata 00): only its own pod matters; print `error: lost connection to pod`.
    throw new Error('kata 00-pod-network: PortForwardSession.podDeleted is not implemented yet — see lessons/00-pod-network.md')
  }

  /** Ctrl-C. */
  stop(): void {
    // TODO(kata 00): end without an error.
    throw new Error('kata 00-pod-network: PortForwardSession.stop is not implemented yet — see lessons/00-pod-network.md')
  }
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
  // TODO(kata 00): Complete (object, pod, ports), the Running check, then a session.
  throw new Error('kata 00-pod-network: portForward is not implemented yet — see lessons/00-pod-network.md')
}
