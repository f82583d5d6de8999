// The controllers of kube-controller-manager, wired to the API server: who hears of a
// change, and what each writes back. In Kubernetes every controller watches the API
// through an informer; the model tells them directly, in the same order:
//
//   a pod changed      → the endpoints controller (kata 03), and every Service whose
//                        selector matches the pod (kata 02) has stale EndpointSlices
//   a Service changed  → the endpoints controller, the service controller (kata 08)
//   EndpointSlices     → built on demand by kata 03's syncService for Services with a
//                        selector; mirrored from a user's Endpoints for the others
//   load balancers     → the service controller's status and finalizer copied back
//
// Read it to see where each kata's module is called.
import type { Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { NodeInfo } from '../../lib/cluster/defaults.ts'
import type { ClusterState, PodRecord } from './storage.ts'

/** Endpoints with this label are not mirrored into EndpointSlices. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror'
/** `managed-by` value of slices the EndpointSlice mirroring controller writes. */
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io'

/** A pod's new version: the controllers and caches hear about it. */
export function podChanged(s: ClusterState, rec: PodRecord, next: Pod): void {
  // TODO(kata 09): store the new version, re-index changed labels, tell the endpoints controller, bump the Services selecting it.
  throw new Error('kata 09-whole-route: podChanged is not implemented yet — see lessons/09-whole-route.md')
}

/** Services of the namespace whose selector matches these labels (kata 02). */
export function servicesSelecting(s: ClusterState, namespace: string, labels: Record<string, string>): Service[] {
  // TODO(kata 09): the Services of the namespace whose selector matches these labels (kata 02), found through the index.
  throw new Error('kata 09-whole-route: servicesSelecting is not implemented yet — see lessons/09-whole-route.md')
}

/** The Services whose endpoints may change with a pod of these labels: their slices and rules are stale. */
export function bumpSelecting(s: ClusterState, namespace: string, labels: Record<string, string>): void {
  // TODO(kata 09): bump every Service selecting these labels.
  throw new Error('kata 09-whole-route: bumpSelecting is not implemented yet — see lessons/09-whole-route.md')
}

/** The Service (or its endpoints) changed: its EndpointSlices and every node's rules for it are stale. */
export function bump(s: ClusterState, key: string): void {
  // TODO(kata 09): one more version for the Service: its slices and rules are stale.
  throw new Error('kata 09-whole-route: bump is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The EndpointSlice mirroring controller: a Service without selector gets one slice per
 * subset of the user's Endpoints (`<name>-xxxxx`, managed by
 * endpointslicemirroring-controller.k8s.io), unless the Endpoints carry
 * `endpointslice.kubernetes.io/skip-mirror: "true"`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpointslicemirroring/utils.go
 */
export function mirroredSlices(s: ClusterState, svc: Service): EndpointSlice[] {
  // TODO(kata 09): one slice per subset of the user's Endpoints, unless skip-mirror; names from a seed of the Service.
  throw new Error('kata 09-whole-route: mirroredSlices is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The EndpointSlices of one Service (cached until its pods or the Service change): the
 * EndpointSlice controller's (kata 03) for a Service with a selector — names drawn from a
 * seed of the Service, so they stay the same from sync to sync — mirrored ones without.
 */
export function slicesOf(s: ClusterState, svc: Service): EndpointSlice[] {
  // TODO(kata 09): cached per version: the API server's own, none for ExternalName, mirrored without selector, else kata 03's syncService.
  throw new Error('kata 09-whole-route: slicesOf is not implemented yet — see lessons/09-whole-route.md')
}

/** The service controller wrote status (and its finalizer) on its copy: the API server's copy gets them. */
export function copyControllerState(s: ClusterState, key: string): void {
  // TODO(kata 09): the service controller's status and finalizers onto the stored Service, when they changed.
  throw new Error('kata 09-whole-route: copyControllerState is not implemented yet — see lessons/09-whole-route.md')
}

/** After a node change: every LoadBalancer Service's status as the service controller now has it. */
export function syncLoadBalancerStatuses(s: ClusterState): void {
  // TODO(kata 09): copyControllerState for every LoadBalancer Service.
  throw new Error('kata 09-whole-route: syncLoadBalancerStatuses is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The API server's endpoint reconciler: Endpoints and EndpointSlice `kubernetes` → the
 * control plane's :6443.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controlplane/reconcilers/endpointsadapter.go
 */
export function writeAPIServerEndpoints(s: ClusterState, cp: NodeInfo): void {
  // TODO(kata 09): Endpoints (skip-mirror) and the EndpointSlice of default/kubernetes → the control plane's :6443.
  throw new Error('kata 09-whole-route: writeAPIServerEndpoints is not implemented yet — see lessons/09-whole-route.md')
}
