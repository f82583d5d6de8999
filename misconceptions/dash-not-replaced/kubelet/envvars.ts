// Wrong: the prefix is only upper-cased, so foo-bar gives FOO-BAR_SERVICE_HOST.
import type { Service } from 'kubernetes-types/core/v1'
import { isServiceIPSet, type EnvVar } from '../../../solutions/kubelet/envvars.ts'

export * from '../../../solutions/kubelet/envvars.ts'

export function makeEnvVariableName(name: string): string {
  return name.toUpperCase()
}

// The rest as in the solution, but built on the wrong prefix.
export function makeLinkVariables(service: Service): EnvVar[] {
  const prefix = makeEnvVariableName(service.metadata?.name ?? '')
  const ip = service.spec?.clusterIP ?? ''
  const hostPort = (port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`)
  return (service.spec?.ports ?? []).flatMap((sp, i) => {
    const proto = sp.protocol || 'TCP'
    const url = `${proto.toLowerCase()}://${hostPort(sp.port)}`
    const p = `${prefix}_PORT_${sp.port}_${proto}`
    return [
      ...(i === 0 ? [{ name: `${prefix}_PORT`, value: url }] : []),
      { name: p, value: url },
      { name: `${p}_PROTO`, value: proto.toLowerCase() },
      { name: `${p}_PORT`, value: String(sp.port) },
      { name: `${p}_ADDR`, value: ip },
    ]
  })
}

export function fromServices(services: readonly Service[]): EnvVar[] {
  return services.filter(isServiceIPSet).flatMap((s) => {
    const name = makeEnvVariableName(s.metadata?.name ?? '')
    const ports = s.spec?.ports ?? []
    return [
      { name: `${name}_SERVICE_HOST`, value: s.spec?.clusterIP ?? '' },
      { name: `${name}_SERVICE_PORT`, value: String(ports[0]?.port ?? '') },
      ...ports.filter((p) => p.name).map((p) => ({ name: `${name}_SERVICE_PORT_${makeEnvVariableName(p.name!)}`, value: String(p.port) })),
      ...makeLinkVariables(s),
    ]
  })
}
