// The whole cluster: an API server that takes manifests, the controllers that act on
// them, a kubelet per node, and a data path to follow connections through. Every rule
// comes from a module an earlier kata built; the files of this folder wire them together
// the way kube-apiserver, kube-controller-manager, kube-scheduler, the kubelets, CoreDNS
// and kube-proxy are wired together in a real (kind) cluster:
//
//   kata 00  node podCIDRs and pod IPs, who can reach a pod IP  network/reachability.ts
//   kata 01  reading manifests, v1 defaults, validation          api/manifests.ts, api/core/…
//   kata 02  label selectors (Services and Deployments)           labels/selector.ts
//   kata 03  Endpoints and EndpointSlices                         controller/endpoints*.ts
//   kata 04  a container's service environment, fixed at start    kubelet/kubelet_pods.ts
//   kata 05  the cluster zone, the pod's resolv.conf and resolver  dns/*.ts
//   kata 06  cluster IPs and kube-proxy's rules                    registry/ipallocator.ts, proxy/…
//   kata 07  node ports and externalTrafficPolicy                  registry/portallocator.ts, proxy/…
//   kata 08  the service controller, the cloud, health checks      controller/service.ts, cloud/…
//
// One file per component; on the core path you write the two marked ←:
//
//   ./route.ts           one connection, hop by hop                                   ←
//   ./masquerade.ts      the client address a masqueraded connection carries         ←
//   ./curl.ts            curl and the echo server, at the two ends of the route
//   ./dataplane.ts       kube-proxy per node, CoreDNS, the cloud's load balancers
//   ./apiserver.ts       kube-apiserver: apply, delete, Namespaces, user Endpoints
//   ./storage.ts         what the cluster remembers: objects, indexes, caches
//   ./admission.ts       Pods: defaults, admission, validation, create and delete
//   ./servicestorage.ts  Services: allocation, validation, updates
//   ./scheduler.ts       kube-scheduler
//   ./deployment.ts      the Deployment and ReplicaSet controllers
//   ./nodelifecycle.ts   nodes joining and dying, the node lifecycle controller
//   ./kubelet.ts         pod IPs, readiness, env, resolv.conf, exec, port-forward
//   ./controllers.ts     which controller hears of which change; EndpointSlices
//   ./kubeadm.ts         what `kind create cluster` leaves behind
//
// This file builds them and is what kubectl, curl and the checks talk to.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Endpoints, Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import {
  CLUSTER_CIDR,
  CLUSTER_DNS_IP,
  CLUSTER_DOMAIN,
  DEFAULT_NODES,
  KUBERNETES_SERVICE,
  NODE_CIDR_MASK_SIZE,
  NODE_PORT_RANGE,
  SERVICE_CIDR,
  type NodeInfo,
} from '../../lib/cluster/defaults.ts'
import { EPOCH, timestamp } from '../../lib/cluster/clock.ts'
import { DEFAULT_SEED, Random } from '../../lib/random.ts'
import type { KubeObject } from '../api/manifests.ts'
import { FakeCloud } from '../cloud/fake.ts'
import { EndpointsController } from '../controller/endpoints.ts'
import { ServiceController, type ServiceEvent } from '../controller/service.ts'
import type { KubeDNS, PodMode, QType } from '../dns/records.ts'
import type { DNSConfig } from '../dns/resolvconf.ts'
import type { Resolution } from '../dns/resolver.ts'
import type { EnvVar } from '../kubelet/envvars.ts'
import type { PortForwardSession } from '../kubectl/portforward.ts'
import { PodNetwork, type Reachability } from '../network/reachability.ts'
import type { NodePortProxier } from '../proxy/iptables/nodeports.ts'
import { newCIDRRange } from '../registry/ipallocator.ts'
import { PortAllocator } from '../registry/portallocator.ts'
import { removePod } from './admission.ts'
import * as apiserver from './apiserver.ts'
import * as controllers from './controllers.ts'
import { connect, curl, type ConnectRequest, type ConnectResult, type CurlOutput, type From } from './curl.ts'
import * as dataplane from './dataplane.ts'
import type { Client, LoadBalancerView, Lookup, NodeView } from './dataplane.ts'
import { deploymentsWithStatus } from './deployment.ts'
import { bootstrap } from './kubeadm.ts'
import * as kubelet from './kubelet.ts'
import * as lifecycle from './nodelifecycle.ts'
import { NodeHeap } from './scheduler.ts'
import * as storage from './storage.ts'
import { ClusterError, NotFoundError, type ApplyResult, type ClusterState } from './storage.ts'

