// Kata 01: more rows for the API server's Service validation, on create and on update,
// each a change to BASE (the valid Service of TestValidateServiceCreate). They pin the
// parts of validation.go a learner on the deep track writes and the first tables leave
// open: IP syntax as ParseIPSloppy reads it, external IPs that are special, clusterIP vs
// clusterIPs vs ipFamilies, session affinity, metadata, load-balancer classes, and the
// upgrade/downgrade rules of TestValidateServiceUpdate.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation_test.go
import type { ObjectMeta } from 'kubernetes-types/meta/v1'
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1'

/** A Service whose metadata, spec and ports are always there, so a change can poke at them. */
export type Svc = Service & { metadata: ObjectMeta; spec: ServiceSpec & { ports: ServicePort[] } }

export interface Row {
  /** The row's id (I = invalid, V = valid, U = update); a letter suffix marks a derived vector. */
  id: string
  /** What the row shows, as a sentence. */
  name: string
  change: (s: Svc) => void
  want: string[]
  /**
   * `internal`: not reachable through the v1 API (defaulting would fill the field in),
   * so the un-defaulted object is validated directly, as `TestValidateServiceCreate` does.
   */
  internal?: true
  /** Compare only `<field>: <ErrorType>` (for a bad value whose rendering depends on the release). */
  fieldAndTypeOnly?: true
}

export interface UpdateRow {
  id: string
  name: string
  /** The stored Service: BASE, changed, then defaulted with its clusterIPs filled in. */
  old: (s: Svc) => void
  /** The update, made to a copy of the stored Service. */
  update: (s: Svc) => void
  want: string[]
}

// The API server's detail strings (note the two spaces before "or", from RegexError); the
// check file uses them too.
export const IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
export const CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'
export const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
export const LABELKEY =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
export const LABELVAL =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

export const port0 = (s: Svc): ServicePort => s.spec.ports[0]!

/** Sets a dual-stack pair of cluster IPs with their families and a policy. */
function dualStack(s: Svc, ips: string[], families: string[], policy = 'RequireDualStack'): void {
  s.spec.clusterIP = ips[0]!
  s.spec.clusterIPs = ips
  s.spec.ipFamilies = families
  s.spec.ipFamilyPolicy = policy
}

/** IP and CIDR syntax as the API server's ParseIPSloppy and ParseCIDRSloppy read it. */
export const IP_SYNTAX_ROWS: Row[] = [
  { id: 'I71', name: 'an IPv4 address with a fifth part is not an IP', change: (s) => { s.spec.externalIPs = ['1.2.3.4.5'] }, want: [`spec.externalIPs[0]: Invalid value: "1.2.3.4.5": ${IP}`] },
  { id: 'I72', name: 'an IPv4 octet over 255 is not an IP', change: (s) => { s.spec.clusterIP = '256.0.0.1' }, want: [`spec.clusterIPs[0]: Invalid value: "256.0.0.1": ${IP}`] },
  { id: 'I73', name: 'an IPv6 address with a zone (%eth0) is not an IP to the API server', change: (s) => { s.spec.externalIPs = ['fe80::1%eth0'] }, want: [`spec.externalIPs[0]: Invalid value: "fe80::1%eth0": ${IP}`] },
  { id: 'I74', name: 'three dotted numbers are not an IPv4 address', change: (s) => { s.spec.externalIPs = ['10.0.1'] }, want: [`spec.externalIPs[0]: Invalid value: "10.0.1": ${IP}`] },
  { id: 'I75', name: 'a source range without a prefix length is not a CIDR', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerSourceRanges = ['10.0.0.0'] }, want: [`spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0": ${CIDR}`] },
  { id: 'I76', name: 'an IPv4 source range with a /33 prefix and an IPv6 one with /129 are refused', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerSourceRanges = ['10.0.0.0/33', '2001:db8::/129'] }, want: [`spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": ${CIDR}`, `spec.LoadBalancerSourceRanges[1]: Invalid value: "2001:db8::/129": ${CIDR}`] },
  { id: 'I77', name: 'a source range whose prefix is not a number is refused', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerSourceRanges = ['10.0.0.0/x', '10.0.0.0/8x', '10.0.0.0/+8', '10.0.0.0/1e1', '10.0.0.0/0x8', '10.0.0.0/', 'a10.0.0.0/8'] }, want: [`spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/x": ${CIDR}`, `spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.0/8x": ${CIDR}`, `spec.LoadBalancerSourceRanges[2]: Invalid value: "10.0.0.0/+8": ${CIDR}`, `spec.LoadBalancerSourceRanges[3]: Invalid value: "10.0.0.0/1e1": ${CIDR}`, `spec.LoadBalancerSourceRanges[4]: Invalid value: "10.0.0.0/0x8": ${CIDR}`, `spec.LoadBalancerSourceRanges[5]: Invalid value: "10.0.0.0/": ${CIDR}`, `spec.LoadBalancerSourceRanges[6]: Invalid value: "a10.0.0.0/8": ${CIDR}`] },
  { id: 'V21', name: 'IPv4 octets may carry leading zeros (ParseIPSloppy reads 010.0.0.1 as 10.0.0.1)', change: (s) => { s.spec.externalIPs = ['010.0.0.1'] }, want: [] },
  { id: 'V22', name: 'an octet of exactly 255 is an IP', change: (s) => { s.spec.externalIPs = ['10.0.0.255'] }, want: [] },
  { id: 'V23', name: 'source ranges with prefix /32, /128 and /0 are CIDRs', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerSourceRanges = ['10.0.0.1/32', '2001:db8::1/128', '0.0.0.0/0', '::/0'] }, want: [] },
  { id: 'V24', name: 'an IPv4-mapped IPv6 address is an IPv4 address: it fits ipFamilies [IPv4]', change: (s) => { s.spec.clusterIP = '::ffff:10.96.0.30'; s.spec.ipFamilies = ['IPv4'] }, want: [] },
]

