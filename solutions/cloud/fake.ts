// A fake cloud for the course's kind-like cluster: it "creates" load balancers by
// handing out IPs from a pool (172.18.255.200–172.18.255.250 by default, like
// MetalLB or cloud-provider-kind on a kind cluster) and remembers which IP belongs to
// which load balancer. Like Kubernetes' own fake cloud it records the calls made to
// it and can be told to fail, so the service controller's error paths can be seen.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/fake/fake.go
import type { LoadBalancerStatus, Node, Service, ServicePort } from 'kubernetes-types/core/v1'
import { LOAD_BALANCER_POOL } from '../../lib/cluster/defaults.ts'
import { familyOf, formatIP, fromBigInt, parseIP, toBigInt, type Family } from '../../lib/net/ipint.ts'
import { defaultLoadBalancerName, type LoadBalancer, type LoadBalancerLookup } from './provider.ts'

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

function keyOf(service: Service): string {
  // Stryker disable next-line OptionalChaining,StringLiteral: every Service the API server holds has a namespace and a name
  return `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`
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
  private readonly byName = new Map<string, Balancer>()
  /** IP as a number → load-balancer name. */
  private readonly held = new Map<bigint, string>()
  private readonly failures = new Map<FakeCloudMethod, Error | undefined>()
  private readonly first: bigint
  private readonly last: bigint
  private readonly family: Family

  constructor(readonly pool: AddressPool = LOAD_BALANCER_POOL) {
    const first = parseIP(pool.first)
    const last = parseIP(pool.last)
    if (!first || !last || familyOf(first) !== familyOf(last) || toBigInt(first) > toBigInt(last)) {
      throw new InvalidPoolError(pool)
    }
    this.first = toBigInt(first)
    this.last = toBigInt(last)
    this.family = familyOf(first)
  }

  /** Makes `method` throw `error` from now on; `undefined` makes it work again. */
  failWith(method: FakeCloudMethod, error: Error | undefined): void {
    this.failures.set(method, error)
  }

  /** A copy of the load balancer named `name`, if the cloud holds one: changing it changes nothing in the cloud. */
  balancer(name: string): Balancer | undefined {
    const b = this.byName.get(name)
    return b && structuredClone(b)
  }

  /** Copies of every load balancer the cloud holds, lowest IP first. */
  balancers(): Balancer[] {
    return [...this.held.entries()]
      .sort(([a], [b]) => Number(a - b)) // only the sign counts, and a huge IPv6 difference keeps it
      .map(([, name]) => structuredClone(this.byName.get(name)!))
  }

  getLoadBalancer(_clusterName: string, service: Service): LoadBalancerLookup {
    this.maybeFail('get')
    const b = this.byName.get(defaultLoadBalancerName(service))
    return b ? { status: statusOf(b.ip), exists: true } : { status: undefined, exists: false }
  }

  getLoadBalancerName(_clusterName: string, service: Service): string {
    return defaultLoadBalancerName(service)
  }

  ensureLoadBalancer(_clusterName: string, service: Service, nodes: readonly Node[]): LoadBalancerStatus {
    this.calls.push('create')
    this.maybeFail('ensure')
    const name = defaultLoadBalancerName(service)
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: validation requires ports on a LoadBalancer Service, whose spec the API server defaults
    const ports = structuredClone(service.spec?.ports ?? [])
    const nodePorts = ports.flatMap((p) => (p.nodePort ? [p.nodePort] : []))
    // Stryker disable next-line OptionalChaining,StringLiteral: every Node the API server holds has a name
    const hosts = nodes.map((n) => n.metadata?.name ?? '')
    const existing = this.byName.get(name)
    if (existing) {
      Object.assign(existing, { service: keyOf(service), ports, nodePorts, hosts })
      return statusOf(existing.ip)
    }
    const ip = this.lowestFree()
    if (ip === undefined) throw new NoAvailableIPsError(this.pool)
    const text = formatIP(fromBigInt(ip, this.family))
    this.held.set(ip, name)
    this.byName.set(name, { name, service: keyOf(service), ip: text, ports, nodePorts, hosts })
    return statusOf(text)
  }

  updateLoadBalancer(_clusterName: string, service: Service, nodes: readonly Node[]): void {
    this.calls.push('update')
    // Stryker disable next-line OptionalChaining,StringLiteral: every Node the API server holds has a name
    const hosts = nodes.map((n) => n.metadata?.name ?? '')
    this.updateCalls.push({ service: keyOf(service), hosts: [...hosts] })
    this.maybeFail('update')
    const b = this.byName.get(defaultLoadBalancerName(service))
    if (b) b.hosts = hosts
  }

  ensureLoadBalancerDeleted(_clusterName: string, service: Service): void {
    this.calls.push('delete')
    this.maybeFail('delete')
    const name = defaultLoadBalancerName(service)
    const b = this.byName.get(name)
    if (!b) return
    this.byName.delete(name)
    this.held.delete(toBigInt(parseIP(b.ip)!))
  }

  private maybeFail(method: FakeCloudMethod): void {
    const err = this.failures.get(method)
    if (err) throw err
  }

  private lowestFree(): bigint | undefined {
    for (let ip = this.first; ip <= this.last; ip++) if (!this.held.has(ip)) return ip
    return undefined
  }
}

function statusOf(ip: string): LoadBalancerStatus {
  return { ingress: [{ ip, ipMode: 'VIP' }] }
}
