// Which Services a container learns about through its environment, and when:
// the kubelet computes the variables once, as it starts the container.
import type { Container, ObjectFieldSelector, Pod, Service } from 'kubernetes-types/core/v1'
import { DEFAULT_NODES, MASTER_SERVICE_NAMESPACE } from '../../lib/cluster/defaults.ts'
import { expand, mappingFuncFor } from '../expansion/expand.ts'
import { fromServices, isServiceIPSet, type EnvVar } from './envvars.ts'

/** Services the kubelet injects from the master service namespace into every pod. */
export const MASTER_SERVICES: readonly string[] = ['kubernetes']

/** The annotation the kubelet stamps on every pod with where it came from. */
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source'
/** The value of {@link CONFIG_SOURCE_ANNOTATION} for pods from the API server. */
export const API_SERVER_SOURCE = 'api'

/**
 * `pod.spec.enableServiceLinks` is unset. The API server defaults it to `true`,
 * so only a pod that bypassed defaulting reaches the kubelet like this.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
export class NilEnableServiceLinksError extends Error {
  override name = 'NilEnableServiceLinksError'
  constructor() {
    super('nil pod.spec.enableServiceLinks encountered, cannot construct envvars')
  }
}

/**
 * The kubelet's Service informer has not listed Services even once, so it would
 * start an API-server pod without `KUBERNETES_SERVICE_HOST`. The container is not
 * created (`CreateContainerConfigError`) and the kubelet retries.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
export class ServicesNotSyncedError extends Error {
  override name = 'ServicesNotSyncedError'
  constructor() {
    super('services have not yet been read at least once, cannot construct envvars')
  }
}

/** What the kubelet knows besides the pod: its flags and the state of its Service informer. */
export interface EnvOptions {
  /** The kubelet flag `--master-service-namespace`; `default` unless set. */
  masterServiceNamespace?: string
  /** Whether the Service informer has listed Services at least once; `true` unless set. */
  servicesSynced?: boolean
}

/**
 * A static pod: one the kubelet read from a manifest file or URL, not from the
 * API server (annotation `kubernetes.io/config.source` present and not `api`).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/types/pod_update.go
 */
export function isStaticPod(pod: Pod): boolean {
  // Stryker disable next-line OptionalChaining: every pod the kubelet runs has metadata (its name and namespace)
  const source = pod.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION]
  return source !== undefined && source !== API_SERVER_SOURCE
}

