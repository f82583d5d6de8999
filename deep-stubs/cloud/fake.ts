// A fake cloud for the course's kind-like cluster: it "creates" load balancers by
// handing out IPs from a pool (172.18.255.200–172.18.255.250 by default, like
// MetalLB or cloud-provider-kind on a kind cluster) and remembers which IP belongs to
// which load balancer. Like Kubernetes' own fake cloud it records the calls made to
// it and can be told to fail, so the service controller's error paths can be seen.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/fake/fake.go
import type { LoadBalancerStatus, Node, Service, ServicePort } from 'kubernetes-types/core/v1'
import { LOAD_BALANCER_POOL } from '../../lib/cluster/defaults.ts'
import type { LoadBalancer, LoadBalancerLookup } from './provider.ts'
// You will need these (IPs as numbers, to walk the pool; the load balancer's name):
//   import { familyOf, formatIP, fromBigInt, parseIP, toBigInt } from '../../lib/net/ipint.ts'
//   import { defaultLoadBalancerName } from './provider.ts'

/** An inclusive range of addresses a cloud hands out as load-balancer IPs. */
export interface AddressPool {
  first: string
  last: string
}

/** One load balancer the fake cloud holds. */
export interface Balancer {
  /** {@link defaultLoadBalancerName} of the service. */
  name: string
  /** The service it was ensured for, `namespace/name`. */
  service: string
  /** The ingress IP taken from the pool. */
  ip: string
  /** The service's ports when it was last ensured. */
  ports: ServicePort[]
  /** The nodePorts it forwards to; none when the service sets `allocateLoadBalancerNodePorts: false`. */
  nodePorts: number[]
  /** The backend nodes, by name, in the order the controller passed them. */
  hosts: string[]
}

/** An `updateLoadBalancer` call: the service (`namespace/name`) and the nodes it was given. */
export interface UpdateBalancerCall {
  service: string
  hosts: string[]
}

/** The calls the fake records, named as Kubernetes' fake cloud names them. */
export type FakeCloudCall = 'create' | 'update' | 'delete'

/** A method that {@link FakeCloud.failWith} can make fail. */
export type FakeCloudMethod = 'get' | 'ensure' | 'update' | 'delete'

/**
 * Every IP of the pool is held by some load balancer. The message is this fake's own
 * (no real cloud is modelled); the service controller wraps it as
 * `Error syncing load balancer: failed to ensure load balancer: no available IPs in pool …`.
 */
export class NoAvailableIPsError extends Error {
  override name = 'NoAvailableIPsError'
  constructor(readonly pool: AddressPool) {
    super(`no available IPs in pool ${pool.first}-${pool.last}`)
  }
}

/**
 * The pool given to {@link FakeCloud} is not a range of addresses of one family, first
 * ≤ last: `invalid address pool 172.18.255.250-172.18.255.200`.
 */
export class InvalidPoolError extends Error {
  override name = 'InvalidPoolError'
  constructor(pool: AddressPool) {
    super(`invalid address pool ${pool.first}-${pool.last}`)
  }
}

/**
 * A cloud whose load balancers are IPs from a pool.
 *
 * 1. `ensureLoadBalancer` records `create`; a load balancer that already exists (same
 *    {@link defaultLoadBalancerName}) keeps its IP and gets the new ports and hosts;
 *    a new one takes the **lowest free IP** of the pool, or throws
 *    {@link NoAvailableIPsError} when every IP is held. The status is
 *    `{ingress: [{ip, ipMode: 'VIP'}]}`: a VIP-style load balancer, whose IP kube-proxy
 *    captures on every node.
 * 2. `updateLoadBalancer` records `update` and the call's hosts, and sets the hosts of
 *    an existing load balancer.
 * 3. `ensureLoadBalancerDeleted` records `delete`, removes the load balancer and frees
 *    its IP at once; deleting one that does not exist succeeds.
 * 4. `getLoadBalancer` records nothing (as in Kubernetes' fake).
 * 5. {@link failWith} makes one method throw the given error until cleared; a failing
 *    call is still recorded, and changes nothing.
 *
 * Simplified: `spec.loadBalancerIP` (deprecated) is ignored; IPs come from the pool only.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/fake/fake.go
 */
export class FakeCloud implements LoadBalancer {
  /** Calls in order: `create` (ensure), `update`, `delete`. */
  readonly calls: FakeCloudCall[] = []
  /** Every `updateLoadBalancer` call, in order. */
  readonly updateCalls: UpdateBalancerCall[] = []

  constructor(readonly pool: AddressPool = LOAD_BALANCER_POOL) {
    // TODO(kata 08): refuse a pool that is not a range of one IP family, first ≤ last
    // (InvalidPoolError); keep its bounds, and whatever bookkeeping you need: which IP
    // each load balancer holds, and each load balancer by name.
  }

  /** Makes `method` throw `error` from now on; `undefined` makes it work again. */
  failWith(method: FakeCloudMethod, error: Error | undefined): void {
    // TODO(kata 08): remember (or forget) the error for this method.
    throw new Error('kata 08-loadbalancer: FakeCloud.failWith is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** A copy of the load balancer named `name`, if the cloud holds one: changing it changes nothing in the cloud. */
  balancer(name: string): Balancer | undefined {
    // TODO(kata 08): a copy of the load balancer with that name.
    throw new Error('kata 08-loadbalancer: FakeCloud.balancer is not implemented yet — see lessons/08-loadbalancer.md')
  }

  /** Copies of every load balancer the cloud holds, lowest IP first. */
  balancers(): Balancer[] {
    // TODO(kata 08): copies of all load balancers, lowest IP first.
    throw new Error('kata 08-loadbalancer: FakeCloud.balancers is not implemented yet — see lessons/08-loadbalancer.md')
  }

  getLoadBalancer(_clusterName: string, service: Service): LoadBalancerLookup {
    // TODO(kata 08): exists and status of the load balancer named after the service.
    throw new Error('kata 08-loadbalancer: FakeCloud.getLoadBalancer is not implemented yet — see lessons/08-loadbalancer.md')
  }

  getLoadBalancerName(_clusterName: string, service: Service): string {
    // TODO(kata 08): the default load-balancer name.
    throw new Error('kata 08-loadbalancer: FakeCloud.getLoadBalancerName is not implemented yet — see lessons/08-loadbalancer.md')
  }

  ensureLoadBalancer(_clusterName: string, service: Service, nodes: readonly Node[]): LoadBalancerStatus {
    // TODO(kata 08): record "create"; keep the IP of an existing load balancer, else take the lowest free one.
    throw new Error('kata 08-loadbalancer: FakeCloud.ensureLoadBalancer is not implemented yet — see lessons/08-loadbalancer.md')
  }

  updateLoadBalancer(_clusterName: string, service: Service, nodes: readonly Node[]): void {
    // TODO(kata 08): record "update" and the hosts; set the hosts of an existing load balancer.
    throw new Error('kata 08-loadbalancer: FakeCloud.updateLoadBalancer is not implemented yet — see lessons/08-loadbalancer.md')
  }

  ensureLoadBalancerDeleted(_clusterName: string, service: Service): void {
    // TODO(kata 08): record "delete"; forget the load balancer and free its IP.
    throw new Error('kata 08-loadbalancer: FakeCloud.ensureLoadBalancerDeleted is not implemented yet — see lessons/08-loadbalancer.md')
  }
}
