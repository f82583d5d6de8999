// Kata 09, task pod-admission: what the API server fills in and refuses on a Pod, row by
// row (pkg/apis/core/v1/defaults.go, plugin/pkg/admission/defaulttolerationseconds,
// pkg/apis/core/validation/validation.go ValidatePodCreate, reduced as the model does).
import type { Container, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1'

/** A pod named `web` in no namespace yet, with these containers and more of its spec. */
export const podWith = (containers: Container[], spec: Partial<PodSpec> = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { ...spec, containers } })

const web = (more: Partial<Container> = {}): Container => ({ name: 'web', image: 'nginx:1.27', ...more })
const tol = (t: Toleration) => `${t.key ?? ''} ${t.operator ?? ''} ${t.effect ?? ''} ${t.tolerationSeconds ?? ''}`.trim()

export interface DefaultingRow {
  name: string
  pod: Pod
  /** What the row reads off the defaulted pod. */
  get: (p: Pod) => unknown
  want: unknown
}

const containerField = (field: keyof Container) => (p: Pod) => p.spec?.containers.map((c) => c[field])
const tolerations = (p: Pod) => p.spec?.tolerations?.map(tol)

export const DEFAULTING_ROWS: DefaultingRow[] = [
  {
    name: 'a container gets terminationMessagePath /dev/termination-log and terminationMessagePolicy File',
    pod: podWith([web()]),
    get: (p) => p.spec?.containers.map((c) => [c.terminationMessagePath, c.terminationMessagePolicy]),
    want: [['/dev/termination-log', 'File']],
  },
  {
    name: 'a terminationMessagePath and policy the manifest sets are kept',
    pod: podWith([web({ terminationMessagePath: '/tmp/why', terminationMessagePolicy: 'FallbackToLogsOnError' })]),
    get: (p) => p.spec?.containers.map((c) => [c.terminationMessagePath, c.terminationMessagePolicy]),
    want: [['/tmp/why', 'FallbackToLogsOnError']],
  },
  {
    name: 'imagePullPolicy is Always for the tag latest, and for an image without tag (which means latest)',
    pod: podWith([web({ image: 'nginx:latest' }), web({ name: 'b', image: 'nginx' }), web({ name: 'c', image: 'registry.k8s.io/pause' })]),
    get: containerField('imagePullPolicy'),
    want: ['Always', 'Always', 'Always'],
  },
  {
    name: 'imagePullPolicy is IfNotPresent for any other tag, and for a digest',
    pod: podWith([web({ image: 'nginx:1.27' }), web({ name: 'b', image: 'nginx:latest-alpine' }), web({ name: 'c', image: 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' })]),
    get: containerField('imagePullPolicy'),
    want: ['IfNotPresent', 'IfNotPresent', 'IfNotPresent'],
  },
  {
    name: "a registry's port is not a tag: localhost:5000/app is untagged, so Always; localhost:5000/app:v2 IfNotPresent",
    pod: podWith([web({ image: 'localhost:5000/app' }), web({ name: 'b', image: 'localhost:5000/app:v2' })]),
    get: containerField('imagePullPolicy'),
    want: ['Always', 'IfNotPresent'],
  },
  {
    name: 'a tag and a digest: the tag counts, so nginx:latest@sha256:… is pulled Always',
    pod: podWith([web({ image: 'nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' })]),
    get: containerField('imagePullPolicy'),
    want: ['Always'],
  },
  {
    name: 'a container without image has no tag at all (ParseImageName fails): IfNotPresent, and validation refuses it',
    pod: podWith([{ name: 'web' }]),
    get: containerField('imagePullPolicy'),
    want: ['IfNotPresent'],
  },
  {
    name: 'a pod without spec gets one, with no containers (validation refuses it)',
    pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } },
    get: (p) => [p.spec?.containers, p.spec?.dnsPolicy],
    want: [[], 'ClusterFirst'],
  },
  {
    name: 'an imagePullPolicy the manifest sets is kept',
    pod: podWith([web({ image: 'nginx:latest', imagePullPolicy: 'Never' }), web({ name: 'b', imagePullPolicy: 'Always' })]),
    get: containerField('imagePullPolicy'),
    want: ['Never', 'Always'],
  },
  {
    name: 'schedulerName is default-scheduler and securityContext {} unless the manifest sets them',
    pod: podWith([web()]),
    get: (p) => [p.spec?.schedulerName, p.spec?.securityContext],
    want: ['default-scheduler', {}],
  },
  {
    name: 'a schedulerName and securityContext the manifest sets are kept',
    pod: podWith([web()], { schedulerName: 'my-scheduler', securityContext: { runAsUser: 1000 } }),
    get: (p) => [p.spec?.schedulerName, p.spec?.securityContext],
    want: ['my-scheduler', { runAsUser: 1000 }],
  },
  {
    name: 'dnsPolicy, enableServiceLinks, restartPolicy and the grace period the manifest sets are kept',
    pod: podWith([web()], { dnsPolicy: 'Default', enableServiceLinks: false, restartPolicy: 'Never', terminationGracePeriodSeconds: 5 }),
    get: (p) => [p.spec?.dnsPolicy, p.spec?.enableServiceLinks, p.spec?.restartPolicy, p.spec?.terminationGracePeriodSeconds],
    want: ['Default', false, 'Never', 5],
  },
  {
    name: 'a port on the host network gets hostPort = containerPort; off it, no hostPort',
    pod: podWith([web({ ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353 }] })], { hostNetwork: true }),
    get: (p) => p.spec?.containers[0]?.ports?.map((x) => `${x.containerPort}/${x.protocol} host ${x.hostPort ?? '-'}`),
    want: ['80/TCP host 80', '53/UDP host 5353'],
  },
  {
    name: 'a pod network port has no hostPort',
    pod: podWith([web({ ports: [{ containerPort: 80 }] })]),
    get: (p) => p.spec?.containers[0]?.ports?.map((x) => `${x.containerPort}/${x.protocol} host ${x.hostPort ?? '-'}`),
    want: ['80/TCP host -'],
  },
  {
    name: 'DefaultTolerationSeconds adds its two tolerations after the ones the pod has',
    pod: podWith([web()], { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
    get: tolerations,
    want: ['dedicated Equal NoSchedule', 'node.kubernetes.io/not-ready Exists NoExecute 300', 'node.kubernetes.io/unreachable Exists NoExecute 300'],
  },
  {
    name: "a pod's own NoExecute toleration of not-ready is kept, with its seconds; only unreachable's 300 s is added",
    pod: podWith([web()], { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }),
    get: tolerations,
    want: ['node.kubernetes.io/not-ready Exists NoExecute 60', 'node.kubernetes.io/unreachable Exists NoExecute 300'],
  },
  {
    name: 'a toleration of not-ready for NoSchedule only does not cover NoExecute: both defaults are added',
    pod: podWith([web()], { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] }),
    get: tolerations,
    want: ['node.kubernetes.io/not-ready Exists NoSchedule', 'node.kubernetes.io/not-ready Exists NoExecute 300', 'node.kubernetes.io/unreachable Exists NoExecute 300'],
  },
  {
    name: 'a toleration of unreachable without effect covers NoExecute: only not-ready is added',
    pod: podWith([web()], { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }] }),
    get: tolerations,
    want: ['node.kubernetes.io/unreachable Exists', 'node.kubernetes.io/not-ready Exists NoExecute 300'],
  },
  {
    name: 'operator Exists without a key tolerates every taint: nothing is added',
    pod: podWith([web()], { tolerations: [{ operator: 'Exists' }] }),
    get: tolerations,
    want: ['Exists'],
  },
]