/**
 * The Services whose variables a pod in `podNamespace` gets, by Service name: the
 * `serviceMap` that `getServiceEnvVarMap` builds before it turns the Services into
 * variables. For every Service of the cluster, in the order given:
 *
 * 1. a Service without a cluster IP ({@link isServiceIPSet} false: headless `None`,
 *    ExternalName, empty) is skipped;
 * 2. a master service (a name in {@link MASTER_SERVICES}, i.e. `kubernetes`) of
 *    `masterServiceNamespace` is added whatever `enableServiceLinks` says, but only
 *    if no Service of that name is in the map yet;
 * 3. otherwise a Service of the pod's own namespace is added if `enableServiceLinks`
 *    is true, replacing one of the same name already in the map;
 * 4. a Service of any other namespace is never added.
 *
 * So with service links on, a pod's own `kubernetes` Service beats the API server's,
 * whatever order the Services come in; with them off, a pod still gets `kubernetes`
 * of the master namespace, which client-go's in-cluster configuration needs.
 * `isServiceIPSet` lives in `./envvars.ts`.
 *
 * @param services every Service the kubelet's informer holds, in any order
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
export function getServiceMap(
  services: readonly Service[],
  podNamespace: string,
  enableServiceLinks: boolean,
  masterServiceNamespace: string = MASTER_SERVICE_NAMESPACE,
): Map<string, Service> {
  const byName = new Map<string, Service>()
  for (const service of services) {
    if (!isServiceIPSet(service)) continue
    // Stryker disable next-line OptionalChaining,StringLiteral: every Service the API server holds has a name
    const name = service.metadata?.name ?? ''
    // Stryker disable next-line OptionalChaining,StringLiteral: every Service the API server holds has a namespace
    const namespace = service.metadata?.namespace ?? ''
    if (namespace === masterServiceNamespace && MASTER_SERVICES.includes(name)) {
      if (!byName.has(name)) byName.set(name, service)
    } else if (namespace === podNamespace && enableServiceLinks) {
      byName.set(name, service)
    }
  }
  return byName
}

/**
 * The service variables a pod in `podNamespace` sees, by name
 * (`getServiceEnvVarMap`): {@link fromServices} over the Services of
 * {@link getServiceMap}.
 *
 * @param services every Service the kubelet's informer holds, in any order
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
export function getServiceEnvVarMap(
  services: readonly Service[],
  podNamespace: string,
  enableServiceLinks: boolean,
  masterServiceNamespace: string = MASTER_SERVICE_NAMESPACE,
): Map<string, string> {
  const serviceMap = getServiceMap(services, podNamespace, enableServiceLinks, masterServiceNamespace)
  return new Map(fromServices([...serviceMap.values()]).map((e) => [e.name, e.value]))
}

// Stryker disable next-line Regex: validation refuses any other fieldPath before a pod reaches the kubelet, so the anchors never turn one away
const FIELD_KEY = /^metadata\.(labels|annotations)\['(.*)'\]$/

/**
 * `env[].valueFrom.fieldRef`: the downward API fields a pod can read about itself.
 * The host IP is the InternalIP of the pod's node in the course's default cluster.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
function fieldRefValue(ref: ObjectFieldSelector, pod: Pod): string {
  const path = ref.fieldPath
  const keyed = FIELD_KEY.exec(path)
  if (keyed) {
    // Stryker disable next-line OptionalChaining: every pod has metadata
    const fields = pod.metadata?.[keyed[1] as 'labels' | 'annotations']
    return fields?.[keyed[2]!] ?? ''
  }
  // Stryker disable next-line OptionalChaining,StringLiteral: the kubelet runs only pods bound to its node, one of DEFAULT_NODES
  const hostIP = DEFAULT_NODES.find((n) => n.name === pod.spec?.nodeName)?.internalIP ?? ''
  switch (path) {
    case 'metadata.name':
      // Stryker disable next-line OptionalChaining,StringLiteral: every pod has a name
      return pod.metadata?.name ?? ''
    case 'metadata.namespace':
      // Stryker disable next-line OptionalChaining,StringLiteral: every pod the kubelet runs has a namespace
      return pod.metadata?.namespace ?? ''
    case 'metadata.uid':
      // Stryker disable next-line OptionalChaining,StringLiteral: the API server gives every pod a uid
      return pod.metadata?.uid ?? ''
    case 'spec.nodeName':
      // Stryker disable next-line OptionalChaining,StringLiteral: the kubelet runs only pods bound to its node
      return pod.spec?.nodeName ?? ''
    case 'spec.serviceAccountName':
      // Stryker disable next-line OptionalChaining,StringLiteral: the ServiceAccount admission plugin sets spec.serviceAccountName on every pod
      return pod.spec?.serviceAccountName ?? ''
    case 'status.podIP':
      // Stryker disable next-line OptionalChaining,StringLiteral: a container starts only once its pod sandbox has an IP
      return pod.status?.podIP ?? ''
    case 'status.podIPs':
      // Stryker disable next-line OptionalChaining,ArrayDeclaration: a container starts only once its pod sandbox has its IPs
      return (pod.status?.podIPs ?? []).map((p) => p.ip).join(',')
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP
    // Stryker disable next-line ConditionalExpression: validation refuses any other fieldPath before a pod reaches the kubelet
    default:
      // Stryker disable next-line StringLiteral: validation refuses any other fieldPath before a pod reaches the kubelet
      throw new Error(`unsupported fieldPath: ${path}`)
  }
}

/**
 * The environment of one container, computed as the kubelet starts it.
 *
 * 1. `pod.spec.enableServiceLinks` unset → {@link NilEnableServiceLinksError}.
 * 2. A pod from the API server (not static) while the Service informer has not
 *    synced → {@link ServicesNotSyncedError}. Static pods go ahead.
 * 3. The service variables: {@link getServiceEnvVarMap} over `services`.
 * 4. `container.env` in declaration order: a `value` has its `$(VAR)` references
 *    expanded, looking first at the variables declared *earlier* in this container,
 *    then at the service variables; an empty value with `valueFrom.fieldRef` reads
 *    the pod (`metadata.name`, `.namespace`, `.uid`, `metadata.labels['k']` and
 *    `metadata.annotations['k']` (empty when absent), `spec.nodeName`,
 *    `spec.serviceAccountName`, `status.podIP`, `status.podIPs` joined by `,`, and
 *    `status.hostIP`/`status.hostIPs`: the InternalIP of the pod's node in
 *    `DEFAULT_NODES`); a name declared twice keeps its later value.
 * 5. The container's variables, then every service variable whose name the
 *    container did not declare (a declared name overrides the service variable).
 *
 * Order: Kubernetes builds both lists from Go maps, so the real order is
 * unspecified. This model returns the container's variables in declaration order,
 * then the remaining service variables sorted by name.
 *
 * Simplification: `envFrom` and ConfigMap/Secret/resource sources are not modelled (they throw).
 *
 * @param services every Service the kubelet's informer holds right now
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
export function makeEnvironmentVariables(
  pod: Pod,
  container: Container,
  services: readonly Service[],
  opts: EnvOptions = {},
): EnvVar[] {
  // Stryker disable next-line OptionalChaining: every pod has a spec
  const enableServiceLinks = pod.spec?.enableServiceLinks
  if (enableServiceLinks === undefined || enableServiceLinks === null) throw new NilEnableServiceLinksError()
  if (!isStaticPod(pod) && opts.servicesSynced === false) throw new ServicesNotSyncedError()

  const serviceEnv = getServiceEnvVarMap(
    services,
    // Stryker disable next-line OptionalChaining,StringLiteral: every pod the kubelet runs has a namespace
    pod.metadata?.namespace ?? '',
    enableServiceLinks,
    opts.masterServiceNamespace ?? MASTER_SERVICE_NAMESPACE,
  )
  if (container.envFrom?.length) {
    throw new Error(`kata 04 model: container ${container.name} uses envFrom, which this course does not model`)
  }

  const declared = new Map<string, string>()
  const mapping = mappingFuncFor(declared, serviceEnv)
  for (const env of container.env ?? []) {
    let value = env.value ?? ''
    if (value !== '') {
      value = expand(value, mapping)
    } else if (env.valueFrom) {
      if (!env.valueFrom.fieldRef) {
        // Stryker disable next-line StringLiteral: validation allows one source per valueFrom, so there is nothing to join
        const source = Object.keys(env.valueFrom).join(', ')
        throw new Error(`kata 04 model: env ${env.name} uses valueFrom.${source}, which this course does not model`)
      }
      value = fieldRefValue(env.valueFrom.fieldRef, pod)
    }
    declared.set(env.name, value)
  }

  const result: EnvVar[] = [...declared].map(([name, value]) => ({ name, value }))
  const rest = [...serviceEnv].filter(([name]) => !declared.has(name))
  // Stryker disable next-line EqualityOperator: names are Map keys, so a === b never happens and < is <=
  rest.sort(([a], [b]) => (a < b ? -1 : 1))
  for (const [name, value] of rest) result.push({ name, value })
  return result
}

/**
 * One container as the runtime holds it (a slice of `v1.ContainerStatus`):
 * running with the environment it was started with, or waiting because the
 * kubelet could not build its config.
 */