/** External IPs that are not special (ValidateNonSpecialIP), one rule at a time and two at once. */
export const EXTERNAL_IP_ROWS: Row[] = [
  { id: 'I78', name: 'the IPv6 unspecified address :: is refused as an external IP, and named as written', change: (s) => { s.spec.externalIPs = ['::'] }, want: ['spec.externalIPs[0]: Invalid value: "::": may not be unspecified (::)'] },
  { id: 'I79', name: 'the IPv6 loopback ::1 is refused as an external IP', change: (s) => { s.spec.externalIPs = ['::1'] }, want: ['spec.externalIPs[0]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)'] },
  { id: 'I80', name: 'an IPv6 link-local address is refused as an external IP', change: (s) => { s.spec.externalIPs = ['fe80::1'] }, want: ['spec.externalIPs[0]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)'] },
  { id: 'I81', name: 'an IPv4 link-local multicast address (224.0.0.0/24) is refused as an external IP', change: (s) => { s.spec.externalIPs = ['224.0.0.251'] }, want: ['spec.externalIPs[0]: Invalid value: "224.0.0.251": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'] },
  { id: 'I82', name: 'an IPv6 multicast address of link-local scope (ff02::) is refused as an external IP', change: (s) => { s.spec.externalIPs = ['ff02::fb', 'ff12::1'] }, want: ['spec.externalIPs[0]: Invalid value: "ff02::fb": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)', 'spec.externalIPs[1]: Invalid value: "ff12::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'] },
  { id: 'I83', name: 'each external IP is checked at its own index, and a bad one stops at its syntax error', change: (s) => { s.spec.externalIPs = ['1.2.3.4', '127.0.0.2', 'x'] }, want: ['spec.externalIPs[1]: Invalid value: "127.0.0.2": may not be in the loopback range (127.0.0.0/8, ::1/128)', `spec.externalIPs[2]: Invalid value: "x": ${IP}`] },
  { id: 'V25', name: 'multicast outside 224.0.0.0/24 and ff02:: is allowed as an external IP (only link-local multicast is refused)', change: (s) => { s.spec.externalIPs = ['224.0.1.1', 'ff05::2', 'ff01::1', '2002::1', '126.255.255.255', '169.253.0.1'] }, want: [] },
]

/** clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy together (ValidateServiceClusterIPsRelatedFields). */
export const CLUSTER_IP_ROWS: Row[] = [
  { id: 'I84', name: 'a clusterIP with no clusterIPs is refused: clusterIPs is required (an internal object: the registry copies it)', change: (s) => { s.spec.clusterIP = '10.96.0.20' }, want: ['spec.clusterIPs: Required value'], internal: true },
  { id: 'I85', name: 'clusterIPs whose first value is not clusterIP are refused', change: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.clusterIPs = ['10.96.0.21'] }, want: ['spec.clusterIPs: Invalid value: ["10.96.0.21"]: first value must match `clusterIP`'] },
  { id: 'I86', name: 'clusterIPs without a clusterIP are refused', change: (s) => { s.spec.clusterIPs = ['10.96.0.20'] }, want: ['spec.clusterIPs: Invalid value: ["10.96.0.20"]: must be empty when `clusterIP` is not specified'], internal: true },
  { id: 'I87', name: 'an unknown IP family and a repeated one are refused at their index', change: (s) => { s.spec.ipFamilies = ['IPv5', 'IPv4', 'IPv4'] }, want: ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"', 'spec.ipFamilies[2]: Duplicate value: "IPv4"'] },
  { id: 'I88', name: 'an unknown ipFamilyPolicy is refused with the three supported values', change: (s) => { s.spec.ipFamilyPolicy = 'PreferSingleStack' }, want: ['spec.ipFamilyPolicy: Unsupported value: "PreferSingleStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"'] },
  { id: 'I89', name: 'an IPv6 clusterIP where ipFamilies says IPv4 is refused', change: (s) => { s.spec.clusterIP = 'fd00:10:96::20'; s.spec.ipFamilies = ['IPv4'] }, want: ['spec.clusterIPs[0]: Invalid value: "fd00:10:96::20": expected an IPv4 value as indicated by `ipFamilies[0]`'] },
  { id: 'I90', name: 'an IPv4 clusterIP where ipFamilies says IPv6 is refused', change: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.ipFamilies = ['IPv6'] }, want: ['spec.clusterIPs[0]: Invalid value: "10.96.0.20": expected an IPv6 value as indicated by `ipFamilies[0]`'] },
  { id: 'I91', name: 'two IPv6 cluster IPs are not dual-stack', change: (s) => { dualStack(s, ['fd00::1', 'fd00::2'], ['IPv6']) }, want: ['spec.clusterIPs: Invalid value: ["fd00::1","fd00::2"]: may specify no more than one IP for each IP family'] },
  { id: 'I92', name: 'a bad second cluster IP is reported, and nothing about families after it', change: (s) => { dualStack(s, ['10.96.0.20', 'nope'], ['IPv6', 'IPv4']) }, want: [`spec.clusterIPs[1]: Invalid value: "nope": ${IP}`] },
  { id: 'I93', name: 'None as the second cluster IP is not an IP', change: (s) => { dualStack(s, ['10.96.0.20', 'None'], ['IPv4', 'IPv6']) }, want: [`spec.clusterIPs[1]: Invalid value: "None": ${IP}`] },
  { id: 'V26', name: 'a headless Service may list an IP family: None is not checked against it', change: (s) => { s.spec.clusterIP = 'None'; s.spec.ipFamilies = ['IPv6'] }, want: [] },
  { id: 'V27', name: 'an IPv6-first dual-stack Service with families [IPv6, IPv4] is valid', change: (s) => { dualStack(s, ['fd00:10:96::20', '10.96.0.20'], ['IPv6', 'IPv4'], 'PreferDualStack') }, want: [] },
  { id: 'V28', name: 'a dual-stack Service may name only its first family: the second cluster IP is not checked against one', change: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4']) }, want: [] },
  { id: 'V29', name: 'ipFamilyPolicy SingleStack and PreferDualStack are supported on a single-stack Service', change: (s) => { s.spec.ipFamilyPolicy = 'SingleStack'; s.spec.ipFamilies = ['IPv4'] }, want: [] },
]