export { EPOCH, timestamp }
export { ClusterError, NotFoundError }
export type { ApplyAction, ApplyResult } from './storage.ts'
export type { Client, LoadBalancerView, Lookup, NodeView } from './dataplane.ts'
export { DEFAULT_TOLERATION_SECONDS, NOT_READY_TAINT, POD_UPDATE_FORBIDDEN, UNREACHABLE_TAINT } from './admission.ts'
export { MIRRORING_CONTROLLER_NAME, SKIP_MIRROR_LABEL } from './controllers.ts'
export { POD_TEMPLATE_HASH_LABEL } from './deployment.ts'
export { COREDNS_IMAGE, corednsDeployment, kubeDNSService } from './kubeadm.ts'
export { ECHO_IMAGE } from './kubelet.ts'
export { CONTROL_PLANE_TAINT, NODE_MONITOR_GRACE_PERIOD } from './nodelifecycle.ts'

export interface ClusterOptions {
  /** Seeds every random choice: pod names, cluster IPs, node ports, endpoint choice. Default 42. */
  seed?: number
  /** The nodes, in the order they join; the first control-plane node bootstraps the cluster. Default: kind's three. */
  nodes?: readonly NodeInfo[]
  /** `--cluster-cidr`. Default 10.244.0.0/16. */
  clusterCIDR?: string
  /** `--node-cidr-mask-size`. Default 24. */
  nodeCIDRMaskSize?: number
  /** `--service-cluster-ip-range`. Default kind's 10.96.0.0/16. */
  serviceCIDR?: string
  /** CoreDNS `pods` option. Default `insecure` (kubeadm's Corefile). */
  podDNS?: PodMode
  /** The world's DNS outside the cluster, as zone-file lines (`example.com. 300 IN A 93.184.215.14`). */
  upstream?: readonly string[]
  /** kube-proxy mode: `iptables` (random endpoint, the default) or `ipvs` (round robin). */
  proxyMode?: 'iptables' | 'ipvs'
  /** The cloud that implements LoadBalancer Services; `false` for none (EXTERNAL-IP stays `<pending>`). Default: a {@link FakeCloud} over kind's pool. */
  cloud?: FakeCloud | false
  /** Whether the CNI makes pod IPs routable from outside (kata 00). Default false, like kindnet. */
  routablePodIPs?: boolean
}

/**
 * A kind-like cluster built from the course's model.
 *
 * 1. `apply(text, file)` is `kubectl apply -f`: every document read (kata 01), then
 *    `created`, `configured` or `unchanged`, or the API server's error for that object
 *    alone, with nothing it allocated kept (./apiserver.ts, ./servicestorage.ts).
 * 2. Deployments make pods `<deployment>-<pod-template-hash>-<5 characters>`
 *    (./deployment.ts); the scheduler puts each on the node with the fewest pods among
 *    those whose taints it tolerates and whose labels its nodeSelector and node affinity
 *    ask for — none: it stays Pending (./scheduler.ts); its kubelet gives it an IP from the
 *    node's podCIDR (a hostNetwork pod: the node's own) and fixes its environment then
 *    (./kubelet.ts).
 * 3. The endpoints, EndpointSlice and service controllers follow every change
 *    (./controllers.ts); CoreDNS and kube-proxy answer from what they wrote (./dataplane.ts).
 * 4. A node that goes down stops answering at once; after {@link NODE_MONITOR_GRACE_PERIOD}
 *    seconds it is marked and its pods not ready, {@link DEFAULT_TOLERATION_SECONDS} later
 *    they are evicted and replaced (./nodelifecycle.ts). Time moves only with {@link advance}.
 * 5. `connect` and `curl` follow one connection (./curl.ts, ./route.ts).
 *
 * Getters return the stored objects; treat them as read-only.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/cmd/kube-controller-manager/app/controllermanager.go
 * @see https://kind.sigs.k8s.io/docs/user/configuration/
 */
