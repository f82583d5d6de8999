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
import type { Endpoints } from 'kubernetes-types/core/v1'
import { StatusError } from '../../lib/api/errors.ts'
import type { KubeObject, Manifest } from '../api/manifests.ts'
import type { ApplyAction, ApplyResult, ClusterState } from './storage.ts'

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
  // TODO(kata 09): readManifests (a ManifestError is the one result), then each object through applyManifest, in one batch.
  throw new Error('kata 09-whole-route: apply is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * Runs `changes` and lets the endpoints controller sync each affected Service once at
 * the end (many pods at once, like a controller's work queue).
 */
export function batch(s: ClusterState, changes: () => void): void {
  // TODO(kata 09): let the endpoints controller sync each Service once after all the changes (only the outermost batch).
  throw new Error('kata 09-whole-route: batch is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): a known kind at its apiVersion, an existing namespace; unchanged when identical to the last applied manifest of an
  // TODO(kata 09): object that exists; else the kind's handler; ManifestError / StatusError become kubectl's text.
  throw new Error('kata 09-whole-route: applyManifest is not implemented yet — see lessons/09-whole-route.md')
}

function exists(s: ClusterState, kind: string, namespace: string, name: string): boolean {
  // TODO(kata 09): whether the object of this kind is stored.
  throw new Error('kata 09-whole-route: exists is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): by kind (aliases svc, deploy, po, ep, ns): pods gracefully (deletePod), others at once; replace deleted Deployment pods; kubectl's line names the namespace.
  throw new Error('kata 09-whole-route: deleteObject is not implemented yet — see lessons/09-whole-route.md')
}

// ---------------------------------------------------------------------------
// Namespaces

export function createNamespace(s: ClusterState, name: string): void {
  // TODO(kata 09): store an Active Namespace with its metadata.name label.
  throw new Error('kata 09-whole-route: createNamespace is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * `kubectl apply` of a Namespace: its name is required (`metadata.name: Required value:
 * name or generateName is required`) and, when given, a DNS-1123 label (`metadata.name:
 * Invalid value: …`, isDNS1123Label's message); then `created`, or `configured` when it
 * exists.
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
 */
function applyNamespace(s: ClusterState, obj: KubeObject): ApplyAction | ApplyResult {
  // TODO(kata 09): a DNS-1123 label name; created, or configured when it exists.
  throw new Error('kata 09-whole-route: applyNamespace is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The namespace controller, at once: everything in the namespace goes with it.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/namespace/deletion/namespaced_resources_deleter.go
 */
function deleteNamespace(s: ClusterState, name: string): string {
  // TODO(kata 09): its Deployments, pods, Services and Endpoints go with it.
  throw new Error('kata 09-whole-route: deleteNamespace is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): valid IPs and ports (protocol TCP by default), then stored by the endpoints controller.
  throw new Error('kata 09-whole-route: applyEndpoints is not implemented yet — see lessons/09-whole-route.md')
}

