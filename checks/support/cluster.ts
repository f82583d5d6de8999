// Builders and messages for kata 09's checks: the snackbar project as manifests,
// a cluster with it applied, and connection results written the way a learner reads
// curl and `kubectl get`.
import type { Pod } from 'kubernetes-types/core/v1'

/** The snackbar namespace. */
export const NAMESPACE_YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: snackbar
`

/** A Deployment of agnhost netexec pods labelled `app: <name>`, listening on `port`. */
export function deploymentYAML(name: string, o: { replicas?: number; port?: number; namespace?: string; portName?: string; extraLabels?: Record<string, string> } = {}): string {
  const labels = { app: name, ...(o.extraLabels ?? {}) }
  const labelLines = Object.entries(labels)
    .map(([k, v]) => `        ${k}: ${v}`)
    .join('\n')
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${o.namespace ?? 'snackbar'}
spec:
  replicas: ${o.replicas ?? 3}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
${labelLines}
    spec:
      containers:
      - name: ${name}
        image: registry.k8s.io/e2e-test-images/agnhost:2.53
        args: ["netexec", "--http-port=${o.port ?? 8080}"]
        ports:
        - containerPort: ${o.port ?? 8080}${o.portName ? `\n          name: ${o.portName}` : ''}
`
}

/** A Service `name` selecting `app: <app>`, port 80 → targetPort. */
export function serviceYAML(name: string, o: { app?: string; targetPort?: number | string; namespace?: string; spec?: string } = {}): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${o.namespace ?? 'snackbar'}
spec:
  selector:
    app: ${o.app ?? name}
  ports:
  - port: 80
    targetPort: ${o.targetPort ?? 8080}
${o.spec ?? ''}`
}

/** The course's project: namespace snackbar, Deployments order (3) and payment (2), Services order and payment. */
export const SNACKBAR_YAML = [
  NAMESPACE_YAML,
  deploymentYAML('order', { replicas: 3, port: 8080 }),
  deploymentYAML('payment', { replicas: 2, port: 9090 }),
  serviceYAML('order', { targetPort: 8080 }),
  serviceYAML('payment', { targetPort: 9090 }),
].join('---\n')

/** A pod with a shell and curl in `namespace`, optionally pinned to a node. */
export function clientPodYAML(name: string, namespace: string, node?: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:${node ? `\n  nodeName: ${node}` : ''}
  containers:
  - name: curl
    image: curlimages/curl:8.10.1
    command: ["sleep", "infinity"]
`
}

/** A pod's `namespace/name`. */
export const ref = (p: Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`

export const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false

/** The parts of a connection result the messages show (route.ts's ConnectResult). */
export type ResultLike =
  | { ok: true; pod?: string; server: string; endpoint: string; clientIP: string; path: readonly string[] }
  | { ok: false; message: string; path: readonly string[] }

/** A connection result: where it landed and what the pod saw, or curl's error; then the path it took. */
export function resultText(r: ResultLike): string {
  const head = r.ok ? `landed on ${r.pod ?? r.server} (${r.endpoint}), which saw the client as ${r.clientIP}` : r.message
  return `${head}\n  path:\n${r.path.map((s) => `    ${s}`).join('\n')}`
}
