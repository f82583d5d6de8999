// ────────────────────────────────────────────────────────────────────────
// Kata 01 · core path: you write
//   task 4 (ports): validateServicePort
// Each is marked TODO(kata 01) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 01`.
// ────────────────────────────────────────────────────────────────────────
// Service validation: the checks the API server runs on every create and update,
// after v1 defaulting, with the field paths and messages `kubectl` prints:
//
//   The Service "order" is invalid: spec.ports[1].name: Required value
//
// Every check runs; nothing stops at the first error. The order of the list is
// the order of the code in `ValidateService`, which is the order kubectl prints.
import ipaddr from 'ipaddr.js'
import type { ObjectMeta } from 'kubernetes-types/meta/v1'
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1'
import {
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
  type FieldError,
} from '../../../../lib/field/errors.ts'
import { newPath, type Path } from '../../../../lib/field/path.ts'
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../../lib/validation/labels.ts'
import { externallyAccessible, needsHealthCheck } from '../v1/defaults.ts'
import { isDNS1123Label, isValidPortName, isValidPortNum, validateServiceName } from './names.ts'

const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const SUPPORTED_SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const SUPPORTED_SESSION_AFFINITY = ['ClientIP', 'None']
const SUPPORTED_TRAFFIC_POLICIES = ['Cluster', 'Local']
const SUPPORTED_IP_FAMILIES = ['IPv4', 'IPv6']
const SUPPORTED_IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack']
// Kubernetes 1.34 (PreferSameTrafficDistribution beta, on by default).
const SUPPORTED_TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameNode', 'PreferSameZone']
/** `core.MaxClientIPServiceAffinitySeconds`: one day. */
const MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 86400
/** `TotalAnnotationSizeLimitB`: keys and values together, 256 KiB. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

const ANNOTATION_LB_SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges'
const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode'
const ANNOTATION_TOPOLOGY_AWARE_HINTS = 'service.kubernetes.io/topology-aware-hints'

const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'

const utf8 = new TextEncoder()

// ---------------------------------------------------------------------------
// IP syntax, as lenient as the API server's `netutils.ParseIPSloppy`: IPv4
// octets may carry leading zeros (`010.0.0.1` is read as 10.0.0.1).

type IPAddress = ipaddr.IPv4 | ipaddr.IPv6

function parseIPSloppy(text: string): IPAddress | undefined {
  if (/^\d+(\.\d+){3}$/.test(text)) {
    const octets = text.split('.').map(Number)
    return octets.every((o) => o <= 255) ? new ipaddr.IPv4(octets) : undefined
  }
  // Go's parser takes no zone (`%eth0`); an IPv4-mapped IPv6 address counts as IPv4.
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined
  const v6 = ipaddr.IPv6.parse(text)
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6
}

function isValidCIDRSloppy(text: string): boolean {
  const slash = text.indexOf('/')
  if (slash < 0) return false
  const addr = text.slice(0, slash)
  const prefix = text.slice(slash + 1)
  if (!parseIPSloppy(addr) || !/^\d+$/.test(prefix)) return false
  return Number(prefix) <= (addr.includes(':') ? 128 : 32)
}

function isIPv6String(text: string): boolean {
  return parseIPSloppy(text)?.kind() === 'ipv6'
}

/** `validation.IsValidIP`. */
function validateIP(p: Path, value: string): FieldError[] {
  return parseIPSloppy(value) ? [] : [invalid(p, value, IP_MESSAGE)]
}

/** `validation.IsValidCIDR`. */
function validateCIDR(p: Path, value: string): FieldError[] {
  return isValidCIDRSloppy(value) ? [] : [invalid(p, value, CIDR_MESSAGE)]
}

const inCIDR = (ip: IPAddress, cidr: string) => {
  const [net, bits] = ipaddr.parseCIDR(cidr)
  return ip.kind() === net.kind() && ip.match(net, bits)
}

/**
 * `ValidateNonSpecialIP`: an external IP may not be unspecified, loopback,
 * link-local or link-local multicast. Each rule that applies adds an error.
 */