export interface ContainerRecord {
  /** `namespace/name` of the pod. */
  readonly pod: string
  /** The container's name. */
  readonly container: string
  readonly state: 'Running' | 'Waiting'
  /** Why a Waiting container was not created: `CreateContainerConfigError`. */
  readonly reason?: 'CreateContainerConfigError'
  /** The kubelet's error text for a Waiting container. */
  readonly message?: string
  /** How many times this container has been started again after running. */
  readonly restartCount: number
  /** The process's environment, fixed at start (empty while Waiting). */
  readonly env: readonly EnvVar[]
}

function podRef(pod: Pod): string {
  // Stryker disable next-line OptionalChaining,StringLiteral: every pod the kubelet runs has a name and a namespace
  const [namespace, name] = [pod.metadata?.namespace ?? '', pod.metadata?.name ?? '']
  return `${namespace}/${name}`
}

function findContainer(pod: Pod, name: string): Container {
  // Stryker disable next-line OptionalChaining: every pod has a spec
  const c = pod.spec?.containers.find((x) => x.name === name)
  if (!c) throw new Error(`container ${JSON.stringify(name)} not found in pod ${podRef(pod)}`)
  return c
}

/**
 * Starts one container of a pod, as the kubelet's runtime manager does: the
 * environment is computed *now*, from the Services that exist now, and frozen
 * into the record. Services created later never reach this process.
 *
 * If the environment cannot be built, the container is not created: the record
 * is `Waiting` with reason `CreateContainerConfigError` and the error as message.
 *
 * @param servicesNow every Service the kubelet's informer holds at this moment
 * @throws {Error} `container "<name>" not found in pod <namespace>/<name>` for a container the pod does not declare
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kuberuntime/kuberuntime_container.go
 */
