// ────────────────────────────────────────────────────────────────────────
// Kata 04 · core path: you write
//   task 1 (from-services): makeEnvVariableName and fromServices
// Each is marked TODO(kata 04) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 04`.
// ────────────────────────────────────────────────────────────────────────
// The service environment variables the kubelet gives every container:
// `ORDER_SERVICE_HOST`, `ORDER_SERVICE_PORT`, `ORDER_SERVICE_PORT_<NAME>` and the
// Docker-link variables `ORDER_PORT`, `ORDER_PORT_80_TCP`, `…_PROTO`, `…_PORT`, `…_ADDR`.
import type { Service } from 'kubernetes-types/core/v1'

/**
 * One variable of a container's environment, as the kubelet hands it to the
 * container runtime (`kubecontainer.EnvVar`): a name and its final value.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/container/runtime.go
 */
export interface EnvVar {
  name: string
  value: string
}

/**
 * Whether a Service has a cluster IP (`v1helper.IsServiceIPSet`): `spec.clusterIP`
 * is neither `None` (headless) nor empty (ExternalName, or not yet allocated).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/v1/helper/helpers.go
 */
export function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP ?? ''
  return ip !== 'None' && ip !== ''
}

/**
 * The prefix of a Service's (or a port's) variables.
 *
 * 1. Every `-` becomes `_`.
 * 2. The result is upper-cased.
 *
 * Nothing else changes: Service names are DNS-1035 labels and port names IANA
 * service names, so only lower-case letters, digits and `-` ever arrive here.
 *
 * @example makeEnvVariableName('foo-bar') // 'FOO_BAR'
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/envvars/envvars.go
 */
export function makeEnvVariableName(name: string): string {
  // TODO(kata 04, task 1): turn 'foo-bar' into 'FOO_BAR'.
  throw new Error('kata 04-env-vars: makeEnvVariableName is not implemented yet — see lessons/04-env-vars.md')
}

/**
 * `net.JoinHostPort`: a host that contains a colon (an IPv6 address) is
 * bracketed, so `2001:DB8::` and 8084 give `[2001:DB8::]:8084`.
 *
 * @see https://pkg.go.dev/net#JoinHostPort
 */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * The Docker-link variables of one Service, for every port in spec order.
 *
 * 1. The protocol is the port's `protocol`, or `TCP` when it is empty; it is
 *    lower-case in values (`udp://…`, `_PROTO=udp`) and upper-case in names.
 * 2. The first port alone also gets the bare `{NAME}_PORT` = `<proto>://<host:port>`.
 * 3. Every port gets, under `{NAME}_PORT_{port}_{PROTO}`: the URL itself, then
 *    `_PROTO`, `_PORT` and `_ADDR`.
 * 4. Only the URL uses host:port (IPv6 bracketed); `_ADDR` is the raw cluster IP.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/envvars/envvars.go
 */
export function makeLinkVariables(service: Service): EnvVar[] {
  const prefix = makeEnvVariableName(service.metadata?.name ?? '')
  const ip = service.spec?.clusterIP ?? ''
  const out: EnvVar[] = []
  const ports = service.spec?.ports ?? []
  ports.forEach((sp, i) => {
    const protocol = sp.protocol || 'TCP'
    const url = `${protocol.toLowerCase()}://${joinHostPort(ip, sp.port)}`
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url })
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`
    out.push(
      { name: portPrefix, value: url },
      { name: `${portPrefix}_PROTO`, value: protocol.toLowerCase() },
      { name: `${portPrefix}_PORT`, value: String(sp.port) },
      { name: `${portPrefix}_ADDR`, value: ip },
    )
  })
  return out
}

/**
 * The variables that tell a container where to find these Services
 * (`FromServices`), Service after Service in the order given, each in this exact order:
 *
 * 1. Services without a cluster IP ({@link isServiceIPSet} false: headless `None`,
 *    ExternalName, empty) are skipped.
 * 2. `{NAME}_SERVICE_HOST` = `spec.clusterIP`, where NAME is
 *    {@link makeEnvVariableName}(Service name) (the primary family only: never
 *    `clusterIPs[1]`; an IPv6 address is not bracketed).
 * 3. `{NAME}_SERVICE_PORT` = the first port's `port`, as a decimal string.
 * 4. For every port with a name, in spec order: `{NAME}_SERVICE_PORT_{PORTNAME}` =
 *    its `port`, PORTNAME being {@link makeEnvVariableName}(port name).
 * 5. Then that Service's Docker-link variables ({@link makeLinkVariables}, given).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/envvars/envvars.go
 */
export function fromServices(services: readonly Service[]): EnvVar[] {
  // TODO(kata 04, task 1): NAME_SERVICE_HOST, NAME_SERVICE_PORT, NAME_SERVICE_PORT_<PORTNAME>…, then the link variables.
  throw new Error('kata 04-env-vars: fromServices is not implemented yet — see lessons/04-env-vars.md')
}