export class Cluster {
  readonly seed: number
  readonly clusterDomain = CLUSTER_DOMAIN
  readonly clusterDNSIP = CLUSTER_DNS_IP
  /** Random draws of the data path: which load-balancer backend, which client port. */
  readonly random: Random
  readonly cloud: FakeCloud | undefined
  /** Everything the components share (./storage.ts). */
  private readonly state: ClusterState

  constructor(options: ClusterOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SEED
    const seed = this.seed
    const cloud = options.cloud === false ? undefined : (options.cloud ?? new FakeCloud())
    const clusterCIDR = options.clusterCIDR ?? CLUSTER_CIDR
    const podCounts: number[] = []
    const state: ClusterState = {
      seed,
      clusterDomain: this.clusterDomain,
      clusterDNSIP: this.clusterDNSIP,
      clusterCIDR,
      podDNS: options.podDNS ?? 'insecure',
      upstream: options.upstream ?? [],
      // Stryker disable next-line StringLiteral: kube-proxy asks only whether the mode is ipvs (proxy/iptables/proxier.ts), so any other word is iptables
      proxyMode: options.proxyMode ?? 'iptables',
      names: new Random(seed),
      // Stryker disable next-line ArithmeticOperator: any offset that keeps the three streams apart draws as randomly and as reproducibly
      uids: new Random(seed + 1),
      // Stryker disable next-line ArithmeticOperator: any offset that keeps the three streams apart draws as randomly and as reproducibly
      random: new Random(seed + 2),
      clock: 0,
      seq: 0,
      generation: 0,
      batching: 0,
      endpointsController: new EndpointsController(),
      network: new PodNetwork({
        nodes: [],
        clusterCIDR,
        nodeCIDRMaskSize: options.nodeCIDRMaskSize ?? NODE_CIDR_MASK_SIZE,
        routablePodIPs: options.routablePodIPs ?? false,
      }),
      ipRange: newCIDRRange(options.serviceCIDR ?? SERVICE_CIDR, seed),
      portAlloc: new PortAllocator(NODE_PORT_RANGE, seed),
      cloud,
      serviceController: cloud ? new ServiceController(cloud, { now: () => new Date(timestamp(state.clock)) }) : undefined,
      namespaceStore: new Map(),
      nodeStore: new Map(),
      nodeOrder: [],
      podStore: new Map(),
      podsByNamespace: new Map(),
      podLabelIndex: new Map(),
      podByIPs: new Map(),
      deploymentStore: new Map(),
      podsByOwner: new Map(),
      serviceStore: new Map(),
      // Stryker disable next-line ArrayDeclaration: an entry that is no ServiceVersion has no bounds, so it is never in force (kubelet.ts servicesAt)
      serviceHistory: [],
      currentVersion: new Map(),
      serviceSelectorIndex: new Map(),
      clusterIPOwner: new Map(),
      externalIPOwners: new Map(),
      nodePortOwner: new Map(),
      lbServices: new Set(),
      lastApplied: new Map(),
      apiserverSlices: new Map(),
      serviceVersion: new Map(),
      sliceCache: new Map(),
      podCounts,
      heap: new NodeHeap(podCounts),
      unscheduled: new Set(),
      stopping: new Map(),
      proxies: new Map(),
      dnsCache: undefined,
      forwards: new Set(),
    }
    this.state = state
    this.random = state.random
    this.cloud = cloud
    bootstrap(state, options.nodes ?? DEFAULT_NODES)
  }

  // ---- time and nodes (./nodelifecycle.ts)

  /** Seconds since the cluster was created. */
  get now(): number {
    return this.state.clock
  }

  /** Lets time pass: the node lifecycle controller acts on nodes that stopped answering. */
  advance(seconds: number): void {
    lifecycle.advance(this.state, seconds)
  }

  /** The node stops answering (powered off, or cut off the network). */
  nodeDown(name: string): void {
    lifecycle.nodeDown(this.state, name)
  }