export function startContainer(
  pod: Pod,
  containerName: string,
  servicesNow: readonly Service[],
  opts: EnvOptions = {},
): ContainerRecord {
  const container = findContainer(pod, containerName)
  const base = { pod: podRef(pod), container: containerName, restartCount: 0 }
  try {
    const env = makeEnvironmentVariables(pod, container, servicesNow, opts).map((e) => Object.freeze({ ...e }))
    return Object.freeze({ ...base, state: 'Running' as const, env: Object.freeze(env) })
  } catch (err) {
    if (!(err instanceof NilEnableServiceLinksError || err instanceof ServicesNotSyncedError)) throw err
    return Object.freeze({
      ...base,
      state: 'Waiting' as const,
      reason: 'CreateContainerConfigError' as const,
      message: err.message,
      env: Object.freeze([]),
    })
  }
}

/** The kubelet's flags that matter here. */
export interface KubeletOptions {
  /** `--master-service-namespace`; `default` unless set. */
  masterServiceNamespace?: string
}

/**
 * A node's kubelet, reduced to what decides a container's environment: the
 * Service informer's cache and the containers it has started.
 *
 * - {@link Kubelet.updateServices} is the informer delivering the current list of
 *   Services; until its first call the cache has not synced.
 * - {@link Kubelet.startContainer} starts (or restarts) a container, computing its
 *   environment from the cache at that moment.
 * - {@link Kubelet.container} is what runs now: the env a `kubectl exec … -- env`
 *   would print. Creating or deleting Services never changes it; only a restart does.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
export class Kubelet {
  private readonly masterServiceNamespace: string
  // Stryker disable next-line ArrayDeclaration: before updateServices only a static pod reads it, and an entry that is no Service has no cluster IP
  private services: readonly Service[] = []
  private synced = false
  private readonly running = new Map<string, ContainerRecord>()

  constructor(options: KubeletOptions = {}) {
    this.masterServiceNamespace = options.masterServiceNamespace ?? MASTER_SERVICE_NAMESPACE
  }

  /** The Service informer's current view of every Service in the cluster. */
  updateServices(services: readonly Service[]): void {
    this.services = [...services]
    this.synced = true
  }

  /**
   * Starts a container of the pod, or restarts it if it already ran (the
   * restart count goes up by one); its environment is computed from the
   * Services the kubelet knows at this moment.
   */
  startContainer(pod: Pod, containerName: string): ContainerRecord {
    const key = `${podRef(pod)}/${containerName}`
    const before = this.running.get(key)
    const started = startContainer(pod, containerName, this.services, {
      masterServiceNamespace: this.masterServiceNamespace,
      servicesSynced: this.synced,
    })
    const restartCount = before ? before.restartCount + (before.state === 'Running' ? 1 : 0) : 0
    const record = Object.freeze({ ...started, restartCount })
    this.running.set(key, record)
    return record
  }

  /** The container as it is now, or `undefined` if it was never started. */
  container(namespace: string, podName: string, containerName: string): ContainerRecord | undefined {
    return this.running.get(`${namespace}/${podName}/${containerName}`)
  }
}