/** Session affinity, metadata, load-balancer classes and traffic fields: the rules the first tables leave open. */
export const SPEC_ROWS: Row[] = [
  { id: 'I94', name: 'sessionAffinity ClientIP without a config is refused (an internal object: defaulting adds 10800 s)', change: (s) => { s.spec.sessionAffinity = 'ClientIP' }, want: ['spec.sessionAffinityConfig: Required value: when session affinity type is ClientIP'], internal: true },
  { id: 'I95', name: 'sessionAffinity ClientIP with a config but no clientIP is refused', change: (s) => { s.spec.sessionAffinity = 'ClientIP'; s.spec.sessionAffinityConfig = {} }, want: ['spec.sessionAffinityConfig.clientIP: Required value: when session affinity type is ClientIP'], internal: true },
  { id: 'I96', name: 'sessionAffinity ClientIP without timeoutSeconds is refused', change: (s) => { s.spec.sessionAffinity = 'ClientIP'; s.spec.sessionAffinityConfig = { clientIP: {} } }, want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Required value: when session affinity type is ClientIP'], internal: true },
  { id: 'I97', name: 'an empty sessionAffinity is required (an internal object: it is defaulted to None)', change: (s) => { s.spec.sessionAffinity = '' }, want: ['spec.sessionAffinity: Required value'], internal: true },
  { id: 'I98', name: 'a missing type is required (an internal object: it is defaulted to ClusterIP)', change: (s) => { delete s.spec.type }, want: ['spec.type: Required value'], internal: true },
  { id: 'I99', name: 'an unknown type is refused with the four supported types', change: (s) => { s.spec.type = 'Ingress' }, want: ['spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'] },
  { id: 'I100', name: 'labels: a bad key and a bad value are both reported at metadata.labels', change: (s) => { s.metadata.labels = { 'bad key': 'ok', app: 'bad value' } }, want: [`metadata.labels: Invalid value: "bad key": ${LABELKEY}`, `metadata.labels: Invalid value: "bad value": ${LABELVAL}`] },
  { id: 'I101', name: 'annotations: a bad key is refused (case is ignored: Upper/Key is fine)', change: (s) => { s.metadata.annotations = { 'bad key': 'x', 'example.com/Upper-Key': 'y' } }, want: [`metadata.annotations: Invalid value: "bad key": ${LABELKEY}`] },
  { id: 'I102', name: 'annotations over 256 KiB in all are too long', change: (s) => { s.metadata.annotations = { a: 'x'.repeat(128 * 1024), b: 'y'.repeat(128 * 1024) } }, want: ['metadata.annotations: Too long: may not be more than 262144 bytes'] },
  { id: 'V30', name: 'annotations of exactly 256 KiB, keys included, are accepted', change: (s) => { s.metadata.annotations = { a: 'x'.repeat(128 * 1024 - 1), b: 'y'.repeat(128 * 1024 - 1) } }, want: [] },
  { id: 'I103', name: 'the topology annotations must agree when both are set', change: (s) => { s.metadata.annotations = { 'service.kubernetes.io/topology-aware-hints': 'Auto', 'service.kubernetes.io/topology-mode': 'Disabled' } }, want: ['metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Disabled": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified'] },
  { id: 'V31', name: 'the topology annotations may be set alone, or both to the same value', change: (s) => { s.metadata.annotations = { 'service.kubernetes.io/topology-mode': 'Auto' } }, want: [] },
  { id: 'V31c', name: 'the older topology-aware-hints annotation may be set alone', change: (s) => { s.metadata.annotations = { 'service.kubernetes.io/topology-aware-hints': 'Auto' } }, want: [] },
  { id: 'V31b', name: 'both topology annotations set to the same value are accepted', change: (s) => { s.metadata.annotations = { 'service.kubernetes.io/topology-aware-hints': 'Auto', 'service.kubernetes.io/topology-mode': 'Auto' } }, want: [] },
  { id: 'I104', name: 'a loadBalancerClass must be a qualified name', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerClass = 'bad class' }, want: [`spec.loadBalancerClass: Invalid value: "bad class": ${LABELKEY}`] },
  { id: 'V32', name: 'a LoadBalancer may name a loadBalancerClass', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerClass = 'example.com/internal-vip' }, want: [] },
  { id: 'I105', name: 'a LoadBalancer with policy Local needs a healthCheckNodePort (an internal object: the registry allocates it)', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.externalTrafficPolicy = 'Local' }, want: ['allocateLoadBalancerNodePorts: Required value', 'spec.healthCheckNodePort: Required value'], internal: true },
  { id: 'I106', name: 'a NodePort Service needs an externalTrafficPolicy (an internal object: it is defaulted to Cluster)', change: (s) => { s.spec.type = 'NodePort' }, want: ['spec.externalTrafficPolicy: Required value'], internal: true },
  { id: 'I107', name: 'a NodePort Service needs an internalTrafficPolicy too (an internal object)', change: (s) => { s.spec.type = 'NodePort'; s.spec.externalTrafficPolicy = 'Cluster'; delete s.spec.internalTrafficPolicy }, want: ['spec.internalTrafficPolicy: Required value'], internal: true },
  { id: 'V33', name: 'an ExternalName Service needs no internalTrafficPolicy (an internal object)', change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'db.example.com'; delete s.spec.internalTrafficPolicy }, want: [], internal: true },
  { id: 'I108', name: 'an unknown trafficDistribution is refused with the supported values', change: (s) => { s.spec.trafficDistribution = 'Nearest' }, want: ['spec.trafficDistribution: Unsupported value: "Nearest": supported values: "PreferClose", "PreferSameNode", "PreferSameZone"'] },
  { id: 'V34', name: 'trafficDistribution PreferClose, PreferSameZone and PreferSameNode are supported', change: (s) => { s.spec.trafficDistribution = 'PreferSameNode' }, want: [] },
  { id: 'I110', name: 'a Service with no metadata at all has neither name nor namespace (an internal object)', change: (s) => { Reflect.deleteProperty(s, 'metadata') }, want: ['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value'], internal: true },
  { id: 'I111', name: 'a Service with no spec at all is missing every required field (an internal object: Go’s spec is never nil)', change: (s) => { Reflect.deleteProperty(s, 'spec') }, want: ['spec.ports: Required value', 'spec.sessionAffinity: Required value', 'spec.type: Required value'], internal: true },
  { id: 'I112', name: 'None with a second cluster IP is not headless: such a Service still needs ports', change: (s) => { s.spec.clusterIP = 'None'; s.spec.clusterIPs = ['None', '10.96.0.20']; s.spec.ports = [] }, want: ['spec.ports: Required value', "spec.clusterIPs: Invalid value: [\"None\",\"10.96.0.20\"]: 'None' must be the first and only value"] },
  { id: 'I113', name: 'a misplaced None stops the family checks, even with two more IPs of one family', change: (s) => { s.spec.clusterIP = 'None'; s.spec.clusterIPs = ['None', '10.96.0.20', '10.96.0.21'] }, want: ["spec.clusterIPs: Invalid value: [\"None\",\"10.96.0.20\",\"10.96.0.21\"]: 'None' must be the first and only value", 'spec.clusterIPs: Invalid value: ["None","10.96.0.20","10.96.0.21"]: may only hold up to 2 values'] },
  { id: 'I114', name: 'a LoadBalancer needs an internalTrafficPolicy (an internal object)', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.externalTrafficPolicy = 'Cluster'; s.spec.allocateLoadBalancerNodePorts = true; delete s.spec.internalTrafficPolicy }, want: ['spec.internalTrafficPolicy: Required value'], internal: true },
  { id: 'V35', name: 'an ExternalName Service needs no ports', change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'db.example.com'; s.spec.ports = [] }, want: [] },
  { id: 'I115', name: 'the IP families of an ExternalName Service are forbidden, not checked for their values', change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'db.example.com'; s.spec.ipFamilies = ['IPv5'] }, want: ['spec.ipFamilies: Forbidden: may not be set for ExternalName services'] },
  { id: 'I116', name: 'an unknown sessionAffinity with a config is refused for its value only: the config is forbidden only under None', change: (s) => { s.spec.sessionAffinity = 'Sticky'; s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 90 } } }, want: ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'] },
  { id: 'I117', name: 'two ports with the same port number and protocol are a duplicate, shown as the internal ServicePort key', change: (s) => { s.spec.ports = [{ name: 'a', protocol: 'TCP', port: 80, targetPort: 80 }, { name: 'b', protocol: 'TCP', port: 80, targetPort: 81 }] }, want: ['spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}'] },
  { id: 'I118', name: 'two ports without a protocol and the same number are a duplicate with an empty protocol (an internal object)', change: (s) => { s.spec.ports = [{ name: 'a', port: 80, targetPort: 80 }, { name: 'b', port: 80, targetPort: 81 }] }, want: ['spec.ports[0].protocol: Required value', 'spec.ports[1].protocol: Required value', 'spec.ports[1]: Duplicate value: {"Name":"","Protocol":"","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}'], internal: true },
  { id: 'I119', name: 'each range of the source-ranges annotation is checked at the annotation’s path', change: (s) => { s.spec.type = 'LoadBalancer'; s.metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': '1.2.3.0/24, nope' } }, want: [`metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "nope": ${CIDR}`] },
  { id: 'V36', name: 'a namespace of exactly 63 characters is a DNS-1123 label', change: (s) => { s.metadata.namespace = 'n'.repeat(63) }, want: [] },
  { id: 'V37', name: 'a named targetPort of exactly 15 characters is an IANA service name', change: (s) => { port0(s).targetPort = 'abcdefghijklmno' }, want: [] },
  { id: 'I120', name: 'a named targetPort may not end with a hyphen', change: (s) => { port0(s).targetPort = 'http-' }, want: ['spec.ports[0].targetPort: Invalid value: "http-": must not begin or end with a hyphen'] },
  { id: 'V38', name: 'a generateName ending in a hyphen is checked without its last two characters plus a letter (maskTrailingDash): a.- passes', change: (s) => { s.metadata.generateName = 'a.-' }, want: [] },
  { id: 'I121', name: 'a generateName of a single hyphen is not masked, and is refused', change: (s) => { s.metadata.generateName = '-' }, want: [`metadata.generateName: Invalid value: "-": ${DNS1035}`] },
  { id: 'I122', name: 'a generateName that does not end in a hyphen is checked as it is', change: (s) => { s.metadata.generateName = 'orderX' }, want: [`metadata.generateName: Invalid value: "orderX": ${DNS1035}`] },
  { id: 'I109', name: 'an ExternalName Service may carry no clusterIPs, ipFamilies or ipFamilyPolicy', change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'db.example.com'; s.spec.clusterIP = '10.96.0.20'; s.spec.ipFamilies = ['IPv4']; s.spec.ipFamilyPolicy = 'SingleStack' }, want: ['spec.clusterIPs: Forbidden: may not be set for ExternalName services', 'spec.ipFamilies: Forbidden: may not be set for ExternalName services', 'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services'] },
]

