// The canonical layout of an Endpoints object's subsets: every controller and the API
// server repack subsets the same way, so two Endpoints can be compared for equality.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1'

/** De-duplication key of an address: its IP and the UID of its `targetRef` ("" when none). */
function addressKey(a: EndpointAddress): string {
  // Stryker disable next-line StringLiteral: any constant keys the addresses without a targetRef alike
  return `${a.ip}\u0000${a.targetRef?.uid ?? ''}`
}

/** Identity of an EndpointPort: Go uses the whole struct as a map key. */
function portKey(p: EndpointPort): string {
  return `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol ?? ''}\u0000${p.appProtocol ?? '\u0001'}`
}

/** A copy of an address deep enough that callers can change it without touching ours. */
function copyAddress(a: EndpointAddress): EndpointAddress {
  return a.targetRef ? { ...a, targetRef: { ...a.targetRef } } : { ...a }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The order of addresses in a subset (`LessEndpointAddress`):
 * 1. by IP as a string, byte by byte — so `10.0.0.10` sorts before `10.0.0.2`;
 * 2. then an address without `targetRef` first;
 * 3. then by `targetRef.uid`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
 */
export function lessEndpointAddress(a: EndpointAddress, b: EndpointAddress): boolean {
  const byIP = compareStrings(a.ip, b.ip)
  // Stryker disable next-line EqualityOperator: byIP is not 0 here, so < 0 and <= 0 agree
  if (byIP !== 0) return byIP < 0
  if (!b.targetRef) return false
  if (!a.targetRef) return true
  return (a.targetRef.uid ?? '') < (b.targetRef.uid ?? '')
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const byIP = compareStrings(a.ip, b.ip)
  if (byIP !== 0) return byIP
  if (!a.targetRef || !b.targetRef) return (a.targetRef ? 1 : 0) - (b.targetRef ? 1 : 0)
  return compareStrings(a.targetRef.uid ?? '', b.targetRef.uid ?? '')
}

// Kubernetes orders ports and subsets by the md5 hash of their content: a stable but
// meaningless order. The model orders them by port number (then name, protocol)
// instead — just as stable, easier to read. Compare subsets and ports as sets.
function comparePorts(a: EndpointPort, b: EndpointPort): number {
  return a.port - b.port || compareStrings(a.name ?? '', b.name ?? '') || compareStrings(portKey(a), portKey(b))
}

function compareSubsets(a: EndpointSubset, b: EndpointSubset): number {
  const pa = a.ports ?? []
  const pb = b.ports ?? []
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = comparePorts(pa[i]!, pb[i]!)
    if (c !== 0) return c
  }
  if (pa.length !== pb.length) return pa.length - pb.length
  return compareStrings(JSON.stringify(a), JSON.stringify(b))
}

/**
 * Sorts subsets in place and returns them (`SortSubsets`): the addresses and not-ready
 * addresses of each subset by {@link lessEndpointAddress}, then ports and subsets in a
 * fixed order (see the note above: Kubernetes' own order is a hash order).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
 */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const s of subsets) {
    s.addresses?.sort(compareAddresses)
    s.notReadyAddresses?.sort(compareAddresses)
    s.ports?.sort(comparePorts)
  }
  return subsets.sort(compareSubsets)
}

/**
 * Rewrites subsets into the canonical layout (`RepackSubsets`); the input is not changed.
 *
 * 1. Expand every subset into (address, port, ready) triples. Addresses are the same
 *    when their IP and `targetRef.uid` are (no `targetRef` = UID ""); the first address
 *    seen for a key is the one kept, with all its fields.
 * 2. For one (address, port): **not ready trumps ready** — once seen in
 *    `notReadyAddresses`, it stays not ready.
 * 3. Ports served by exactly the same addresses, with the same readiness, share one
 *    subset; a port offered by different pods gets a subset of its own.
 * 4. Addresses of a subset without ports are kept, in a subset without ports (a headless
 *    Service may have no ports; since Kubernetes 1.12, kubernetes/kubernetes#67622).
 *    Subsets without addresses vanish.
 * 5. Sort with {@link sortSubsets}.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/endpoints/util.go
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  // Every distinct address gets a number: its position in `addrs`.
  const ids = new Map<string, number>()
  // Stryker disable next-line ArrayDeclaration: ids only index the addresses pushed after it; a stray first entry is never read
  const addrs: EndpointAddress[] = []
  const idOf = (a: EndpointAddress): number => {
    const key = addressKey(a)
    let id = ids.get(key)
    if (id === undefined) {
      id = addrs.length
      ids.set(key, id)
      addrs.push(copyAddress(a))
    }
    return id
  }
  // Port key → the port (undefined for the "no ports" sentinel) and, per address, its readiness.
  const byPort = new Map<string, { port: EndpointPort | undefined; ready: Map<number, boolean> }>()

  for (const subset of subsets) {
    const readyIds = (subset.addresses ?? []).map(idOf)
    const notReadyIds = (subset.notReadyAddresses ?? []).map(idOf)
    if (readyIds.length === 0 && notReadyIds.length === 0) continue
    const ports: (EndpointPort | undefined)[] = subset.ports?.length ? subset.ports : [undefined]
    for (const port of ports) {
      // Stryker disable next-line StringLiteral: any constant that is no port key marks the no-ports sentinel
      const pk = port ? portKey(port) : ''
      let entry = byPort.get(pk)
      if (!entry) byPort.set(pk, (entry = { port: port && { ...port }, ready: new Map() }))
      // Not ready trumps ready: a ready sighting never overwrites an earlier one.
      for (const id of readyIds) if (!entry.ready.has(id)) entry.ready.set(id, true)
      for (const id of notReadyIds) entry.ready.set(id, false)
    }
  }

  // Ports whose (address, ready) sets are identical end up in the same subset.
  const groups = new Map<string, { ready: Map<number, boolean>; ports: EndpointPort[] }>()
  for (const { port, ready } of byPort.values()) {
    const codes: number[] = []
    // Stryker disable next-line ArithmeticOperator: id * 2 - 1 and id * 2 + 1 are both one code per (address, readiness), which is all the key needs
    for (const [id, isReady] of ready) codes.push(id * 2 + (isReady ? 1 : 0))
    const key = codes.sort((a, b) => a - b).join(',')
    let group = groups.get(key)
    if (!group) groups.set(key, (group = { ready, ports: [] }))
    if (port) group.ports.push(port)
  }

  const final: EndpointSubset[] = []
  for (const { ready, ports } of groups.values()) {
    const addresses: EndpointAddress[] = []
    const notReadyAddresses: EndpointAddress[] = []
    for (const [id, isReady] of ready) (isReady ? addresses : notReadyAddresses).push(copyAddress(addrs[id]!))
    final.push({
      ...(addresses.length ? { addresses } : {}),
      ...(notReadyAddresses.length ? { notReadyAddresses } : {}),
      ...(ports.length ? { ports } : {}),
    })
  }
  return sortSubsets(final)
}
