// Service validation: the checks the API server runs on every create and update,
// after v1 defaulting, with the field paths and messages `kubectl` prints:
//
//   The Service "order" is invalid: spec.ports[1].name: Required value
//
// Every check runs; nothing stops at the first error. The order of the list is
// the order of the code in `ValidateService`, which is the order kubectl prints.
import ipaddr from 'ipaddr.js' // IP and CIDR syntax: never by hand
import type { ObjectMeta } from 'kubernetes-types/meta/v1'
import type { Service, ServicePort } from 'kubernetes-types/core/v1'
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

/** `ValidatePortNumOrName`: a number is a port number, a string an IANA service name. */
function validatePortNumOrName(port: number | string, p: Path): FieldError[] {
  const msgs = typeof port === 'number' ? isValidPortNum(port) : isValidPortName(port)
  return msgs.map((msg) => invalid(p, port, msg))
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
  // TODO(kata 01): generateName, name, namespace, labels, annotations — in that order, at paths under p.
  throw new Error('kata 01-service-object: validateObjectMeta is not implemented yet — see lessons/01-service-object.md')
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
  // TODO(kata 01): name (required? a DNS-1123 label? a duplicate?), port, protocol, targetPort, appProtocol — in that order.
  throw new Error('kata 01-service-object: validateServicePort is not implemented yet — see lessons/01-service-object.md')
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
  // TODO(kata 01): run every check of the list above, in that order, appending to one list.
  throw new Error('kata 01-service-object: validateService is not implemented yet — see lessons/01-service-object.md')
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
  // TODO(kata 01): the update-only rules 1–4 (old vs new), then validateService(newSvc).
  throw new Error('kata 01-service-object: validateServiceUpdate is not implemented yet — see lessons/01-service-object.md')
}