  /** The node answers again: its kubelet reports Ready, finishes deleting evicted pods, starts the pods waiting for it. */
  nodeUp(name: string): void {
    lifecycle.nodeUp(this.state, name)
  }

  // ---- the API (./apiserver.ts)

  /**
   * `kubectl apply -f FILE` with the file's text: one result per object, in file order.
   * A file that cannot be read (kata 01's ManifestError) applies nothing and gives one
   * result with kubectl's error.
   */
  apply(text: string, file = 'manifest.yaml'): ApplyResult[] {
    return apiserver.apply(this.state, text, file)
  }

  /** Creates or updates one object given as API data (what `kubectl apply` sends), without YAML. */
  applyObject(object: KubeObject, file = '<api>'): ApplyResult {
    let result: ApplyResult | undefined
    this.batch(() => {
      result = apiserver.applyManifest(this.state, { object, file, line: 1 })
    })
    return result!
  }

  /**
   * Runs `changes` and lets the endpoints controller sync each affected Service once at
   * the end (many pods at once, like a controller's work queue).
   */
  batch(changes: () => void): void {
    apiserver.batch(this.state, changes)
  }

  /**
   * `kubectl delete KIND NAME -n NAMESPACE`: returns kubectl's line (`service "order"
   * deleted from snackbar namespace`). A pod is deleted gracefully: Terminating until its
   * containers have stopped (a preStop hook, the grace period — {@link advance} lets that
   * time pass); a pod of a Deployment is replaced at once by a new one (new name, new IP).
   * A Deployment takes its pods with it; a Namespace everything in it.
   *
   * With `gracePeriodSeconds: 0` (`kubectl delete --force --grace-period=0`) a pod is
   * gone at once, Terminating or not: the API server removes it without waiting for the
   * kubelet, whose containers may still run (apiserver pkg/registry/generic/registry/store.go:
   * a grace period of 0 deletes at once).
   * @throws {NotFoundError} when there is no such object
   */
  delete(kind: string, namespace: string, name: string, options: { gracePeriodSeconds?: number } = {}): string {
    // Stryker disable next-line StringLiteral: deleteObject returns kubectl's line or throws, so the first value is never returned
    let text = ''
    this.batch(() => {
      text = apiserver.deleteObject(this.state, kind, namespace, name)
      const rec = this.state.podStore.get(storage.keyOf(namespace, name))
      if (options.gracePeriodSeconds === 0 && ['po', 'pod', 'pods'].includes(kind.toLowerCase()) && rec) removePod(this.state, rec)
    })
    return text
  }

  /**
   * Makes a pod's readiness probe pass or fail: its `Ready` condition (and
   * `ContainersReady`) changes, and every controller that watches pods hears of it.
   * @throws {NotFoundError} for an unknown pod
   */
  setPodReady(namespace: string, name: string, ready: boolean): void {
    const rec = this.state.podStore.get(storage.keyOf(namespace, name))
    if (!rec) throw new NotFoundError('pods', name)
    // Stryker disable next-line OptionalChaining: admission gives every stored pod a status (Pending at least)
    if (!rec.pod.status?.podIP) throw new ClusterError(`pod ${namespace}/${name} is not running`)
    this.batch(() => kubelet.setReadyCondition(this.state, rec, ready))
  }

  /**
   * The EndpointSlices of one Service (cached until its pods or the Service change): the
   * EndpointSlice controller's (kata 03) for a Service with a selector, mirrored ones without.
   */
  slicesOf(svc: Service): EndpointSlice[] {
    return controllers.slicesOf(this.state, svc)
  }

  // ---- what kubectl get shows

