// ────────────────────────────────────────────────────────────────────────
// Kata 01 · core path: you write
//   task 1 (read-manifests): validateService and validateServiceUpdate
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

const utf8 = new TextEncoder()

// ---------------------------------------------------------------------------
// IP syntax, as lenient as the API server's `netutils.ParseIPSloppy`: IPv4
// octets may carry leading zeros (`010.0.0.1` is read as 10.0.0.1).

type IPAddress = ipaddr.IPv4 | ipaddr.IPv6

const inCIDR = (ip: IPAddress, cidr: string) => {
  const [net, bits] = ipaddr.parseCIDR(cidr)
  return ip.kind() === net.kind() && ip.match(net, bits)
}

// ---------------------------------------------------------------------------
// Metadata.

// ---------------------------------------------------------------------------
// The Service.

/**
 * `ValidateService`: every problem with a Service, as the API server reports it
 * on create. Call it on the *defaulted* object (`setDefaultsService`) whose
 * `clusterIPs` the registry has filled from `clusterIP`; an un-defaulted object
 * shows the errors defaulting would have prevented (`spec.type: Required value`).
 *
 * In this order (nothing stops early):
 * 1. metadata: `generateName`, `name` (a DNS-1035 label), `namespace`, labels,
 *    annotations; the two topology annotations must agree when both are set;
 * 2. `spec.ports` required unless headless (`clusterIPs: [None]`) or ExternalName;
 * 3. by type: NodePort/LoadBalancer may not be headless; ExternalName may not have
 *    `clusterIPs`, `ipFamilies` or `ipFamilyPolicy`, and needs an `externalName`
 *    that is a DNS-1123 subdomain once a trailing `.` is removed;
 * 4. each port: `name` required when there are several ports, a DNS-1123 label,
 *    unique; `port` 1–65535; `protocol` one of `SCTP`, `TCP`, `UDP` (case
 *    matters); `targetPort` a port number or an IANA port name; `appProtocol` a
 *    qualified name;
 * 5. `selector`: label keys and values, reported at `spec.selector`;
 * 6. `sessionAffinity` `ClientIP` or `None`; ClientIP needs a timeout in (0, 86400];
 *    None may not have a `sessionAffinityConfig`;
 * 7. `clusterIP`/`clusterIPs`/`ipFamilies`/`ipFamilyPolicy` agree with each other;
 * 8. each `externalIPs` entry is an IP that is not unspecified, loopback or link-local;
 * 9. `type` one of `ClusterIP`, `ExternalName`, `LoadBalancer`, `NodePort`;
 * 10. a ClusterIP Service has no `nodePort`; no two ports share a (protocol, nodePort)
 *    or a (protocol, port) — `Duplicate` on the later one;
 * 11. `loadBalancerSourceRanges` (or its annotation): LoadBalancer only, CIDRs
 *    (spaces around them ignored); `allocateLoadBalancerNodePorts`: LoadBalancer
 *    only, and required there; `loadBalancerClass`: LoadBalancer only;
 * 12. `externalTrafficPolicy` only on externally accessible Services, and required
 *    there; `healthCheckNodePort` only (and always) on a LoadBalancer with policy Local;
 * 13. `internalTrafficPolicy` `Cluster` or `Local`; `trafficDistribution`.
 *
 * The port *range* of `nodePort` and `healthCheckNodePort` (30000–32767) is not
 * checked here: the allocator checks it (kata 07).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validateService(svc: Service): FieldError[] {
  // TODO(kata 01, task 1): run every check of the list above, in that order, appending to one list.
  throw new Error('kata 01-service-object: validateService is not implemented yet — see lessons/01-service-object.md')
}

/**
 * `ValidateServiceUpdate`: the update-only rules, then {@link validateService} on
 * the new object. Both objects are as stored (defaulted, with their IPs).
 *
 * 1. `clusterIPs`: the primary may never change; a secondary may be added, or
 *    released with `ipFamilyPolicy: SingleStack` (`spec.clusterIPs[0]: Invalid
 *    value: ["10.96.0.21"]: may not change once set`). To or from ExternalName,
 *    and headless to headless, anything goes.
 * 2. `ipFamilies`: the same rule.
 * 3. `loadBalancerClass` may not change while the Service stays a LoadBalancer.
 * 4. `healthCheckNodePort` may not change while it is needed (LoadBalancer +
 *    `externalTrafficPolicy: Local`): `Forbidden: field is immutable`.
 *
 * Simplified: the object-meta update rules (immutable name, namespace, uid…) are left out.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validateServiceUpdate(newSvc: Service, oldSvc: Service): FieldError[] {
  // TODO(kata 01, task 1): the update-only rules 1–4 (old vs new), then validateService(newSvc).
  throw new Error('kata 01-service-object: validateServiceUpdate is not implemented yet — see lessons/01-service-object.md')
}