/** ValidateServiceUpdate: what may change once a Service is stored. */
export const UPDATE_ROWS: UpdateRow[] = [
  { id: 'U8', name: 'the cluster IP may not be unset once allocated', old: (s) => { s.spec.clusterIP = '10.96.0.20' }, update: (s) => { delete s.spec.clusterIP; s.spec.clusterIPs = [] }, want: ['spec.clusterIPs[0]: Invalid value: []: primary clusterIP can not be unset'] },
  { id: 'U9', name: 'the primary cluster IP may not change while the secondary is released', old: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6']) }, update: (s) => { s.spec.clusterIP = '10.96.0.21'; s.spec.clusterIPs = ['10.96.0.21']; s.spec.ipFamilies = ['IPv4']; s.spec.ipFamilyPolicy = 'SingleStack' }, want: ['spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set'] },
  { id: 'U10', name: 'a secondary cluster IP may be added (upgrade to dual-stack)', old: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.ipFamilies = ['IPv4']; s.spec.ipFamilyPolicy = 'SingleStack' }, update: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6'], 'PreferDualStack') }, want: [] },
  { id: 'U11', name: 'upgrading to dual-stack may not change the primary cluster IP or family', old: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.ipFamilies = ['IPv4']; s.spec.ipFamilyPolicy = 'SingleStack' }, update: (s) => { dualStack(s, ['fd00:10:96::20', '10.96.0.20'], ['IPv6', 'IPv4'], 'PreferDualStack') }, want: ['spec.clusterIPs[0]: Invalid value: ["fd00:10:96::20","10.96.0.20"]: may not change once set', 'spec.ipFamilies[0]: Invalid value: ["fd00:10:96::20","10.96.0.20"]: may not change once set'] },
  { id: 'U12', name: 'the second cluster IP of a dual-stack Service may not change either', old: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6']) }, update: (s) => { s.spec.clusterIPs = ['10.96.0.20', 'fd00:10:96::21'] }, want: ['spec.clusterIPs[1]: Invalid value: ["10.96.0.20","fd00:10:96::21"]: may not change once set'] },
  { id: 'U13', name: 'the IP family of a single-stack Service may not change', old: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.ipFamilies = ['IPv4'] }, update: (s) => { s.spec.ipFamilies = ['IPv6'] }, want: ['spec.ipFamilies[0]: Invalid value: ["IPv6"]: may not change once set', 'spec.clusterIPs[0]: Invalid value: "10.96.0.20": expected an IPv6 value as indicated by `ipFamilies[0]`'] },
  { id: 'U14', name: 'releasing the secondary family needs ipFamilyPolicy SingleStack', old: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6']) }, update: (s) => { s.spec.clusterIPs = ['10.96.0.20', 'fd00:10:96::20']; s.spec.ipFamilies = ['IPv4'] }, want: ["spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": must be set to 'SingleStack' when releasing the secondary ipFamily"] },
  { id: 'U15', name: 'the primary family may not change while the secondary is released', old: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6']) }, update: (s) => { s.spec.clusterIP = 'fd00:10:96::20'; s.spec.clusterIPs = ['fd00:10:96::20']; s.spec.ipFamilies = ['IPv6']; s.spec.ipFamilyPolicy = 'SingleStack' }, want: ['spec.clusterIPs[0]: Invalid value: ["fd00:10:96::20"]: may not change once set', 'spec.ipFamilies[0]: Invalid value: ["fd00:10:96::20"]: may not change once set'] },
  { id: 'U16', name: 'the primary family may not be unset', old: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6']) }, update: (s) => { delete s.spec.clusterIP; s.spec.clusterIPs = []; s.spec.ipFamilies = [] }, want: ['spec.clusterIPs[0]: Invalid value: []: primary clusterIP can not be unset', 'spec.ipFamilies[0]: Invalid value: []: primary ipFamily can not be unset'] },
  { id: 'U17', name: 'a headless Service stays headless: nothing about its IPs is checked', old: (s) => { s.spec.clusterIP = 'None'; s.spec.ipFamilies = ['IPv4'] }, update: (s) => { s.spec.ipFamilies = ['IPv6'] }, want: [] },
  { id: 'U18', name: 'a headless Service may not take a cluster IP', old: (s) => { s.spec.clusterIP = 'None'; s.spec.ipFamilies = ['IPv4'] }, update: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.clusterIPs = ['10.96.0.20'] }, want: ['spec.clusterIPs[0]: Invalid value: ["10.96.0.20"]: may not change once set'] },
  { id: 'U19', name: 'an ExternalName Service may become a ClusterIP Service and take a cluster IP', old: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'db.example.com'; delete s.spec.internalTrafficPolicy }, update: (s) => { s.spec.type = 'ClusterIP'; delete s.spec.externalName; s.spec.clusterIP = '10.96.0.20'; s.spec.clusterIPs = ['10.96.0.20']; s.spec.ipFamilies = ['IPv4']; s.spec.ipFamilyPolicy = 'SingleStack'; s.spec.internalTrafficPolicy = 'Cluster' }, want: [] },
  { id: 'U20', name: 'a loadBalancerClass may be set while a Service becomes a LoadBalancer', old: (s) => { s.spec.clusterIP = '10.96.0.20' }, update: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerClass = 'example.com/internal-vip'; s.spec.allocateLoadBalancerNodePorts = true; s.spec.externalTrafficPolicy = 'Cluster' }, want: [] },
  { id: 'U21', name: 'a LoadBalancer may not gain a loadBalancerClass it did not have', old: (s) => { s.spec.type = 'LoadBalancer'; s.spec.clusterIP = '10.96.0.20' }, update: (s) => { s.spec.loadBalancerClass = 'example.com/internal-vip' }, want: ['spec.loadBalancerClass: Invalid value: "example.com/internal-vip": may not change once set'] },
  { id: 'U22', name: 'the healthCheckNodePort may change when the policy goes from Local to Cluster', old: (s) => { s.spec.type = 'LoadBalancer'; s.spec.externalTrafficPolicy = 'Local'; s.spec.healthCheckNodePort = 30001 }, update: (s) => { s.spec.externalTrafficPolicy = 'Cluster'; delete s.spec.healthCheckNodePort }, want: [] },
  { id: 'U24', name: 'a LoadBalancer may drop its class when it stops being a LoadBalancer', old: (s) => { s.spec.type = 'LoadBalancer'; s.spec.clusterIP = '10.96.0.20'; s.spec.loadBalancerClass = 'example.com/internal-vip' }, update: (s) => { s.spec.type = 'ClusterIP'; delete s.spec.loadBalancerClass; delete s.spec.allocateLoadBalancerNodePorts; delete s.spec.externalTrafficPolicy }, want: [] },
  { id: 'U25', name: 'an update with no spec at all unsets the primary cluster IP and family, and misses every required field', old: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.ipFamilies = ['IPv4'] }, update: (s) => { Reflect.deleteProperty(s, 'spec') }, want: ['spec.clusterIPs[0]: Invalid value: []: primary clusterIP can not be unset', 'spec.ipFamilies[0]: Invalid value: []: primary ipFamily can not be unset', 'spec.ports: Required value', 'spec.sessionAffinity: Required value', 'spec.type: Required value'] },
  { id: 'U26', name: 'a dual-stack Service may release its secondary with SingleStack, keeping both families listed', old: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6']) }, update: (s) => { s.spec.clusterIPs = ['10.96.0.20']; s.spec.ipFamilyPolicy = 'SingleStack' }, want: [] },
  { id: 'U27', name: 'a headless Service may add a family: its IPs and families are not checked on update', old: (s) => { s.spec.clusterIP = 'None'; s.spec.ipFamilies = ['IPv4'] }, update: (s) => { s.spec.clusterIPs = ['None']; s.spec.ipFamilies = ['IPv4', 'IPv6'] }, want: [] },
  { id: 'U28', name: 'an update that keeps the healthCheckNodePort of a LoadBalancer with policy Local is accepted', old: (s) => { s.spec.type = 'LoadBalancer'; s.spec.externalTrafficPolicy = 'Local'; s.spec.healthCheckNodePort = 30001 }, update: (s) => { s.spec.selector = { app: 'order' } }, want: [] },
  { id: 'U29', name: 'a Service stored before dual-stack lists no families; an update may list them, then add a secondary', old: (s) => { s.spec.clusterIP = '10.96.0.20' }, update: (s) => { dualStack(s, ['10.96.0.20', 'fd00:10:96::20'], ['IPv4', 'IPv6'], 'PreferDualStack') }, want: [] },
  { id: 'U30', name: 'a headless Service given a cluster IP: only the cluster IP is faulted, not the family that came with it', old: (s) => { s.spec.clusterIP = 'None'; s.spec.ipFamilies = ['IPv4'] }, update: (s) => { s.spec.clusterIP = 'fd00:10:96::20'; s.spec.clusterIPs = ['fd00:10:96::20']; s.spec.ipFamilies = ['IPv6'] }, want: ['spec.clusterIPs[0]: Invalid value: ["fd00:10:96::20"]: may not change once set'] },
  { id: 'U23', name: 'an update is validated as a whole Service too: a bad new port is reported after the update rules', old: (s) => { s.spec.clusterIP = '10.96.0.20' }, update: (s) => { s.spec.clusterIP = '10.96.0.21'; s.spec.clusterIPs = ['10.96.0.21']; port0(s).port = 0 }, want: ['spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set', 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'] },
]