  /** `kubectl get ns`: every Namespace, by name. */
  namespaces(): Namespace[] {
    // Stryker disable next-line OptionalChaining,StringLiteral: every stored Namespace has a name
    return [...this.state.namespaceStore.values()].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1))
  }

  /** `kubectl get nodes`: every Node, in the order they joined. */
  nodes(): Node[] {
    return this.state.nodeOrder.map((n) => n.node)
  }

  /**
   * `kubectl get pods [-n NS | -A] [-l SELECTOR]`: by namespace, then name; `selector` in
   * the `-l` syntax (kata 02's parser: `app=order,tier in (backend)`).
   * @throws {SelectorParseError} for a selector that does not parse
   */
  pods(namespace?: string, selector?: string): Pod[] {
    return storage.listPods(this.state, namespace, selector)
  }

  /** @throws {NotFoundError} */
  pod(namespace: string, name: string): Pod {
    const rec = this.state.podStore.get(storage.keyOf(namespace, name))
    if (!rec) throw new NotFoundError('pods', name)
    return rec.pod
  }

  /** `kubectl get deployments`: with a status counted from their pods. */
  deployments(namespace?: string): Deployment[] {
    return deploymentsWithStatus(this.state, namespace)
  }

  /** `kubectl get svc`: by namespace, then name. */
  services(namespace?: string): Service[] {
    return storage.listServices(this.state, namespace)
  }

  /** @throws {NotFoundError} */
  service(namespace: string, name: string): Service {
    const svc = this.state.serviceStore.get(storage.keyOf(namespace, name))
    if (!svc) throw new NotFoundError('services', name)
    return svc
  }

  /**
   * The events the service controller (kata 08) recorded on a Service, oldest first:
   * only those of the Service stored under that name now (by uid), as `kubectl describe`
   * finds them. None without a cloud.
   */
  serviceEvents(namespace: string, name: string): ServiceEvent[] {
    const uid = this.state.serviceStore.get(storage.keyOf(namespace, name))?.metadata?.uid
    return (this.state.serviceController?.events(namespace, name) ?? []).filter((e) => e.uid === undefined || e.uid === uid)
  }

  /** `kubectl get endpoints`: what the endpoints controller (kata 03) and users wrote. */
  endpoints(namespace?: string): Endpoints[] {
    return this.state.endpointsController.list(namespace)
  }

  /** `kubectl get endpointslices`: the slices of every Service ({@link slicesOf}). */
  endpointSlices(namespace?: string): EndpointSlice[] {
    return this.services(namespace).flatMap((s) => this.slicesOf(s))
  }

  // ---- inside a pod (./kubelet.ts)

  /**
   * `kubectl port-forward RESOURCE PORTS -n NAMESPACE` (kata 00): a tunnel through the API
   * server and the kubelet to **one** pod — for `svc/…` or `deploy/…` the most active pod
   * their selector finds, no load balancing. Deleting that pod ends the session.
   */
  portForward(namespace: string, resource: string, ports: readonly string[]): PortForwardSession {
    return kubelet.portForward(this.state, this, namespace, resource, ports)
  }

  /**
   * `kubectl exec POD -- env`: the container's environment, computed by kata 04 from the
   * Services that existed **when the container started** — a Service created later is not
   * in it, one deleted since still is.
   * @throws {NotFoundError} / {@link ClusterError} when the pod is unknown or not running
   */
  env(namespace: string, podName: string, container?: string): EnvVar[] {
    return kubelet.env(this.state, namespace, podName, container)
  }

  /** The pod's DNS settings as the kubelet writes them (kata 05). */
  dnsConfig(namespace: string, podName: string): DNSConfig {
    return kubelet.dnsConfig(this.state, namespace, podName)
  }

  /** `kubectl exec POD -- cat /etc/resolv.conf`. */
  resolvConf(namespace: string, podName: string): string {
    return kubelet.resolvConf(this.state, namespace, podName)
  }

  /**
   * The container ports a pod answers on: every declared `containerPort`, and every
   * numeric `targetPort` of a Service that selects the pod.
   */
  servesPort(pod: Pod, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): boolean {
    return kubelet.servesPort(this.state, pod, port, protocol)
  }

  // ---- DNS (./dataplane.ts)

  /** The cluster zone as CoreDNS serves it now (kata 05), rebuilt only after changes. */
  zone(): KubeDNS {
    return dataplane.zone(this.state)
  }

  /**
   * `getaddrinfo(name)` in a pod: its resolv.conf's search list and ndots (kata 05), asked
   * of its nameserver — through kube-proxy to a CoreDNS pod when that is the cluster DNS.
   * With a `qtype`, the DNS question `nslookup -type=<qtype>` asks instead: whatever
   * answers first along the search list, a CNAME or SRV records included.
   */
  lookup(namespace: string, podName: string, name: string, qtype?: QType): Lookup {
    return qtype === undefined ? dataplane.lookup(this.state, namespace, podName, name) : dataplane.query(this.state, namespace, podName, name, qtype)
  }

  /** What a node (or a machine outside) resolves: only the world's names, never the cluster's. */
  lookupOutside(name: string): Resolution {
    return dataplane.lookupOutside(this.state, name)
  }

  // ---- the data path (used by ./route.ts and ./curl.ts)

  /** `curl URL` from a pod, a node, or a machine outside (see ./curl.ts). */
  connect(request: ConnectRequest): ConnectResult {
    return connect(this, request)
  }

  /** The same connection as `curl` prints it: stdout, stderr and the exit code. */
  curl(from: From, url: string): CurlOutput {
    return curl(this, from, url)
  }

  /**
   * Who opens a connection: a running pod (`namespace/name`), a node, or an address outside.
   * @throws {NotFoundError} / {@link ClusterError} for a pod or node that cannot run curl
   */
  client(from: From): Client {
    return dataplane.client(this.state, from)
  }

  /**
   * One node as the data path sees it.
   * @throws {NotFoundError} for an unknown node
   */
  node(name: string): NodeView {
    return dataplane.nodeView(this.state, name)
  }

  /** The Node object as the API server stores it. */
  nodeObject(name: string): Node {
    return lifecycle.nodeState(this.state, name).node
  }

  /** The node whose InternalIP this is. */
  nodeByIP(ip: string): NodeView | undefined {
    return dataplane.nodeByIP(this.state, ip)
  }

  /** The running pod that holds this IP (on the pod network: host-network pods share their node's). */
  podByIP(ip: string): Pod | undefined {
    return dataplane.podByIP(this.state, ip)
  }

  /** The running host-network pod of a node that listens on `port` (it answers at the node's address). */
  hostNetworkPod(nodeName: string, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): Pod | undefined {
    return dataplane.hostNetworkPod(this.state, nodeName, port, protocol)
  }

  /** Kata 00: whether a packet from `from` reaches the pod IP `ip` at all (routes, not ports). */
  reach(from: Client, ip: string): Reachability {
    return dataplane.reach(this.state, from, ip)
  }

  /** Whether an address lies in the cluster's pod CIDR (`--cluster-cidr`). */
  inPodNetwork(ip: string): boolean {
    return dataplane.inPodNetwork(this.state, ip)
  }

  /** The Service whose cluster IP this is. */
  serviceByClusterIP(ip: string): Service | undefined {
    return dataplane.serviceByClusterIP(this.state, ip)
  }

  /** The Service that holds this nodePort (or healthCheckNodePort). */
  serviceByNodePort(port: number): Service | undefined {
    return dataplane.serviceByNodePort(this.state, port)
  }

  /**
   * The kube-proxy of one node (kata 07's NodePortProxier over kata 06's Proxier), synced
   * with the Services a packet to `dest` can meet.
   */
  kubeProxy(nodeName: string, dest: { ip: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }): NodePortProxier {
    return dataplane.kubeProxy(this.state, nodeName, dest)
  }

  /** The cloud load balancer that owns this IP, if any (kata 08's fake cloud). */
  loadBalancerAt(ip: string): LoadBalancerView | undefined {
    return dataplane.loadBalancerAt(this.state, ip)
  }

  /**
   * The backend nodes the cloud load balancer sends new connections to: those whose
   * health check passes (kata 08). A node that is down answers neither check.
   */
  loadBalancerBackends(lb: LoadBalancerView): string[] {
    return dataplane.loadBalancerBackends(this.state, lb)
  }

  /** The LoadBalancer Service of the cluster that has this ingress IP, if any (captured by kube-proxy on every node). */
  serviceByLoadBalancerIP(ip: string): Service | undefined {
    return dataplane.serviceByLoadBalancerIP(this.state, ip)
  }
}
