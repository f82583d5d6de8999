// ────────────────────────────────────────────────────────────────────────
// Kata 09 · given: nothing to write here on the core path.
// This is finished code to read and step into; the checks rely on it as it is.
// The deep track asks for it too: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
// The API server of the model cluster: what `kubectl apply` and `kubectl delete` reach.
// Kubernetes serves each resource with its own REST handler (pkg/registry) over etcd;
// each component watches the kinds it cares about. The model keeps the objects in
// `ClusterState` (./storage.ts) and calls the components directly, in the order their
// watches would fire:
//
//   apply / delete       this file: each object to its resource's handler
//   Namespaces           this file
//   Pods                 ./admission.ts (defaults, validation, create, delete)
//   Deployments          ./deployment.ts
//   Services             ./servicestorage.ts (allocation before validation, katas 01, 06, 07)
//   Endpoints (by users) this file
//
// Read it to see what `kubectl apply -f` sets off.
import type { EndpointAddress, EndpointPort as CoreEndpointPort, Endpoints } from 'kubernetes-types/core/v1'
import { StatusError } from '../../lib/api/errors.ts'
import { timestamp } from '../../lib/cluster/clock.ts'
import { invalid, required, type FieldError } from '../../lib/field/errors.ts'
import { newPath } from '../../lib/field/path.ts'
import { parseIP } from '../../lib/net/ipint.ts'
import { isDNS1123Subdomain } from '../../lib/validation/labels.ts'
import { isDNS1123Label } from '../api/core/validation/names.ts'
import { ManifestError, readManifests, type KubeObject, type Manifest } from '../api/manifests.ts'
import { applyPod, deletePod, removePod } from './admission.ts'
import { bump } from './controllers.ts'
import { applyDeployment, ownedPods, reconcileDeployment } from './deployment.ts'
import { applyService, removeService } from './servicestorage.ts'
import {
  canonicalJSON,
  changed,
  ClusterError,
  invalidResult,
  keyOf,
  NotFoundError,
  uid,
  type ApplyAction,
  type ApplyResult,
  type ClusterState,
} from './storage.ts'

/** kubectl's line for a failed request: Invalid as `The Service "x" is invalid: …`, others with `error when creating`. */
function statusText(err: StatusError, file: string): string {
  if (err.reason === 'Invalid') return err.kubectl()
  return `Error from server (${err.reason}): error when creating "${file}": ${err.message}`
}

// ---------------------------------------------------------------------------
// apply and delete

const RESOURCE: Record<string, string> = {
  Namespace: 'namespace',
  Pod: 'pod',
  Deployment: 'deployment.apps',
  Service: 'service',
  Endpoints: 'endpoints',
}
const KIND_ALIASES: Record<string, string> = {
  ns: 'Namespace',
  namespace: 'Namespace',
  namespaces: 'Namespace',
  po: 'Pod',
  pod: 'Pod',
  pods: 'Pod',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  svc: 'Service',
  service: 'Service',
  services: 'Service',
  ep: 'Endpoints',
  endpoints: 'Endpoints',
}
/** The namespaces every cluster starts with. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system']
/** The kinds the cluster takes, and the apiVersion of each. */
const API_VERSIONS: Record<string, string> = { Namespace: 'v1', Pod: 'v1', Deployment: 'apps/v1', Service: 'v1', Endpoints: 'v1' }

/**
 * `kubectl apply -f FILE` with the file's text: one result per object, in file order.
 * A file that cannot be read (kata 01's {@link ManifestError}) applies nothing and gives
 * one result with kubectl's error.
 */
export function apply(s: ClusterState, text: string, file: string): ApplyResult[] {
  let manifests: Manifest[]
  try {
    manifests = readManifests(text, file)
  } catch (err) {
    if (err instanceof ManifestError) return [{ ok: false, error: err.message }]
    throw err
  }
  const results: ApplyResult[] = []
  batch(s, () => {
    for (const m of manifests) results.push(applyManifest(s, m))
  })
  return results
}

/**
 * Runs `changes` and lets the endpoints controller sync each affected Service once at
 * the end (many pods at once, like a controller's work queue).
 */
export function batch(s: ClusterState, changes: () => void): void {
  s.batching++
  try {
    if (s.batching === 1) s.endpointsController.batch(changes)
    else changes()
  } finally {
    s.batching--
  }
}

/**
 * One object, as `kubectl apply` sends it: a kind the cluster knows (else `error: the
 * course's cluster does not model kind "K" (it knows Namespace, Pod, Deployment, Service,
 * Endpoints)`) at its apiVersion (else `error: resource mapping not found for name: "N"
 * namespace: "NS" from "FILE": no matches for kind "K" in version "V"` and `ensure CRDs
 * are installed first` on a second line, NS as written), in a namespace that exists
 * (none given: `default`; a Namespace has none); `unchanged` when it is the manifest last
 * applied to an object that still exists; else created or updated by its resource's
 * handler. A ManifestError or StatusError from the handler becomes kubectl's error text:
 * Invalid as the API server words it, any other reason as `Error from server (REASON):
 * error when creating "FILE": MESSAGE`. Every result names the kind, the name and, for a
 * namespaced kind, the namespace.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
 */