function validateNonSpecialIP(value: string, p: Path): FieldError[] {
  const ip = parseIPSloppy(value)! // the caller checked its syntax first
  const bytes = ip.toByteArray()
  const errs: FieldError[] = []
  if (bytes.every((b) => b === 0)) errs.push(invalid(p, value, `may not be unspecified (${value})`))
  if (ip.kind() === 'ipv4' ? bytes[0] === 127 : ip.toNormalizedString() === '0:0:0:0:0:0:0:1') {
    errs.push(invalid(p, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'))
  }
  if (inCIDR(ip, '169.254.0.0/16') || inCIDR(ip, 'fe80::/10')) {
    errs.push(invalid(p, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'))
  }
  // Go's IsLinkLocalMulticast: 224.0.0.0/24, or an IPv6 multicast address of link-local scope (ffX2::).
  const linkLocalMulticast = ip.kind() === 'ipv4' ? inCIDR(ip, '224.0.0.0/24') : bytes[0] === 0xff && (bytes[1]! & 0x0f) === 0x02
  if (linkLocalMulticast) {
    errs.push(invalid(p, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'))
  }
  return errs
}

// ---------------------------------------------------------------------------
// Metadata.

/** `ValidateLabels`: every problem is reported at the map's own path (`spec.selector`), not per key. */
function validateLabels(labels: Record<string, string> | undefined, p: Path): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(p, k, msg))
    for (const msg of isValidLabelValue(v)) errs.push(invalid(p, v, msg))
  }
  return errs
}

/** `ValidateAnnotations`: keys are qualified names (case ignored), 256 KiB in total. */
function validateAnnotations(annotations: Record<string, string> | undefined, p: Path): FieldError[] {
  const errs: FieldError[] = []
  let size = 0
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(p, k, msg))
    size += utf8.encode(k).length + utf8.encode(v).length
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(p, TOTAL_ANNOTATION_SIZE_LIMIT))
  return errs
}

/**
 * `ValidateObjectMeta` for a namespaced object named by `validateServiceName`, as the
 * API server sees it: after it has filled in the namespace from the request and
 * generated a name from `generateName`. The problems under `p` (`metadata`), in order:
 * 1. `generateName`, when set: each problem of `validateServiceName(generateName, true)`
 *    → `metadata.generateName: Invalid value: "<value>": <problem>`;
 * 2. `name` missing → `metadata.name: Required value: name or generateName is required`;
 *    else each problem of `validateServiceName(name, false)` → `metadata.name: Invalid value: …`;
 * 3. `namespace` missing → `metadata.namespace: Required value`; else each problem of
 *    `isDNS1123Label(namespace)` → `metadata.namespace: Invalid value: …`;
 * 4. `labels`: each key a qualified name, each value a label value, reported at `metadata.labels`;
 * 5. `annotations`: each key a qualified name (case ignored), all of them at most 256 KiB
 *    (`metadata.annotations: Too long: may not be more than 262144 bytes`).
 *
 * Simplified: generation, owner references, finalizers and managed fields are not checked.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/api/validation/objectmeta.go
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, p: Path): FieldError[] {
  const errs: FieldError[] = []
  const generateName = meta?.generateName ?? ''
  if (generateName) {
    for (const msg of validateServiceName(generateName, true)) errs.push(invalid(p.child('generateName'), generateName, msg))
  }
  const name = meta?.name ?? ''
  if (!name) errs.push(required(p.child('name'), 'name or generateName is required'))
  else for (const msg of validateServiceName(name, false)) errs.push(invalid(p.child('name'), name, msg))
  const namespace = meta?.namespace ?? ''
  if (!namespace) errs.push(required(p.child('namespace')))
  else for (const msg of isDNS1123Label(namespace)) errs.push(invalid(p.child('namespace'), namespace, msg))
  errs.push(...validateLabels(meta?.labels, p.child('labels')))
  errs.push(...validateAnnotations(meta?.annotations, p.child('annotations')))
  return errs
}

// ---------------------------------------------------------------------------
// The Service.

function isHeadless(spec: ServiceSpec): boolean {
  const ips = spec.clusterIPs ?? []
  return ips.length === 1 && ips[0] === 'None'
}

/** `ValidatePortNumOrName`: a number is a port number, a string an IANA service name. */
function validatePortNumOrName(port: number | string, p: Path): FieldError[] {
  const msgs = typeof port === 'number' ? isValidPortNum(port) : isValidPortName(port)
  return msgs.map((msg) => invalid(p, port, msg))
}

/** `ValidateQualifiedName`. */
function validateQualifiedName(value: string, p: Path): FieldError[] {
  return isQualifiedName(value).map((msg) => invalid(p, value, msg))
}

/**
 * `validateServicePort`: the problems with one port of a Service, `sp`, whose path is
 * `p` (`spec.ports[i]`). `validateService` calls it for every port in order, with
 * `requireName` true when the Service has more than one port and one `names` set shared
 * by all of them. In this order, each failing rule adding its error:
 *
 * 1. `name`: empty with `requireName` → `spec.ports[i].name: Required value`. A name that
 *    is set: each problem of `isDNS1123Label(name)` → `Invalid value: "<name>": <problem>`;
 *    then, if `names` already holds it, `Duplicate value: "<name>"`, else add it to `names`.
 * 2. `port` (unset counts as 0): each problem of `isValidPortNum(port)` →
 *    `spec.ports[i].port: Invalid value: 0: must be between 1 and 65535, inclusive`.
 * 3. `protocol`: empty → `Required value`; not exactly one of `SUPPORTED_PORT_PROTOCOLS`
 *    (case matters) → `notSupported`: `Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`.
 * 4. `targetPort` (unset counts as 0): a number gets each problem of `isValidPortNum`, a
 *    string (a port name) each problem of `isValidPortName` → `Invalid value: <targetPort>:
 *    <problem>` (`"HTTP"` breaks two rules: two errors); the given `validatePortNumOrName`
 *    does exactly this. A numeric targetPort need not equal `port`, nor match any containerPort.
 * 5. `appProtocol`, when set: each problem of `isQualifiedName` → `Invalid value: "<value>": <problem>`
 *    (the given `validateQualifiedName`).
 *
 * Build the errors with `required`, `invalid`, `duplicate` and `notSupported`
 * (lib/field/errors.ts), and their paths with `p.child('name')` and so on. A headless
 * Service's ports are checked the same way: the v1 API has always tolerated any targetPort there.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, p: Path): FieldError[] {
  // TODO(kata 01, task 4): name (required? a DNS-1123 label? a duplicate?), port, protocol, targetPort, appProtocol — in that order.
  throw new Error('kata 01-service-object: validateServicePort is not implemented yet — see lessons/01-service-object.md')
}

/** `validateClientIPAffinityConfig` and `validateAffinityTimeout`. */
function validateClientIPAffinityConfig(spec: ServiceSpec, p: Path): FieldError[] {
  const detail = 'when session affinity type is ClientIP'
  const config = spec.sessionAffinityConfig
  if (!config) return [required(p, detail)]
  if (!config.clientIP) return [required(p.child('clientIP'), detail)]
  const timeout = config.clientIP.timeoutSeconds
  const tp = p.child('clientIP', 'timeoutSeconds')
  if (timeout == null) return [required(tp, detail)]
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS) {
    return [invalid(tp, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS}`)]
  }
  return []
}

/** `ValidateServiceClusterIPsRelatedFields`: clusterIP vs clusterIPs vs ipFamilies vs ipFamilyPolicy. */
function validateClusterIPsRelatedFields(spec: ServiceSpec): FieldError[] {
  // ExternalName was checked before: all of these must be unset there.
  if (spec.type === 'ExternalName') return []
  const errs: FieldError[] = []
  const clusterIPsPath = newPath('spec', 'clusterIPs')
  const clusterIP = spec.clusterIP ?? ''
  const clusterIPs = spec.clusterIPs ?? []
  const families = spec.ipFamilies ?? []

  if (clusterIP) {
    if (clusterIPs.length === 0) errs.push(required(clusterIPsPath))
    else if (clusterIPs[0] !== clusterIP) errs.push(invalid(clusterIPsPath, clusterIPs, 'first value must match `clusterIP`'))
  } else if (clusterIPs.length > 0) {
    errs.push(invalid(clusterIPsPath, clusterIPs, 'must be empty when `clusterIP` is not specified'))
  }

  const seen = new Set<string>()
  families.forEach((family, i) => {
    const fp = newPath('spec', 'ipFamilies').index(i)
    if (!SUPPORTED_IP_FAMILIES.includes(family)) errs.push(notSupported(fp, family, SUPPORTED_IP_FAMILIES))
    if (seen.has(family)) errs.push(duplicate(fp, family))
    seen.add(family)
  })

  if (spec.ipFamilyPolicy != null && !SUPPORTED_IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported(newPath('spec', 'ipFamilyPolicy'), spec.ipFamilyPolicy, SUPPORTED_IP_FAMILY_POLICIES))
  }

  let hasInvalidIPs = false
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true
        errs.push(invalid(clusterIPsPath, clusterIPs, "'None' must be the first and only value"))
      }
      return
    }
    const ipErrs = validateIP(clusterIPsPath.index(i), ip)
    if (ipErrs.length) hasInvalidIPs = true
    errs.push(...ipErrs)
  })

  if (clusterIPs.length > 2) errs.push(invalid(clusterIPsPath, clusterIPs, 'may only hold up to 2 values'))

  // Further messages about bad IPs would only confuse: stop here.
  if (hasInvalidIPs) return errs

  if (clusterIPs.length > 1) {
    const v6 = clusterIPs.map(isIPv6String)
    if (!(v6.includes(true) && v6.includes(false))) {
      errs.push(invalid(clusterIPsPath, clusterIPs, 'may specify no more than one IP for each IP family'))
    }
  }

  if (!isHeadless(spec)) {
    // An IP past the listed families has no family to match (families[i] is undefined).
    clusterIPs.forEach((ip, i) => {
      if (families[i] === 'IPv4' && isIPv6String(ip)) {
        errs.push(invalid(clusterIPsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``))
      }
      if (families[i] === 'IPv6' && !isIPv6String(ip)) {
        errs.push(invalid(clusterIPsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``))
      }
    })
  }
  return errs
}

/** `validateLoadBalancerClassField`: only on LoadBalancers, a qualified name, and (on update) fixed while LoadBalancer. */
function validateLoadBalancerClassField(oldSpec: ServiceSpec | undefined, spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = []
  const p = newPath('spec', 'loadBalancerClass')
  const cls = spec.loadBalancerClass
  if (oldSpec?.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && (oldSpec.loadBalancerClass ?? null) !== (cls ?? null)) {
    errs.push(invalid(p, cls, 'may not change once set'))
  }
  if (spec.type === 'LoadBalancer') {
    if (cls != null) errs.push(...validateQualifiedName(cls, p))
  } else if (cls != null) {
    errs.push(forbidden(p, "may only be used when `type` is 'LoadBalancer'"))
  }
  return errs
}

/** `validateServiceExternalTrafficPolicy`: `externalTrafficPolicy` and `healthCheckNodePort`. */
function validateServiceExternalTrafficPolicy(svc: Service, spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = []
  const etp = spec.externalTrafficPolicy ?? ''
  const etpPath = newPath('spec', 'externalTrafficPolicy')
  if (!externallyAccessible(svc)) {
    if (etp) errs.push(invalid(etpPath, etp, 'may only be set for externally-accessible services'))
  } else if (!etp) {
    errs.push(required(etpPath))
  } else if (!SUPPORTED_TRAFFIC_POLICIES.includes(etp)) {
    errs.push(notSupported(etpPath, etp, SUPPORTED_TRAFFIC_POLICIES))
  }

  const hcnp = spec.healthCheckNodePort ?? 0
  const hcnpPath = newPath('spec', 'healthCheckNodePort')
  if (!needsHealthCheck(svc)) {
    if (hcnp !== 0) {
      errs.push(invalid(hcnpPath, hcnp, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    }
  } else if (hcnp === 0) {
    errs.push(required(hcnpPath))
  } else {
    for (const msg of isValidPortNum(hcnp)) errs.push(invalid(hcnpPath, hcnp, msg))
  }
  return errs
}

/** `validateServiceInternalTrafficFieldsValue`: required (defaulted) except on ExternalName, where it is tolerated. */
function validateServiceInternalTrafficFieldsValue(spec: ServiceSpec): FieldError[] {
  const itp = spec.internalTrafficPolicy
  const p = newPath('spec', 'internalTrafficPolicy')
  if (itp == null) {
    const type = spec.type ?? ''
    return ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type) ? [required(p)] : []
  }
  return SUPPORTED_TRAFFIC_POLICIES.includes(itp) ? [] : [notSupported(p, itp, SUPPORTED_TRAFFIC_POLICIES)]
}

/** `validateServiceTrafficDistribution`. */
function validateServiceTrafficDistribution(spec: ServiceSpec): FieldError[] {
  const td = spec.trafficDistribution
  if (td == null || SUPPORTED_TRAFFIC_DISTRIBUTIONS.includes(td)) return []
  return [notSupported(newPath('spec', 'trafficDistribution'), td, SUPPORTED_TRAFFIC_DISTRIBUTIONS)]
}

/**
 * `ValidateService`: every problem with a Service, as the API server reports it
 * on create. Call it on the *defaulted* object (`setDefaultsService`) whose
 * `clusterIPs` the registry has filled from `clusterIP`; an un-defaulted object
 * shows the errors defaulting would have prevented (`spec.type: Required value`).
 *
 * In this order (nothing stops early), each error as `<path>: <type>[: <value>][: <detail>]`
 * (`Required value`, `Invalid value`, `Unsupported value: … supported values: …` sorted,
 * `Duplicate value`, `Forbidden`):
 * 1. metadata: `validateObjectMeta(metadata, newPath('metadata'))`; the two topology
 *    annotations must agree when both are set;
 * 2. `spec.ports: Required value` unless headless (`clusterIPs: [None]`) or ExternalName;
 * 3. by type: NodePort/LoadBalancer may not be headless (`spec.clusterIPs[0]: Invalid value:
 *    "None": may not be set to 'None' for NodePort services`); ExternalName may not have
 *    `clusterIPs`, `ipFamilies` or `ipFamilyPolicy` (`spec.clusterIPs: Forbidden: may not be
 *    set for ExternalName services`), and needs an `externalName` (`Required value`) that is a
 *    DNS-1123 subdomain once a trailing `.` is removed (`isDNS1123Subdomain`'s message);
 * 4. each port: `validateServicePort(port, ports.length > 1, names, spec.ports[i])`, one
 *    `names` set for all;
 * 5. `selector`: each problem of a key (`isQualifiedName`) or value (`isValidLabelValue`) as
 *    `spec.selector: Invalid value: "<key or value>": <problem>`;
 * 6. `sessionAffinity`: `Required value`, or not `ClientIP`/`None` → `Unsupported value`;
 *    ClientIP needs `sessionAffinityConfig.clientIP.timeoutSeconds` (`Required value: when
 *    session affinity type is ClientIP` at the first missing level) in (0, 86400]
 *    (`Invalid value: 0: must be greater than 0 and less than 86400`); None may not have
 *    one (`spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None`);
 * 7. `clusterIP`/`clusterIPs`/`ipFamilies`/`ipFamilyPolicy` agree with each other: each
 *    cluster IP is an IP (`spec.clusterIPs[i]: Invalid value: "x": must be a valid IP address,
 *    (e.g. 10.9.8.7 or 2001:db8::ffff)`), `None` only alone (`'None' must be the first and
 *    only value`), at most two (`may only hold up to 2 values`), one per family (`may specify
 *    no more than one IP for each IP family`), each of the family `ipFamilies[i]` names
 *    (``expected an IPv6 value as indicated by `ipFamilies[1]` ``);
 * 8. each `externalIPs` entry is an IP (the same message) that is not unspecified (`may not
 *    be unspecified (0.0.0.0)`), loopback (`may not be in the loopback range (127.0.0.0/8,
 *    ::1/128)`) or link-local (`may not be in the link-local range (169.254.0.0/16, fe80::/10)`);
 * 9. `type`: `Required value`, or `Unsupported value` of `ClusterIP`, `ExternalName`,
 *    `LoadBalancer`, `NodePort`;
 * 10. a ClusterIP Service has no `nodePort` (``spec.ports[i].nodePort: Forbidden: may not be
 *    used when `type` is 'ClusterIP'``); no two ports share a (protocol, nodePort)
 *    (`spec.ports[i].nodePort: Duplicate value: 30001`) or a (protocol, port)
 *    (`spec.ports[i]: Duplicate value: …`) — on the later one;
 * 11. `loadBalancerSourceRanges` (at `spec.LoadBalancerSourceRanges`, capital L; or the
 *    `service.beta.kubernetes.io/load-balancer-source-ranges` annotation, even empty):
 *    LoadBalancer only (``Forbidden: may only be used when `type` is 'LoadBalancer'``), each a
 *    CIDR once trimmed (`Invalid value: "1.2.3.4/33": must be a valid CIDR value, (e.g.
 *    10.9.8.0/24 or 2001:db8::/64)`); `allocateLoadBalancerNodePorts`: LoadBalancer only (the
 *    same Forbidden), and required there (`allocateLoadBalancerNodePorts: Required value`, no
 *    `spec.`); `loadBalancerClass`: LoadBalancer only, a qualified name;
 * 12. `externalTrafficPolicy` only on externally accessible Services (`Invalid value:
 *    "Local": may only be set for externally-accessible services`), required there, and
 *    `Cluster` or `Local`; `healthCheckNodePort` only on a LoadBalancer with policy Local
 *    (``Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and
 *    `externalTrafficPolicy` is 'Local'``), required there and a port number;
 * 13. `internalTrafficPolicy` required (except on ExternalName), `Cluster` or `Local`;
 *    `trafficDistribution` one of its supported values.
 *
 * The port *range* of `nodePort` and `healthCheckNodePort` (30000–32767) is not
 * checked here: the allocator checks it (kata 07).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validateService(svc: Service): FieldError[] {
  const metaPath = newPath('metadata')
  const errs = validateObjectMeta(svc.metadata, metaPath)
  const spec = svc.spec ?? {}
  const annotations = svc.metadata?.annotations ?? {}

  const hints = annotations[ANNOTATION_TOPOLOGY_AWARE_HINTS]
  const mode = annotations[ANNOTATION_TOPOLOGY_MODE]
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    errs.push(
      invalid(
        metaPath.child('annotations').key(ANNOTATION_TOPOLOGY_MODE),
        mode,
        `must match annotations[${ANNOTATION_TOPOLOGY_AWARE_HINTS}] when both are specified`,
      ),
    )
  }

  const specPath = newPath('spec')
  const ports = spec.ports ?? []
  const headless = isHeadless(spec)
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required(specPath.child('ports')))

  switch (spec.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) {
        errs.push(
          invalid(specPath.child('clusterIPs').index(0), spec.clusterIPs![0], `may not be set to 'None' for ${spec.type} services`),
        )
      }
      break
    case 'ExternalName': {
      if ((spec.clusterIPs ?? []).length > 0) errs.push(forbidden(specPath.child('clusterIPs'), 'may not be set for ExternalName services'))
      if ((spec.ipFamilies ?? []).length > 0) errs.push(forbidden(specPath.child('ipFamilies'), 'may not be set for ExternalName services'))
      if (spec.ipFamilyPolicy != null) errs.push(forbidden(specPath.child('ipFamilyPolicy'), 'may not be set for ExternalName services'))
      // A CNAME may end in "." to say it is fully qualified.
      const cname = (spec.externalName ?? '').replace(/\.$/, '')
      const p = specPath.child('externalName')
      if (cname) for (const msg of isDNS1123Subdomain(cname)) errs.push(invalid(p, cname, msg))
      else errs.push(required(p))
      break
    }
  }

  const names = new Set<string>()
  ports.forEach((port, i) => {
    errs.push(...validateServicePort(port, ports.length > 1, names, specPath.child('ports').index(i)))
  })

  errs.push(...validateLabels(spec.selector, specPath.child('selector')))

  const affinity = spec.sessionAffinity ?? ''
  if (!affinity) errs.push(required(specPath.child('sessionAffinity')))
  else if (!SUPPORTED_SESSION_AFFINITY.includes(affinity)) {
    errs.push(notSupported(specPath.child('sessionAffinity'), affinity, SUPPORTED_SESSION_AFFINITY))
  }
  if (affinity === 'ClientIP') {
    errs.push(...validateClientIPAffinityConfig(spec, specPath.child('sessionAffinityConfig')))
  } else if (affinity === 'None' && spec.sessionAffinityConfig != null) {
    errs.push(forbidden(specPath.child('sessionAffinityConfig'), 'must not be set when session affinity is None'))
  }

  errs.push(...validateClusterIPsRelatedFields(spec))

  ;(spec.externalIPs ?? []).forEach((ip, i) => {
    const p = specPath.child('externalIPs').index(i)
    const ipErrs = validateIP(p, ip)
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(ip, p)))
  })

  if (!spec.type) errs.push(required(specPath.child('type')))
  else if (!SUPPORTED_SERVICE_TYPES.includes(spec.type)) {
    errs.push(notSupported(specPath.child('type'), spec.type, SUPPORTED_SERVICE_TYPES))
  }

  if (spec.type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if ((port.nodePort ?? 0) !== 0) {
        errs.push(forbidden(specPath.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"))
      }
    })
  }

  const nodePorts = new Set<string>()
  ports.forEach((port, i) => {
    const nodePort = port.nodePort ?? 0
    if (nodePort === 0) return
    const protocol = port.protocol ?? ''
    const key = `${protocol}/${nodePort}`
    if (nodePorts.has(key)) errs.push(duplicate(specPath.child('ports').index(i).child('nodePort'), nodePort))
    nodePorts.add(key)
  })

  const portKeys = new Set<string>()
  ports.forEach((port, i) => {
    const protocol = port.protocol ?? ''
    const number = port.port ?? 0
    const key = `${protocol}/${number}`
    if (portKeys.has(key)) {
      // The bad value is the internal core.ServicePort used as the map key, only protocol and port set.
      const keyValue = { Name: '', Protocol: protocol, AppProtocol: null, Port: number, TargetPort: 0, NodePort: 0 }
      errs.push(duplicate(specPath.child('ports').index(i), keyValue))
    }
    portKeys.add(key)
  })

  const notLB = "may only be used when `type` is 'LoadBalancer'"
  const sourceRanges = spec.loadBalancerSourceRanges ?? []
  if (sourceRanges.length > 0) {
    const p = specPath.child('LoadBalancerSourceRanges') // sic: capital L, as the API server spells it
    if (spec.type !== 'LoadBalancer') errs.push(forbidden(p, notLB))
    // The values may be padded with spaces, a leftover from the annotation.
    sourceRanges.forEach((value, i) => errs.push(...validateCIDR(p.index(i), value.trim())))
  } else if (annotations[ANNOTATION_LB_SOURCE_RANGES] !== undefined) {
    const p = metaPath.child('annotations').key(ANNOTATION_LB_SOURCE_RANGES)
    if (spec.type !== 'LoadBalancer') errs.push(forbidden(p, notLB))
    const value = annotations[ANNOTATION_LB_SOURCE_RANGES].trim()
    if (value) for (const cidr of value.split(',')) errs.push(...validateCIDR(p, cidr.trim()))
  }

  if (spec.allocateLoadBalancerNodePorts != null && spec.type !== 'LoadBalancer') {
    errs.push(forbidden(specPath.child('allocateLoadBalancerNodePorts'), notLB))
  }
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) {
    errs.push(required(newPath('allocateLoadBalancerNodePorts'))) // sic: no "spec." in the API server either
  }

  errs.push(...validateLoadBalancerClassField(undefined, spec))
  errs.push(...validateServiceExternalTrafficPolicy(svc, spec))
  errs.push(...validateServiceInternalTrafficFieldsValue(spec))
  errs.push(...validateServiceTrafficDistribution(spec))
  return errs
}

/** `validateUpgradeDowngradeClusterIPs`: the primary cluster IP never changes; a secondary may be added or released. */
function validateUpgradeDowngradeClusterIPs(oldSpec: ServiceSpec, spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return []
  if (oldSpec.type === 'ExternalName') return []
  if (isHeadless(oldSpec) && isHeadless(spec)) return []
  const errs: FieldError[] = []
  const oldIPs = oldSpec.clusterIPs ?? []
  const newIPs = spec.clusterIPs ?? []
  const p = newPath('spec', 'clusterIPs')
  if (oldIPs.length === newIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== newIPs[i]) errs.push(invalid(p.index(i), newIPs, 'may not change once set'))
    })
  }
  // Releasing the secondary.
  if (oldIPs.length > newIPs.length) {
    if (newIPs.length === 0) errs.push(invalid(p.index(0), newIPs, 'primary clusterIP can not be unset'))
    if (newIPs.length > 0 && newIPs[0] !== oldIPs[0]) errs.push(invalid(p.index(0), newIPs, 'may not change once set'))
    if (newIPs.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        invalid(newPath('spec', 'ipFamilyPolicy'), spec.ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary clusterIP"),
      )
    }
  }
  // Adding a secondary (the API server also asks that there was a primary: a stored Service always has one).
  if (oldIPs.length < newIPs.length && newIPs[0] !== oldIPs[0]) errs.push(invalid(p.index(0), newIPs, 'may not change once set'))
  return errs
}

/** `validateUpgradeDowngradeIPFamilies`: the same for `ipFamilies` (paths and values as the API server has them). */
function validateUpgradeDowngradeIPFamilies(oldSpec: ServiceSpec, spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return []
  if (oldSpec.type === 'ExternalName') return []
  if (isHeadless(oldSpec) !== isHeadless(spec) || isHeadless(spec)) return []
  const errs: FieldError[] = []
  const oldFamilies = oldSpec.ipFamilies ?? []
  const newFamilies = spec.ipFamilies ?? []
  const clusterIPs = spec.clusterIPs ?? []
  const p = newPath('spec', 'ipFamilies').index(0)
  if (oldFamilies.length === newFamilies.length) {
    oldFamilies.forEach((family, i) => {
      if (family !== newFamilies[i]) errs.push(invalid(p, newFamilies, 'may not change once set'))
    })
  }
  // Releasing the secondary.
  if (oldFamilies.length > newFamilies.length) {
    if (clusterIPs.length === 0) errs.push(invalid(p, newFamilies, 'primary ipFamily can not be unset'))
    if (newFamilies.length > 0 && newFamilies[0] !== oldFamilies[0]) errs.push(invalid(p, clusterIPs, 'may not change once set'))
    if (newFamilies.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        invalid(newPath('spec', 'ipFamilyPolicy'), spec.ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary ipFamily"),
      )
    }
  }
  // Adding a secondary, when there was a primary (a Service stored before dual-stack may have none listed).
  if (oldFamilies.length < newFamilies.length && oldFamilies.length > 0 && newFamilies[0] !== oldFamilies[0]) {
    errs.push(invalid(p, clusterIPs, 'may not change once set'))
  }
  return errs
}

/**
 * `ValidateServiceUpdate`: the update-only rules, then {@link validateService} on
 * the new object. Both objects are as stored (defaulted, with their IPs).
 *
 * 1. `clusterIPs`: the primary may never change (`spec.clusterIPs[0]: Invalid value:
 *    ["10.96.0.21"]: may not change once set`, the value being the new list); a secondary
 *    may be added, or released with `ipFamilyPolicy: SingleStack` (else `spec.ipFamilyPolicy:
 *    Invalid value: "RequireDualStack": must be set to 'SingleStack' when releasing the
 *    secondary clusterIP`). To or from ExternalName, and headless to headless, anything goes.
 * 2. `ipFamilies`: the same rule.
 * 3. `loadBalancerClass` may not change while the Service stays a LoadBalancer
 *    (`spec.loadBalancerClass: Invalid value: "b": may not change once set`).
 * 4. `healthCheckNodePort` may not change while it is needed (LoadBalancer +
 *    `externalTrafficPolicy: Local`): `Forbidden: field is immutable`.
 *
 * Simplified: the object-meta update rules (immutable name, namespace, uid…) are left out.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validateServiceUpdate(newSvc: Service, oldSvc: Service): FieldError[] {
  // Go's spec is a struct, never nil: an object without one has every field unset.
  const oldSpec = oldSvc.spec ?? {}
  const spec = newSvc.spec ?? {}
  const errs = [
    ...validateUpgradeDowngradeClusterIPs(oldSpec, spec),
    ...validateUpgradeDowngradeIPFamilies(oldSpec, spec),
    ...validateLoadBalancerClassField(oldSpec, spec),
  ]
  if (needsHealthCheck(oldSvc) && needsHealthCheck(newSvc)) {
    if ((spec.healthCheckNodePort ?? 0) !== (oldSpec.healthCheckNodePort ?? 0)) {
      errs.push(forbidden(newPath('spec', 'healthCheckNodePort'), 'field is immutable'))
    }
  }
  return [...errs, ...validateService(newSvc)]
}
