// Wrong on purpose: service port names are resolved, but the numbers are never turned
// into the targetPort.
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { lookupServicePortNumberByName } from '../../../solutions/kubectl/portforward.ts'

export * from '../../../solutions/kubectl/portforward.ts'

export function translateServicePortToTargetPort(ports: readonly string[], svc: Service, _pod: Pod): string[] {
  return ports.map((port) => {
    const parts = port.split(':')
    let [local, remote] = parts.length === 2 ? [parts[0]!, parts[1]!] : [parts[0]!, parts[0]!]
    if (!/^\d+$/.test(remote)) {
      const n = String(lookupServicePortNumberByName(svc, remote))
      if (local === remote) local = n
      remote = n
    }
    return local !== remote ? `${local}:${remote}` : remote
  })
}