export interface ValidationRow {
  name: string
  pod: Pod
  /** The errors as the API server prints them, in order. */
  want: string[]
}

export const VALIDATION_ROWS: ValidationRow[] = [
  { name: 'a pod without a name', pod: { ...podWith([web()]), metadata: {} }, want: ['metadata.name: Required value: name or generateName is required'] },
  { name: 'a pod without metadata has no name', pod: { apiVersion: 'v1', kind: 'Pod', spec: { containers: [web()] } }, want: ['metadata.name: Required value: name or generateName is required'] },
  { name: 'a pod without containers', pod: podWith([]), want: ['spec.containers: Required value'] },
  { name: 'a pod without spec has no containers', pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } }, want: ['spec.containers: Required value'] },
  {
    name: 'a container without name or image',
    pod: podWith([{ name: '' }, { name: 'b', image: '' }]),
    want: ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value', 'spec.containers[1].image: Required value'],
  },
  { name: 'container ports 1 and 65535 are the limits, and valid', pod: podWith([web({ ports: [{ containerPort: 1 }, { containerPort: 65535 }] })]), want: [] },
  {
    name: 'container port 65536 is out of range',
    pod: podWith([web({ ports: [{ containerPort: 8080 }, { containerPort: 65536 }] })]),
    want: ['spec.containers[0].ports[1].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive'],
  },
  {
    name: 'the second container is checked too',
    pod: podWith([web(), web({ name: 'side', ports: [{ containerPort: -1 }] })]),
    want: ['spec.containers[1].ports[0].containerPort: Invalid value: -1: must be between 1 and 65535, inclusive'],
  },
]
