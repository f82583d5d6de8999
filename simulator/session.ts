// One simulated cluster: the model's Cluster plus the log that rebuilds it. Every
// operation that changes the cluster or draws a random number goes through here and is
// recorded with the clock reading it ran at, so replaying the log on the same model and
// seed gives the same cluster, byte for byte.
import type { ApplyResult, ClusterModel, CurlOutput, From, Lookup, Model, PortForwardSession } from './model.ts'

export type Op =
  | { at: number; op: 'apply'; file: string; text: string }
  | { at: number; op: 'delete'; kind: string; namespace: string; name: string; grace?: number }
  | { at: number; op: 'ready'; namespace: string; name: string; ready: boolean }
  | { at: number; op: 'node'; name: string; up: boolean }
  | { at: number; op: 'curl'; from: From; url: string }
  | { at: number; op: 'lookup'; namespace: string; pod: string; name: string; type?: string }
  | { at: number; op: 'port-forward'; namespace: string; resource: string; ports: string[] }

export interface ClusterState {
  version: number
  /** Made anew by every reset: a process holding a live cluster knows whether it is still this one. */
  id: string
  /** Bumped by every write of the file. */
  serial: number
  seed: number
  /** kind workers beside the control plane (default 2: kind-worker, kind-worker2). */
  workers?: number
  /** The model the cluster runs on (`katas cluster use`): solutions, workspace, or a path; none: auto, kata by kata. */
  impl?: string
  clock: 'fixed' | 'wall'
  /** Wall-clock milliseconds when the cluster was created (`clock: 'wall'`). */
  createdAt: number
  /** Seconds added by `katas cluster wait`. */
  offset: number
  /** The cluster's clock, in seconds since it was created, at the last command. */
  now: number
  ops: Op[]
}

/** kube-controller-manager `--node-monitor-period`: how often the node lifecycle controller looks. */
export const NODE_MONITOR_PERIOD = 5

export class Session {
  /** Port-forward sessions, in the order they were started. */
  readonly forwards: PortForwardSession[] = []

  /** The state's id and how many of its ops this cluster has run. */
  private readonly stateId: string
  private seen = 0
  /** A refused operation ran here but is not in the log: a replay of the log would not give this cluster. */
  private diverged = false
  /** Nodes that are down: while any is, time passes in the node lifecycle controller's steps. */
  private readonly down = new Set<string>()

  private constructor(
    readonly model: Model,
    readonly cluster: ClusterModel,
    private state: ClusterState,
  ) {
    this.stateId = state.id
  }

  /** Whether this cluster is `state` as it stands (same cluster, every op run), on the model of `dir`. */
  matches(state: ClusterState, model: Model): boolean {
    return !this.diverged && state.id === this.stateId && state.ops.length === this.seen && model === this.model
  }

  /** Carries on with `state`, a fresh read of the same cluster ({@link matches}). */
  rebind(state: ClusterState): void {
    this.state = state
  }

  get implDir(): string {
    return this.model.dir
  }

  /** A fresh cluster of `model`, with the state's log replayed onto it. */
  static replay(model: Model, state: ClusterState): Session {
    const s = new Session(model, new model.Cluster({ seed: state.seed, ...(state.workers !== undefined ? { nodes: kindNodes(state.workers) } : {}) }), state)
    for (const op of state.ops) {
      s.advanceTo(op.at)
      s.seen++
      try {
        s.perform(op)
      } catch {
        // Accepted when it was logged; a model changed since may refuse it now, and the rest still replays.
      }
    }
    return s
  }

  /**
   * Moves the cluster's clock to `at`. While a node is down, time passes through every
   * multiple of the node lifecycle controller's monitor period, as its loop wakes up then:
   * the node is marked and its pods evicted at the same moments, however the time was
   * split between commands (so a replay and a live cluster agree).
   */
  private advanceTo(at: number): void {
    if (this.down.size > 0) {
      for (let t = Math.floor(this.cluster.now / NODE_MONITOR_PERIOD) * NODE_MONITOR_PERIOD + NODE_MONITOR_PERIOD; t < at; t += NODE_MONITOR_PERIOD) {
        this.cluster.advance(t - this.cluster.now)
      }
    }
    const delta = at - this.cluster.now
    if (delta > 0) this.cluster.advance(delta)
  }