export function applyManifest(s: ClusterState, m: Manifest): ApplyResult {
  const obj = m.object
  const kind = obj.kind
  const name = obj.metadata?.name ?? ''
  const expected = API_VERSIONS[kind]
  if (expected === undefined) {
    // Simplified: the simulator knows only these kinds; a real API server knows many more.
    return { ok: false, kind, name, error: `error: the course's cluster does not model kind "${kind}" (it knows ${Object.keys(API_VERSIONS).join(', ')})` }
  }
  if (expected !== obj.apiVersion) {
    return {
      ok: false,
      kind,
      name,
      error:
        `error: resource mapping not found for name: "${name}" namespace: "${obj.metadata?.namespace ?? ''}" from "${m.file}": ` +
        `no matches for kind "${kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
    }
  }
  const namespace = kind === 'Namespace' ? undefined : obj.metadata?.namespace || 'default'
  if (namespace !== undefined && !s.namespaceStore.has(namespace)) {
    return { ok: false, kind, namespace, name, error: `Error from server (NotFound): error when creating "${m.file}": namespaces "${namespace}" not found` }
  }
  // A Namespace's results name no namespace; every other kind's do.
  const where = namespace !== undefined ? { namespace } : {}
  const key = `${kind}/${namespace ?? ''}/${name}`
  const manifest = canonicalJSON(obj)
  // kubectl compares with the live object's last-applied-configuration: only an object that still exists can be unchanged.
  if (s.lastApplied.get(key) === manifest && exists(s, kind, namespace ?? '', name)) {
    return { ok: true, kind, ...where, name, action: 'unchanged', text: `${RESOURCE[kind]}/${name} unchanged` }
  }
  let action: ApplyAction | ApplyResult
  try {
    switch (kind) {
      case 'Namespace':
        action = applyNamespace(s, obj)
        break
      case 'Pod':
        action = applyPod(s, obj, namespace!)
        break
      case 'Deployment':
        action = applyDeployment(s, obj, namespace!)
        break
      case 'Service':
        action = applyService(s, m, namespace!)
        break
      default:
        action = applyEndpoints(s, obj, namespace!)
    }
  } catch (err) {
    if (err instanceof ManifestError) return { ok: false, kind, name, ...where, error: err.message }
    if (err instanceof StatusError) return { ok: false, kind, name, ...where, error: statusText(err, m.file) }
    throw err
  }
  if (typeof action !== 'string') return action
  s.lastApplied.set(key, manifest)
  return { ok: true, kind, ...where, name, action, text: `${RESOURCE[kind]}/${name} ${action}` }
}

function exists(s: ClusterState, kind: string, namespace: string, name: string): boolean {
  const key = keyOf(namespace, name)
  switch (kind) {
    case 'Namespace':
      return s.namespaceStore.has(name)
    case 'Pod':
      return s.podStore.has(key)
    case 'Deployment':
      return s.deploymentStore.has(key)
    case 'Service':
      return s.serviceStore.has(key)
    default:
      return s.endpointsController.get(namespace, name) !== undefined
  }
}

/**
 * `kubectl delete KIND NAME -n NAMESPACE`: returns kubectl's line, which since v1.34 names
 * the namespace (`service "order" deleted from snackbar namespace`; `namespace "x"
 * deleted`). A pod is deleted gracefully ({@link deletePod}: Terminating until its
 * containers have stopped); a pod of a Deployment is replaced at once by a new one (new
 * name, new IP). A Deployment takes its pods with it, gracefully; a Namespace everything
 * in it, at once. KIND is any name kubectl accepts, in any case: `ns`/`namespace`/
 * `namespaces`, `po`/`pod`/`pods`, `deploy`/`deployment`/`deployments`,
 * `svc`/`service`/`services`, `ep`/`endpoints`.
 * @throws {NotFoundError} when there is no such object: `Error from server (NotFound):
 * pods "x" not found` (resources `pods`, `deployments.apps`, `services`, `endpoints`,
 * `namespaces`)
 * @throws {ClusterError} for any other KIND: `error: the server doesn't have a resource type "configmap"`
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go
 */
export function deleteObject(s: ClusterState, kind: string, namespace: string, name: string): string {
  const k = KIND_ALIASES[kind.toLowerCase()] ?? kind
  let text = ''
  batch(s, () => {
    switch (k) {
      case 'Namespace':
        text = deleteNamespace(s, name)
        break
      case 'Pod': {
        const rec = s.podStore.get(keyOf(namespace, name))
        if (!rec) throw new NotFoundError('pods', name)
        deletePod(s, rec)
        if (rec.owner) reconcileDeployment(s, rec.owner)
        text = `pod "${name}" deleted from ${namespace} namespace`
        break
      }
      case 'Deployment': {
        const key = keyOf(namespace, name)
        if (!s.deploymentStore.has(key)) throw new NotFoundError('deployments.apps', name)
        s.deploymentStore.delete(key)
        for (const rec of ownedPods(s, key)) deletePod(s, rec)
        text = `deployment.apps "${name}" deleted from ${namespace} namespace`
        break
      }
      case 'Service': {
        const key = keyOf(namespace, name)
        const svc = s.serviceStore.get(key)
        if (!svc) throw new NotFoundError('services', name)
        removeService(s, svc)
        text = `service "${name}" deleted from ${namespace} namespace`
        break
      }
      case 'Endpoints': {
        if (!s.endpointsController.get(namespace, name)) throw new NotFoundError('endpoints', name)
        s.endpointsController.deleteEndpoints(namespace, name)
        bump(s, keyOf(namespace, name))
        text = `endpoints "${name}" deleted from ${namespace} namespace`
        break
      }
      default:
        throw new ClusterError(`error: the server doesn't have a resource type "${kind}"`)
    }
  })
  changed(s)
  return text
}

// ---------------------------------------------------------------------------
// Namespaces

export function createNamespace(s: ClusterState, name: string): void {
  s.namespaceStore.set(name, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: uid(s), creationTimestamp: timestamp(s.clock), labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  })
  changed(s)
}

/**
 * `kubectl apply` of a Namespace: its name is required (`metadata.name: Required value:
 * name or generateName is required`) and, when given, a DNS-1123 label (`metadata.name:
 * Invalid value: …`, isDNS1123Label's message); then `created`, or `configured` when it
 * exists.
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
 */
function applyNamespace(s: ClusterState, obj: KubeObject): ApplyAction | ApplyResult {
  const name = obj.metadata?.name ?? ''
  // ValidateObjectMetaAccessor: Required when empty, else the name's own rule — never both.
  const errs = name ? isDNS1123Label(name).map((msg) => invalid(newPath('metadata', 'name'), name, msg)) : [required(newPath('metadata', 'name'), 'name or generateName is required')]
  if (errs.length) return invalidResult('Namespace', name, undefined, errs)
  if (s.namespaceStore.has(name)) return 'configured'
  createNamespace(s, name)
  return 'created'
}

/**
 * The namespace controller, at once: everything in the namespace goes with it.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/namespace/deletion/namespaced_resources_deleter.go
 */
function deleteNamespace(s: ClusterState, name: string): string {
  if (!s.namespaceStore.has(name)) throw new NotFoundError('namespaces', name)
  for (const [key] of s.deploymentStore) if (key.startsWith(`${name}/`)) s.deploymentStore.delete(key)
  for (const rec of [...s.podStore.values()]) if (rec.pod.metadata?.namespace === name) removePod(s, rec)
  for (const svc of [...s.serviceStore.values()]) if (svc.metadata?.namespace === name) removeService(s, svc)
  for (const ep of s.endpointsController.list(name)) s.endpointsController.deleteEndpoints(name, ep.metadata?.name ?? '')
  s.namespaceStore.delete(name)
  return `namespace "${name}" deleted`
}

// ---------------------------------------------------------------------------
// Endpoints written by users

/**
 * A user's Endpoints (for a Service without selector), validated as ValidateEndpoints does:
 * the name required (`metadata.name: Required value: name or generateName is required`)
 * and a DNS-1123 subdomain; every address's `ip` a valid IP (`must be a valid IP address,
 * (e.g. 10.9.8.7 or 2001:db8::ffff)`), ready or not; every port `must be between 1 and
 * 65535, inclusive`, its protocol TCP by default. Then stored by the endpoints controller:
 * `created`, or `configured` when Endpoints of that name exist.
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
function applyEndpoints(s: ClusterState, obj: KubeObject, namespace: string): ApplyAction | ApplyResult {
  const eps = structuredClone(obj) as unknown as Endpoints
  const name = eps.metadata?.name ?? ''
  eps.metadata = { ...eps.metadata, name, namespace }
  // ValidateObjectMeta with ValidateEndpointsName (NameIsDNSSubdomain).
  const errs: FieldError[] = name ? isDNS1123Subdomain(name).map((msg) => invalid(newPath('metadata', 'name'), name, msg)) : [required(newPath('metadata', 'name'), 'name or generateName is required')]
  const subsets = eps.subsets ?? []
  subsets.forEach((sub, i) => {
    for (const [field, list] of [
      ['addresses', sub.addresses],
      ['notReadyAddresses', sub.notReadyAddresses],
    ] as const) {
      ;(list ?? []).forEach((a: EndpointAddress, j: number) => {
        if (!parseIP(a.ip ?? '')) {
          errs.push(invalid(newPath('subsets').index(i).child(field).index(j).child('ip'), a.ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'))
        }
      })
    }
    ;(sub.ports ?? []).forEach((p: CoreEndpointPort, j: number) => {
      if (!(p.port >= 1 && p.port <= 65535)) errs.push(invalid(newPath('subsets').index(i).child('ports').index(j).child('port'), p.port, 'must be between 1 and 65535, inclusive'))
      p.protocol ??= 'TCP'
    })
  })
  if (errs.length) return invalidResult('Endpoints', name, namespace, errs)
  const existed = s.endpointsController.get(namespace, name) !== undefined
  s.endpointsController.applyEndpoints(eps)
  bump(s, keyOf(namespace, name))
  changed(s)
  return existed ? 'configured' : 'created'
}

