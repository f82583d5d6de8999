// ────────────────────────────────────────────────────────────────────────
// Kata 08 · given: nothing to write here on the core path.
// This is finished code to read and step into; the checks rely on it as it is.
// The deep track asks for it too: `katas deep 08`.
// ────────────────────────────────────────────────────────────────────────
// The cloud provider's side of a LoadBalancer Service: the interface the service
// controller calls to create, update and delete the cloud's load balancer, and the
// default name a provider gives that load balancer.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/cloud.go
import type { LoadBalancerStatus, Node, Service } from 'kubernetes-types/core/v1'

/**
 * `cloudprovider.ImplementedElsewhere`: a provider returns it from
 * `ensureLoadBalancer`/`updateLoadBalancer` when another controller implements load
 * balancers for this service. The service controller then does nothing more and
 * reports no error (and no `EnsuredLoadBalancer` event). Its message is Go's:
 * `implemented by alternate to cloud provider`.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/cloud.go
 */
export class ImplementedElsewhereError extends Error {
  override name = 'ImplementedElsewhereError'
  constructor() {
    super('implemented by alternate to cloud provider')
  }
}

/** What `getLoadBalancer` answers: whether the cloud has a load balancer for the service, and its status. */
export interface LoadBalancerLookup {
  status: LoadBalancerStatus | undefined
  exists: boolean
}

/**
 * `cloudprovider.LoadBalancer`: what a cloud provider implements so that Services of
 * type LoadBalancer get a load balancer. Every method treats the Service and the
 * nodes as read-only. `clusterName` is kube-controller-manager's `--cluster-name`.
 *
 * - `getLoadBalancer` — does a load balancer exist for this service, and what is its status?
 * - `getLoadBalancerName` — the cloud's name for it.
 * - `ensureLoadBalancer` — create it, or update the existing one, to forward the
 *   service's ports to `nodes`; returns the status to write to
 *   `status.loadBalancer` (the ingress IPs/hostnames). Throws when it cannot.
 * - `updateLoadBalancer` — only the backend hosts changed: point it at `nodes`.
 * - `ensureLoadBalancerDeleted` — delete it; succeeds when there is nothing to delete.
 *
 * Simplified: Go's methods also take a `context.Context`; errors are thrown.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/cloud.go
 */
export interface LoadBalancer {
  getLoadBalancer(clusterName: string, service: Service): LoadBalancerLookup
  getLoadBalancerName(clusterName: string, service: Service): string
  ensureLoadBalancer(clusterName: string, service: Service, nodes: readonly Node[]): LoadBalancerStatus
  updateLoadBalancer(clusterName: string, service: Service, nodes: readonly Node[]): void
  ensureLoadBalancerDeleted(clusterName: string, service: Service): void
}

/**
 * `DefaultLoadBalancerName`: the (deprecated, but still used by many providers and
 * by the fake cloud) name of a service's load balancer:
 * 1. `"a"` + the service's `metadata.uid` (GCE wants a name that starts with a lower-case letter);
 * 2. every `-` removed;
 * 3. cut to 32 characters (AWS wants names shorter than 32 bytes… and 32 is what is kept).
 *
 * `9a3c2f1e-1b2c-4d5e-8f90-1234567890ab` → `a9a3c2f1e1b2c4d5e8f901234567890a`.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/cloud.go
 */
export function defaultLoadBalancerName(service: Service): string {
  const uid = service.metadata?.uid ?? ''
  // Go cuts only when longer (`ret[:32]` would panic on a shorter name); slice leaves a shorter one whole.
  return `a${uid}`.replaceAll('-', '').slice(0, 32)
}