  private perform(op: Op): unknown {
    const c = this.cluster
    switch (op.op) {
      case 'apply':
        return c.apply(op.text, op.file)
      case 'delete':
        return op.grace === undefined ? c.delete(op.kind, op.namespace, op.name) : c.delete(op.kind, op.namespace, op.name, { gracePeriodSeconds: op.grace })
      case 'ready':
        return c.setPodReady(op.namespace, op.name, op.ready)
      case 'node':
        if (op.up) {
          this.down.delete(op.name)
          return c.nodeUp(op.name)
        }
        c.nodeDown(op.name)
        this.down.add(op.name)
        return undefined

      case 'curl':
        return c.curl(op.from, op.url)
      case 'lookup':
        return op.type === undefined ? c.lookup(op.namespace, op.pod, op.name) : c.lookup(op.namespace, op.pod, op.name, op.type)
      case 'port-forward': {
        const pf = c.portForward(op.namespace, op.resource, op.ports)
        this.forwards.push(pf)
        return pf
      }
    }
  }

  /**
   * Runs `op` now and records it when the cluster accepted it. A refused operation
   * (it threw, or an apply whose every object was refused) is not logged: a huge or
   * broken manifest never burdens every later command. It may have drawn random
   * numbers all the same, so this live cluster no longer matches the log, and the
   * next command replays.
   */
  private run<T>(op: Op, accepted: (result: T) => boolean = () => true): T {
    this.advanceTo(op.at)
    let result: T
    try {
      result = this.perform(op) as T
    } catch (err) {
      this.diverged = true
      throw err
    }
    if (accepted(result)) {
      this.state.ops.push(op)
      this.seen++
    } else this.diverged = true
    return result
  }

  private get now(): number {
    return this.state.now
  }

  /** Lets the cluster's clock catch up with the state's (read-only commands). */
  sync(): ClusterModel {
    this.advanceTo(this.now)
    return this.cluster
  }

  apply(text: string, file: string): ApplyResult[] {
    return this.run<ApplyResult[]>({ at: this.now, op: 'apply', file, text }, (results) => results.some((r) => r.ok))
  }
  delete(kind: string, namespace: string, name: string, grace?: number): string {
    return this.run({ at: this.now, op: 'delete', kind, namespace, name, ...(grace !== undefined ? { grace } : {}) })
  }
  setPodReady(namespace: string, name: string, ready: boolean): void {
    this.run({ at: this.now, op: 'ready', namespace, name, ready })
  }
  setNode(name: string, up: boolean): void {
    this.run({ at: this.now, op: 'node', name, up })
  }
  curl(from: From, url: string): CurlOutput {
    return this.run({ at: this.now, op: 'curl', from, url })
  }
  /** A pod's lookup of `name`: getaddrinfo's, or with a `type` the DNS question nslookup asks. */
  lookup(namespace: string, pod: string, name: string, type?: string): Lookup {
    return this.run({ at: this.now, op: 'lookup', namespace, pod, name, ...(type !== undefined ? { type } : {}) })
  }
  portForward(namespace: string, resource: string, ports: string[]): PortForwardSession {
    return this.run({ at: this.now, op: 'port-forward', namespace, resource, ports })
  }
}

/** The nodes of `kind create cluster` with one control plane and `workers` workers (kind names them kind-worker, kind-worker2, …). */
export function kindNodes(workers: number): { name: string; internalIP: string; controlPlane: boolean }[] {
  const nodes = [{ name: 'kind-control-plane', internalIP: '172.18.0.2', controlPlane: true }]
  for (let i = 1; i <= workers; i++) nodes.push({ name: i === 1 ? 'kind-worker' : `kind-worker${i}`, internalIP: `172.18.0.${i + 2}`, controlPlane: false })
  return nodes
}
