// Kata 01 — The Service object: reading manifests, v1 defaulting, and the API
// server's validation. Vectors from validation_test.go (TestValidateServiceCreate,
// TestValidateServiceUpdate), apimachinery's TestIsValidPortName and TestIsDNS1035Label;
// each row carries an id (I = invalid, V = valid, U = update).
import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { ObjectMeta } from 'kubernetes-types/meta/v1'
import type { Service, ServicePort, ServiceSpec, ServiceStatus } from 'kubernetes-types/core/v1'
import { decodeService, ManifestError, readManifests } from '@impl/api/manifests.ts'
import {
  DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS,
  externallyAccessible,
  needsHealthCheck,
  setDefaultsService,
} from '@impl/api/core/v1/defaults.ts'
import { validateObjectMeta, validateService, validateServicePort, validateServiceUpdate } from '@impl/api/core/validation/validation.ts'
import {
  isDNS1035Label,
  isDNS1123Label,
  isValidPortName,
  isValidPortNum,
  validateServiceName,
} from '@impl/api/core/validation/names.ts'
import { formatInvalid, type FieldError } from '../lib/field/errors.ts'
import { newPath } from '../lib/field/path.ts'
import { bullets, listDiff } from './support/explain.ts'
import {
  CIDR,
  CLUSTER_IP_ROWS,
  DNS1035,
  EXTERNAL_IP_ROWS,
  IP,
  IP_SYNTAX_ROWS,
  LABELKEY,
  LABELVAL,
  port0,
  SPEC_ROWS,
  UPDATE_ROWS,
  type Row,
  type Svc,
  type UpdateRow,
} from './support/service-validation-rows.ts'
import { cases } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('01-service-object')

// ---------------------------------------------------------------------------
// More of the API server's detail strings (the IP, CIDR, DNS-1035 and label ones come with the rows).

const DNS1123L =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS1123S =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const RANGE = 'must be between 1 and 65535, inclusive'
const ONLY_ALNUM = 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'
const ONE_LETTER = 'must contain at least one letter (a-z)'
const NOT_LB = "may only be used when `type` is 'LoadBalancer'"
const VALIDATE_OFF = 'if you choose to ignore these errors, turn validation off with --validate=false'

// ---------------------------------------------------------------------------
// The table helper: BASE of §3.2 plus "a change to BASE", as the facts table reads.

/** §3.2 BASE (`TestValidateServiceCreate`'s valid Service), already in its defaulted form. */
const BASE: Svc = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'valid', namespace: 'valid' },
  spec: {
    type: 'ClusterIP',
    selector: { key: 'val' },
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ports: [{ name: 'p', protocol: 'TCP', port: 8675, targetPort: 8675 }],
  },
}

function fromBase(change: (s: Svc) => void): Svc {
  const s = structuredClone(BASE)
  change(s)
  return s
}


/**
 * What the API server validates on create: the v1 defaults, then the registry
 * copies `clusterIP` into an empty `clusterIPs` (kata 06 allocates the rest).
 */
function asCreated(svc: Service): Service {
  const s = setDefaultsService(svc)
  if (s.spec?.clusterIP && !s.spec.clusterIPs?.length) s.spec.clusterIPs = [s.spec.clusterIP]
  return s
}

const errorStrings = (errs: readonly FieldError[]) => errs.map(String)

function explainErrors(what: string, want: readonly string[], got: readonly string[]): string {
  const diff = listDiff(want, got)
  return `${what}\nthe API server answers:\n${bullets(want)}\nyour model answers:\n${bullets(got)}${diff ? `\n${diff}` : ''}`
}

function runRows(rows: Row[]): void {
  const names = rows.map((r) => `${r.id}: ${r.name}`)
  rows.forEach((row, i) => {
    test(names[i]!, () => {
      const svc = fromBase(row.change)
      const errs = validateService(row.internal ? svc : asCreated(svc))
      const got = row.fieldAndTypeOnly ? errs.map((e) => `${e.field}: ${e.type}`) : errorStrings(errs)
      const what = `validating Service "${(svc as Service).metadata?.name ?? ''}" (${row.id}, BASE with a change${row.internal ? ', not defaulted' : ''})`
      expect(got, explainErrors(what, row.want, got)).toEqual(row.want)
    })
  })
}

/** Catches the ManifestError a call must throw; anything else (a stub's Error) fails the test. */
function manifestError(fn: () => unknown): ManifestError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ManifestError) return err
    throw err
  }
  throw new Error('expected kubectl to refuse this manifest (a ManifestError), but it was accepted')
}

const lines = (...ls: string[]) => ls.join('\n') + '\n'

// A valid single-port Service as a user writes it (fields left out or set).
const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/)
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const userService = fc
  .record({
    name: dnsLabel,
    namespace: dnsLabel,
    portName: optional(fc.constantFrom('http', 'web', 'p')),
    port: fc.integer({ min: 1, max: 65535 }),
    targetPort: optional(fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom('http', 'metrics', 'pop3', 're-mail-ck', ''))),
    protocol: optional(fc.constantFrom('TCP', 'UDP', 'SCTP')),
    type: optional(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName')),
    sessionAffinity: optional(fc.constantFrom('None', 'ClientIP')),
    timeoutSeconds: optional(fc.integer({ min: 1, max: 86400 })),
    selector: fc.boolean(),
    local: fc.boolean(),
  })
  .map((o): Service => {
    const spec: ServiceSpec = {
      ports: [
        {
          port: o.port,
          ...(o.portName !== undefined ? { name: o.portName } : {}),
          ...(o.targetPort !== undefined ? { targetPort: o.targetPort } : {}),
          ...(o.protocol !== undefined ? { protocol: o.protocol } : {}),
        },
      ],
    }
    if (o.type !== undefined) spec.type = o.type
    if (o.type === 'ExternalName') spec.externalName = 'db.example.com'
    if (o.local && (o.type === 'NodePort' || o.type === 'LoadBalancer')) spec.externalTrafficPolicy = 'Local'
    // The registry allocates a health-check node port for a LoadBalancer with policy Local.
    if (o.local && o.type === 'LoadBalancer') spec.healthCheckNodePort = 30001
    if (o.sessionAffinity !== undefined) spec.sessionAffinity = o.sessionAffinity
    if (o.timeoutSeconds !== undefined) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: o.timeoutSeconds } }
    if (o.selector) spec.selector = { app: o.name }
    return { apiVersion: 'v1', kind: 'Service', metadata: { name: o.name, namespace: o.namespace }, spec }
  })

// ---------------------------------------------------------------------------
// Manifests: the order Service as kubectl reads it, and what decoding refuses.

const ORDER = lines(
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: order',
  '  namespace: snackbar',
  'spec:',
  '  selector:',
  '    app: order',
  '  ports:',
  '  - port: 80',
  '    targetPort: 8080',
)
/** kubectl reads the file (given: readManifests), the API server decodes the one object. */
const decodeOne = (text: string, file = 'order.yaml') => decodeService(readManifests(text, file)[0]!)
const badRequest = (file: string, jsonError: string) =>
  `Error from server (BadRequest): error when creating "${file}": Service in version "v1" cannot be handled as a Service: ${jsonError}`

task('decode-service', () => {
  test('a well-formed Service decodes into the same object, its ports as written', () => {
    const svc = decodeOne(ORDER)
    expect(svc, 'the order Service from order.yaml after decoding: nothing is added yet').toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'order', namespace: 'snackbar' },
      spec: { selector: { app: 'order' }, ports: [{ port: 80, targetPort: 8080 }] },
    })
  })

  test('port: "80" (a string) is refused while decoding: cannot unmarshal string into ServicePort.spec.ports.port of type int32', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('- port: 80', '- port: "80"')))
    expect(err.message).toBe(
      badRequest('order.yaml', 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'),
    )
    expect(`${err.file}:${err.line}`, 'the error points at the document').toBe('order.yaml:1')
  })

  test('a Service under apiVersion apps/v1 has no resource mapping and is refused before it is sent', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('apiVersion: v1', 'apiVersion: apps/v1')))
    expect(err.message).toBe(
      'error: resource mapping not found for name: "order" namespace: "snackbar" from "order.yaml": ' +
        'no matches for kind "Service" in version "apps/v1"\nensure CRDs are installed first',
    )
  })

  cases([
    { what: 'without a namespace', meta: '  name: order\n', name: 'order', namespace: '' },
    { what: 'without any metadata', meta: '', name: '', namespace: '' },
  ], (r) => `a Service under apiVersion apps/v1 ${r.what} is refused naming name "${r.name}" and namespace "${r.namespace}", as the manifest has them`, (r) => {
    const text = ORDER.replace('apiVersion: v1', 'apiVersion: apps/v1').replace('metadata:\n  name: order\n  namespace: snackbar\n', r.meta ? `metadata:\n${r.meta}` : '')
    const err = manifestError(() => decodeOne(text))
    expect(err.message, 'kubectl prints the object\'s own metadata; it fills in no namespace before the mapping fails').toBe(
      `error: resource mapping not found for name: "${r.name}" namespace: "${r.namespace}" from "order.yaml": ` +
        'no matches for kind "Service" in version "apps/v1"\nensure CRDs are installed first',
    )
  })

  test('decodeService is the Service decoder only: a Deployment handed to it is a TypeError, not a Service', () => {
    const [deployment] = readManifests(lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: order'), 'order-deploy.yaml')
    expect(() => decodeService(deployment!), 'the API server picks a decoder by kind; this one serves kind Service').toThrow(
      new TypeError('decodeService: order-deploy.yaml:1 is a Deployment, not a Service'),
    )
    expect(() => decodeService(deployment!)).toThrow(TypeError)
  })

  test('empty fields (null in JSON) are dropped while decoding, as Go leaves them at their zero value', () => {
    const svc = decodeOne(ORDER.replace('  selector:\n    app: order\n', '  selector:\n  clusterIP:\n'))
    expect(svc.spec, 'spec after decoding').toEqual({ ports: [{ port: 80, targetPort: 8080 }] })
  })

  test('of two type mismatches, the one that comes first in the document is reported', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('  namespace: snackbar', '  namespace: 5').replace('- port: 80', '- port: "80"')))
    expect(err.message, 'metadata.namespace: 5 (line 5) comes before spec.ports[0].port: "80" (line 10)').toBe(
      badRequest('order.yaml', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.namespace of type string'),
    )
  })

  test('spec.secector (a typo of selector) is refused by strict field validation, kubectl’s default since v1.27: strict decoding error: unknown field "spec.secector"', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('  selector:', '  secector:')))
    expect(err.message, 'kubectl apply sends fieldValidation=Strict: the API server refuses a field no Go struct has').toBe(
      badRequest('order.yaml', 'strict decoding error: unknown field "spec.secector"'),
    )
  })

  test('every unknown field is listed, in document order, with its path and index: metadata.lables, spec.ports[0].nme', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('  namespace: snackbar', '  namespace: snackbar\n  lables:\n    app: order').replace('- port: 80', '- nme: http\n    port: 80')))
    expect(err.message).toBe(badRequest('order.yaml', 'strict decoding error: unknown field "metadata.lables", unknown field "spec.ports[0].nme"'))
  })

  test('a type mismatch is reported before unknown fields: strict checking happens only on an object that decoded', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('  selector:', '  secector:').replace('- port: 80', '- port: "80"')))
    expect(err.message, 'port: "80" and secector in one manifest').toBe(
      badRequest('order.yaml', 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'),
    )
  })

  test('fields a manifest may carry from kubectl get -o yaml (creationTimestamp, resourceVersion, uid, status) are known fields', () => {
    const svc = decodeOne(
      ORDER.replace('  namespace: snackbar', '  namespace: snackbar\n  creationTimestamp: "2026-01-01T00:00:00Z"\n  resourceVersion: "42"\n  uid: 5d6b3c2a-1111-4222-8333-444455556666') +
        'status:\n  loadBalancer: {}\n',
    )
    expect(svc.metadata?.creationTimestamp, 'metadata.creationTimestamp').toBe('2026-01-01T00:00:00Z')
  })

  test('a targetPort that is neither a number nor a name stops the decoder, so its error wins over an earlier one', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('- port: 80', '- port: "80"').replace('targetPort: 8080', 'targetPort: true')))
    expect(err.message, 'port: "80" comes first, but targetPort: true fails inside IntOrString.UnmarshalJSON').toBe(
      badRequest('order.yaml', 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32'),
    )
  })
})

// ---------------------------------------------------------------------------

task('defaulting', () => {
  test('§2 vector: selector and port 80 only get type, sessionAffinity, internalTrafficPolicy, protocol and targetPort', () => {
    const input: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'order', namespace: 'snackbar' }, spec: { selector: { app: 'order' }, ports: [{ port: 80 }] } }
    const out = setDefaultsService(input)
    expect(out.spec, 'the stored spec (allocation aside)').toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'order' },
    })
  })

  test('defaulting returns a copy and leaves the object it was given untouched', () => {
    const input: Service = { metadata: { name: 'order' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }
    const before = structuredClone(input)
    const out = setDefaultsService(input)
    expect(input, 'the input after setDefaultsService').toEqual(before)
    expect(out).not.toBe(input)
    expect(out.spec?.ports?.[0]?.targetPort, 'the copy is defaulted').toBe(80)
  })

  interface DefaultRow {
    name: string
    spec: ServiceSpec
    status?: ServiceStatus
    /** Fields of the defaulted spec to compare; `undefined` means the field must stay unset. */
    want: Partial<ServiceSpec>
    wantStatus?: ServiceStatus
  }
  const rows: DefaultRow[] = [
    { name: 'rule 1: an empty sessionAffinity becomes None', spec: {}, want: { sessionAffinity: 'None' } },
    {
      name: 'rule 2: sessionAffinity None drops a sessionAffinityConfig silently',
      spec: { sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90 } } },
      want: { sessionAffinity: 'None', sessionAffinityConfig: undefined },
    },
    {
      name: 'rule 3: sessionAffinity ClientIP without a config gets a timeout of 10800 seconds',
      spec: { sessionAffinity: 'ClientIP' },
      want: { sessionAffinityConfig: { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS } } },
    },
    {
      name: 'rule 3: sessionAffinity ClientIP with an empty clientIP config gets the default timeout too',
      spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: {} } },
      want: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } },
    },
    {
      name: 'rule 3: sessionAffinity ClientIP with an empty sessionAffinityConfig (no clientIP) gets the default timeout',
      spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: {} },
      want: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } },
    },
    {
      name: 'rule 3: a ClientIP timeout that is set is kept',
      spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
      want: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
    },
    { name: 'rule 4: an empty type becomes ClusterIP', spec: {}, want: { type: 'ClusterIP' } },
    { name: 'rule 4: a type that is set is kept', spec: { type: 'NodePort' }, want: { type: 'NodePort' } },
    {
      name: 'rule 5: each port without protocol gets TCP and without targetPort gets its own port number',
      spec: { ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
      want: {
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 80 },
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        ],
      },
    },
    {
      name: 'rule 5: a targetPort of 0 or "" counts as unset and becomes the port',
      spec: { ports: [{ name: 'a', port: 80, targetPort: 0 }, { name: 'b', port: 81, targetPort: '' }] },
      want: {
        ports: [
          { name: 'a', port: 80, protocol: 'TCP', targetPort: 80 },
          { name: 'b', port: 81, protocol: 'TCP', targetPort: 81 },
        ],
      },
    },
    {
      name: 'rule 5: a numeric or named targetPort that is set is kept, whatever the containers declare',
      spec: { ports: [{ name: 'a', port: 80, targetPort: 8080 }, { name: 'b', port: 81, targetPort: 'http' }] },
      want: {
        ports: [
          { name: 'a', port: 80, protocol: 'TCP', targetPort: 8080 },
          { name: 'b', port: 81, protocol: 'TCP', targetPort: 'http' },
        ],
      },
    },
    { name: 'rule 6: a LoadBalancer gets externalTrafficPolicy Cluster', spec: { type: 'LoadBalancer' }, want: { externalTrafficPolicy: 'Cluster' } },
    { name: 'rule 6: a NodePort gets externalTrafficPolicy Cluster', spec: { type: 'NodePort' }, want: { externalTrafficPolicy: 'Cluster' } },
    {
      name: 'rule 6: a ClusterIP with externalIPs is externally accessible and gets externalTrafficPolicy Cluster',
      spec: { type: 'ClusterIP', externalIPs: ['1.2.3.4'] },
      want: { externalTrafficPolicy: 'Cluster' },
    },
    { name: 'rule 6: a plain ClusterIP gets no externalTrafficPolicy', spec: {}, want: { externalTrafficPolicy: undefined } },
    {
      name: 'rule 6: an ExternalName gets no externalTrafficPolicy, even with externalIPs',
      spec: { type: 'ExternalName', externalName: 'db.example.com', externalIPs: ['1.2.3.4'] },
      want: { externalTrafficPolicy: undefined },
    },
    { name: 'rule 6: externalTrafficPolicy Local is kept', spec: { type: 'NodePort', externalTrafficPolicy: 'Local' }, want: { externalTrafficPolicy: 'Local' } },
    { name: 'rule 7: a ClusterIP gets internalTrafficPolicy Cluster', spec: {}, want: { internalTrafficPolicy: 'Cluster' } },
    { name: 'rule 7: a LoadBalancer gets internalTrafficPolicy Cluster', spec: { type: 'LoadBalancer' }, want: { internalTrafficPolicy: 'Cluster' } },
    {
      name: 'rule 7: an ExternalName gets no internalTrafficPolicy',
      spec: { type: 'ExternalName', externalName: 'db.example.com' },
      want: { internalTrafficPolicy: undefined },
    },
    { name: 'rule 7: internalTrafficPolicy Local is kept', spec: { internalTrafficPolicy: 'Local' }, want: { internalTrafficPolicy: 'Local' } },
    {
      name: 'rule 8: a LoadBalancer gets allocateLoadBalancerNodePorts true',
      spec: { type: 'LoadBalancer' },
      want: { allocateLoadBalancerNodePorts: true },
    },
    {
      name: 'rule 8: allocateLoadBalancerNodePorts false is kept',
      spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false },
      want: { allocateLoadBalancerNodePorts: false },
    },
    { name: 'rule 8: a NodePort gets no allocateLoadBalancerNodePorts', spec: { type: 'NodePort' }, want: { allocateLoadBalancerNodePorts: undefined } },
    {
      name: 'rule 9: a LoadBalancer ingress with an ip and no ipMode gets ipMode VIP; hostnames and a set ipMode are left alone',
      spec: { type: 'LoadBalancer' },
      status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }, { hostname: 'lb.example.com' }, { ip: '172.18.255.201', ipMode: 'Proxy' }] } },
      want: {},
      wantStatus: {
        loadBalancer: {
          ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }, { hostname: 'lb.example.com' }, { ip: '172.18.255.201', ipMode: 'Proxy' }],
        },
      },
    },
    {
      name: 'rule 9: a LoadBalancer whose status has no loadBalancer yet is defaulted all the same, its status left as it is',
      spec: { type: 'LoadBalancer' },
      status: {},
      want: { allocateLoadBalancerNodePorts: true },
      wantStatus: {},
    },
    {
      name: 'rule 9: ingress of a Service that is not a LoadBalancer gets no ipMode',
      spec: { type: 'NodePort' },
      status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } },
      want: {},
      wantStatus: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } },
    },
  ]
  for (const { name, spec, status, want, wantStatus } of rows) test(name, () => {
    const out = setDefaultsService({ metadata: { name: 'order', namespace: 'snackbar' }, spec, ...(status ? { status } : {}) })
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, out.spec?.[k as keyof ServiceSpec]]))
    expect(got, `defaulted spec fields of ${JSON.stringify(spec)}`).toEqual(want)
    if (wantStatus) expect(out.status, 'defaulted status').toEqual(wantStatus)
  })




  test('property: for any valid single-port Service, defaulting twice equals defaulting once', () => {
    fc.assert(
      fc.property(userService, (svc) => {
        const once = setDefaultsService(svc)
        expect(setDefaultsService(once), `setDefaultsService is idempotent for ${JSON.stringify(svc.spec)}`).toEqual(once)
      }),
      { seed: 20260101, numRuns: 200 },
    )
  })
})

// ---------------------------------------------------------------------------

/** Validates `metadata` alone, as ValidateService does first (given: validateObjectMeta). */
function runMetaRows(rows: Row[]): void {
  for (const row of rows) {
    test(`${row.id}: ${row.name}`, () => {
      const svc = fromBase(row.change)
      const got = errorStrings(validateObjectMeta(svc.metadata, newPath('metadata')))
      const what = `validating metadata ${JSON.stringify(svc.metadata)} (${row.id})`
      expect(got, explainErrors(what, row.want, got)).toEqual(row.want)
    })
  }
}

task('service-name', () => {
  const a64 = 'a'.repeat(64)
  runMetaRows([

    { id: 'I2', name: 'a name starting with a hyphen is not a DNS-1035 label', change: (s) => { s.metadata.name = '-123' }, want: [`metadata.name: Invalid value: "-123": ${DNS1035}`] },
    { id: 'I3', name: 'a name starting with a digit is not a DNS-1035 label (a Service name must start with a letter)', change: (s) => { s.metadata.name = '1abc' }, want: [`metadata.name: Invalid value: "1abc": ${DNS1035}`] },
    { id: 'I4', name: 'a name with upper-case letters is refused', change: (s) => { s.metadata.name = 'My-Svc' }, want: [`metadata.name: Invalid value: "My-Svc": ${DNS1035}`] },
    { id: 'I5', name: 'a name with a dot is refused', change: (s) => { s.metadata.name = 'my.svc' }, want: [`metadata.name: Invalid value: "my.svc": ${DNS1035}`] },
    { id: 'I6', name: 'a name with an underscore is refused', change: (s) => { s.metadata.name = 'my_svc' }, want: [`metadata.name: Invalid value: "my_svc": ${DNS1035}`] },
    { id: 'I7', name: 'a name ending in a hyphen is refused', change: (s) => { s.metadata.name = 'svc-' }, want: [`metadata.name: Invalid value: "svc-": ${DNS1035}`] },
    { id: 'I8', name: 'a name of 64 characters gets only the length error', change: (s) => { s.metadata.name = a64 }, want: [`metadata.name: Invalid value: "${a64}": must be no more than 63 characters`] },
    { id: 'I9', name: 'a generateName starting with a hyphen is refused', change: (s) => { s.metadata.generateName = '-123' }, want: [`metadata.generateName: Invalid value: "-123": ${DNS1035}`] },
  ])
  runMetaRows([

    { id: 'V8', name: 'a name of exactly 63 characters is valid', change: (s) => { s.metadata.name = 'a'.repeat(63) }, want: [] },
    { id: 'V9', name: 'consecutive hyphens are fine in a Service name', change: (s) => { s.metadata.name = 'a--1--2--b' }, want: [] },
    { id: 'V9b', name: 'a generateName may end in a hyphen', change: (s) => { s.metadata.generateName = 'order-' }, want: [] },
  ])

  const dns1035: { value: string; want: string[] }[] = [
    { value: 'a', want: [] },
    { value: 'a--1--2--b', want: [] },
    { value: '1a', want: [DNS1035] },
    { value: 'my.svc', want: [DNS1035] },
    { value: 'order-', want: [DNS1035] },
    { value: 'a'.repeat(63), want: [] },
    { value: 'a'.repeat(64), want: ['must be no more than 63 characters'] },
    { value: `${'A'.repeat(64)}`, want: ['must be no more than 63 characters', DNS1035] },
  ]
  const verdict = (want: string[]) =>
    want.length === 0 ? 'is a valid Service name' : want.length === 2 ? 'lists the length problem before the syntax problem' : want[0] === DNS1035 ? 'is refused with the DNS-1035 message' : 'is refused for its length only'
  for (const { value, want } of dns1035) {
    test(`IsDNS1035Label(${JSON.stringify(value)}) ${verdict(want)}`, () => {
      expect(isDNS1035Label(value), `problems with ${JSON.stringify(value)} as a Service name`).toEqual(want)
    })
  }


  test('ValidateServiceName masks a trailing hyphen only for a generateName prefix', () => {
    expect(validateServiceName('order-', true), 'order- as generateName').toEqual([])
    expect(validateServiceName('order-', false), 'order- as name').toEqual([DNS1035])
  })
})

// ---------------------------------------------------------------------------

interface PortRow {
  id: string
  name: string
  /** spec.ports as they reach validation: defaulted, so protocol and targetPort are set. */
  ports: ServicePort[]
  want: string[]
}
/** BASE's one port. */
const P: ServicePort = { name: 'p', protocol: 'TCP', port: 8675, targetPort: 8675 }

/** ValidateService's loop over spec.ports (given in validateService): one names set, a name required when there are several. */
function runPortRows(rows: PortRow[]): void {
  for (const row of rows) {
    test(`${row.id}: ${row.name}`, () => {
      const names = new Set<string>()
      const got = errorStrings(row.ports.flatMap((sp, i) => validateServicePort(sp, row.ports.length > 1, names, newPath('spec', 'ports').index(i))))
      const what = `validating spec.ports ${JSON.stringify(row.ports)} (${row.id})`
      expect(got, explainErrors(what, row.want, got)).toEqual(row.want)
    })
  }
}

task('ports', () => {
  runPortRows([
    {
      id: 'I13',
      name: 'a second port without a name is refused: with more than one port, every port needs a name',
      ports: [P, { protocol: 'TCP', port: 12345, targetPort: 12345 }],
      want: ['spec.ports[1].name: Required value'],
    },
    {
      id: 'I14',
      name: 'a first port without a name is refused once a second port is added',
      ports: [{ ...P, name: '' }, { name: 'p', protocol: 'TCP', port: 12345, targetPort: 12345 }],
      want: ['spec.ports[0].name: Required value'],
    },
    { id: 'I15', name: 'a port name in upper case is not a DNS-1123 label', ports: [{ ...P, name: 'INVALID' }], want: [`spec.ports[0].name: Invalid value: "INVALID": ${DNS1123L}`] },
    { id: 'I16', name: 'a port name with a dot is refused with "must not contain dots"', ports: [{ ...P, name: 'a.b' }], want: ['spec.ports[0].name: Invalid value: "a.b": must not contain dots'] },
    {
      id: 'I17',
      name: 'two ports with the same name are refused at the later one',
      ports: [P, { name: 'p', protocol: 'TCP', port: 12345, targetPort: 12345 }],
      want: ['spec.ports[1].name: Duplicate value: "p"'],
    },
    {
      id: 'I17b',
      name: 'a port name that is invalid and a duplicate gets both errors, the syntax first',
      ports: [{ ...P, name: 'A' }, { ...P, name: 'A', port: 8676 }],
      want: [`spec.ports[0].name: Invalid value: "A": ${DNS1123L}`, `spec.ports[1].name: Invalid value: "A": ${DNS1123L}`, 'spec.ports[1].name: Duplicate value: "A"'],
    },
    { id: 'I18', name: 'port 0 is not a port', ports: [{ ...P, port: 0 }], want: [`spec.ports[0].port: Invalid value: 0: ${RANGE}`] },
    { id: 'I19', name: 'port 65536 is out of range', ports: [{ ...P, port: 65536 }], want: [`spec.ports[0].port: Invalid value: 65536: ${RANGE}`] },
    {
      id: 'I20',
      name: 'an unknown protocol is refused with the sorted list of supported ones',
      ports: [{ ...P, protocol: 'INVALID' }],
      want: ['spec.ports[0].protocol: Unsupported value: "INVALID": supported values: "SCTP", "TCP", "UDP"'],
    },
    {
      id: 'I21',
      name: 'protocol tcp in lower case is refused: protocols are case-sensitive',
      ports: [{ ...P, protocol: 'tcp' }],
      want: ['spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    },
    { id: 'I22', name: 'an empty protocol is required (an internal object: v1 defaulting makes it TCP)', ports: [{ ...P, protocol: '' }], want: ['spec.ports[0].protocol: Required value'] },
    { id: 'I22b', name: 'a protocol left out is empty too, and required (Go has no unset string)', ports: [{ name: 'p', port: 8675, targetPort: 8675 }], want: ['spec.ports[0].protocol: Required value'] },
    { id: 'I23', name: 'targetPort 65536 is out of range', ports: [{ ...P, targetPort: 65536 }], want: [`spec.ports[0].targetPort: Invalid value: 65536: ${RANGE}`] },
    { id: 'I24', name: 'targetPort -1 is out of range', ports: [{ ...P, targetPort: -1 }], want: [`spec.ports[0].targetPort: Invalid value: -1: ${RANGE}`] },
    { id: 'I25', name: 'a named targetPort with an underscore is not an IANA service name', ports: [{ ...P, targetPort: 'http_web' }], want: [`spec.ports[0].targetPort: Invalid value: "http_web": ${ONLY_ALNUM}`] },
    {
      id: 'I26',
      name: 'a named targetPort longer than 15 characters is refused',
      ports: [{ ...P, targetPort: 'longerthan15characters' }],
      want: ['spec.ports[0].targetPort: Invalid value: "longerthan15characters": must be no more than 15 characters'],
    },
    { id: 'I27', name: 'targetPort "12345" in quotes is a name without a letter', ports: [{ ...P, targetPort: '12345' }], want: [`spec.ports[0].targetPort: Invalid value: "12345": ${ONE_LETTER}`] },
    { id: 'I28', name: 'a named targetPort may not begin with a hyphen', ports: [{ ...P, targetPort: '-begin' }], want: ['spec.ports[0].targetPort: Invalid value: "-begin": must not begin or end with a hyphen'] },
    { id: 'I29', name: 'a named targetPort may not contain two hyphens in a row', ports: [{ ...P, targetPort: 'two--hyphens' }], want: ['spec.ports[0].targetPort: Invalid value: "two--hyphens": must not contain consecutive hyphens'] },
    {
      id: 'I30',
      name: 'targetPort HTTP breaks two rules and gets two errors: upper case, and so no letter a-z',
      ports: [{ ...P, targetPort: 'HTTP' }],
      want: [`spec.ports[0].targetPort: Invalid value: "HTTP": ${ONLY_ALNUM}`, `spec.ports[0].targetPort: Invalid value: "HTTP": ${ONE_LETTER}`],
    },
    { id: 'I31', name: 'a named targetPort with plus signs is refused', ports: [{ ...P, targetPort: 'whois++' }], want: [`spec.ports[0].targetPort: Invalid value: "whois++": ${ONLY_ALNUM}`] },
    {
      id: 'I70',
      name: 'an appProtocol must be a qualified name',
      ports: [{ ...P, appProtocol: 'lots-of[invalid]-{chars}' }],
      want: [`spec.ports[0].appProtocol: Invalid value: "lots-of[invalid]-{chars}": ${LABELKEY}`],
    },
    {
      id: 'I30b',
      name: 'every rule of a port runs, in order: name, port, protocol, targetPort',
      ports: [{ name: 'A', port: 0, protocol: 'tcp', targetPort: 'HTTP' }],
      want: [
        `spec.ports[0].name: Invalid value: "A": ${DNS1123L}`,
        `spec.ports[0].port: Invalid value: 0: ${RANGE}`,
        'spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
        `spec.ports[0].targetPort: Invalid value: "HTTP": ${ONLY_ALNUM}`,
        `spec.ports[0].targetPort: Invalid value: "HTTP": ${ONE_LETTER}`,
      ],
    },
  ])

  runPortRows([
    { id: 'V1', name: 'a single port may have an empty name', ports: [{ ...P, name: '' }], want: [] },
    { id: 'V6', name: 'a named targetPort is checked for syntax only: no pod needs to have it', ports: [{ ...P, targetPort: 'http' }], want: [] },
    {
      id: 'V10',
      name: 'ports 1 and 65535 are both in range',
      ports: [{ name: 'low', protocol: 'TCP', port: 1, targetPort: 1 }, { name: 'high', protocol: 'TCP', port: 65535, targetPort: 65535 }],
      want: [],
    },
    {
      id: 'V11',
      name: 'IANA names with at least one letter are good targetPorts: 1-a, a, re-mail-ck, pop3',
      ports: ['1-a', 'a', 're-mail-ck', 'pop3'].map((targetPort, i) => ({ name: `p${i}`, protocol: 'TCP', port: 80 + i, targetPort })),
      want: [],
    },
    {
      id: 'V20b',
      name: 'port 80 with numeric targetPort 8080 is valid: a numeric targetPort needs no matching containerPort',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
      want: [],
    },
    {
      id: 'V11b',
      name: 'UDP and SCTP are protocols too, and a port name may hold digits and hyphens',
      ports: [{ name: 'dns-53', protocol: 'UDP', port: 53, targetPort: 53 }, { name: 'sctp', protocol: 'SCTP', port: 9999, targetPort: 'sig' }],
      want: [],
    },
  ])
})

// ---------------------------------------------------------------------------

task('create', () => {

  test('a well-formed Service decodes, defaults and validates with no errors', () => {
    const svc = decodeOne(ORDER)
    const errs = errorStrings(validateService(setDefaultsService(svc)))
    expect(errs, explainErrors('the order Service from order.yaml', [], errs)).toEqual([])
    expect(svc.spec?.ports, 'decoding keeps the ports as written').toEqual([{ port: 80, targetPort: 8080 }])
  })

  test('targetPort: "8080" in quotes is a port name, so the API server refuses it after decoding', () => {
    const svc = decodeOne(ORDER.replace('targetPort: 8080', 'targetPort: "8080"'))
    const out = formatInvalid('Service', 'order', validateService(setDefaultsService(svc)))
    expect(out).toBe(`The Service "order" is invalid: spec.ports[0].targetPort: Invalid value: "8080": ${ONE_LETTER}`)
  })

  runRows([

    {
      id: 'I18b',
      name: 'port 0 without a targetPort is refused twice, because targetPort is defaulted to port',
      change: (s) => { s.spec.ports = [{ name: 'p', port: 0 }] },
      want: [`spec.ports[0].port: Invalid value: 0: ${RANGE}`, `spec.ports[0].targetPort: Invalid value: 0: ${RANGE}`],
    },
  ])
  runRows([

    { id: 'V20', name: 'a port without targetPort is valid: defaulting sets targetPort to port', change: (s) => { delete port0(s).targetPort }, want: [] },
    { id: 'V13b', name: 'sessionAffinity ClientIP without a config is valid: defaulting sets 10800 seconds', change: (s) => { s.spec.sessionAffinity = 'ClientIP' }, want: [] },
  ])

  test('kubectl prints a single error on one line after The Service "order" is invalid:', () => {
    const svc = fromBase((s) => {
      s.metadata.name = 'order'
      s.spec.ports.push({ port: 443, targetPort: 8443 })
    })
    expect(formatInvalid('Service', 'order', validateService(asCreated(svc)))).toBe(
      'The Service "order" is invalid: spec.ports[1].name: Required value',
    )
  })

  test('kubectl prints several errors as a bulleted list, in the order the API server found them', () => {
    const svc = fromBase((s) => {
      s.metadata.name = 'order'
      port0(s).port = 0
      s.spec.ports.push({ port: 443, targetPort: 8443 })
    })
    expect(formatInvalid('Service', 'order', validateService(asCreated(svc)))).toBe(
      [
        'The Service "order" is invalid: ',
        `* spec.ports[0].port: Invalid value: 0: ${RANGE}`,
        '* spec.ports[1].name: Required value',
      ].join('\n'),
    )
  })

  test('property: for any valid single-port Service as a user writes it, the defaulted Service validates', () => {
    fc.assert(
      fc.property(userService, (svc) => {
        const once = setDefaultsService(svc)
        const errs = errorStrings(validateService(once))
        expect(errs, explainErrors(`validating the defaulted ${JSON.stringify(once.spec)}`, [], errs)).toEqual([])
      }),
      { seed: 20260101, numRuns: 200 },
    )
  })
})

// ---------------------------------------------------------------------------
// The deep track: the rest of the model, which the core path gives.

task('read-manifests', () => {
  const SNACKBAR = lines(
    '# snackbar: the order Service, its first pod and the menu Service', //  1
    '---', //                                                                2
    'apiVersion: v1', //                                                     3
    'kind: Service', //                                                      4
    'metadata:', //                                                          5
    '  name: order', //                                                      6
    '  namespace: snackbar', //                                              7
    'spec:', //                                                              8
    '  selector:', //                                                        9
    '    app: order', //                                                    10
    '  ports:', //                                                          11
    '  - port: 80', //                                                      12
    '    targetPort: 8080', //                                              13
    '---', //                                                               14
    '---', //                                                               15
    '# nothing here yet', //                                                16
    '---', //                                                               17
    'apiVersion: v1', //                                                    18
    'kind: Pod', //                                                         19
    'metadata:', //                                                         20
    '  name: order-1', //                                                   21
    '  namespace: snackbar', //                                             22
    '  labels: {app: order}', //                                            23
    'spec:', //                                                             24
    '  containers:', //                                                     25
    '  - name: app', //                                                     26
    '    image: registry.k8s.io/e2e-test-images/agnhost:2.53', //           27
    '---', //                                                               28
    '# menu has two ports, so both are named', //                           29
    'apiVersion: v1', //                                                    30
    'kind: Service', //                                                     31
    'metadata: {name: menu, namespace: snackbar}', //                       32
    'spec:', //                                                             33
    '  ports: [{name: http, port: 80}, {name: metrics, port: 9090}]', //    34
  )

  test('a multi-document file gives its objects in order, skipping the empty and comment-only documents', () => {
    const got = readManifests(SNACKBAR, 'snackbar.yaml').map((m) => `${m.object.kind}/${m.object.metadata?.name}`)
    expect(got, `objects read from snackbar.yaml:\n${bullets(got)}`).toEqual(['Service/order', 'Pod/order-1', 'Service/menu'])
  })

  test('each object carries its file and the line where its document starts, also for the 2nd and 3rd object', () => {
    const got = readManifests(SNACKBAR, 'snackbar.yaml').map((m) => `${m.file}:${m.line} ${m.object.metadata?.name}`)
    expect(got, 'a document starts at its first content line (after "---" and comments)').toEqual([
      'snackbar.yaml:3 order',
      'snackbar.yaml:18 order-1',
      'snackbar.yaml:30 menu',
    ])
  })

  test('each document is turned into JSON data: nested mappings, flow style and numbers come through', () => {
    const [order, , menu] = readManifests(SNACKBAR, 'snackbar.yaml')
    expect(order?.object, 'the order Service as kubectl sends it').toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'order', namespace: 'snackbar' },
      spec: { selector: { app: 'order' }, ports: [{ port: 80, targetPort: 8080 }] },
    })
    expect(menu?.object.spec, 'the menu Service spec in flow style').toEqual({
      ports: [
        { name: 'http', port: 80 },
        { name: 'metrics', port: 9090 },
      ],
    })
  })

  test('a file with nothing but comments and separators holds no objects', () => {
    expect(readManifests(lines('# todo', '---', '---', '# later'), 'empty.yaml')).toEqual([])
    expect(readManifests('', 'empty.yaml')).toEqual([])
  })

  test('a JSON manifest is read like YAML', () => {
    const [m] = readManifests('{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "order"}}\n', 'order.json')
    expect(m && `${m.file}:${m.line} ${m.object.kind}/${m.object.metadata?.name}`).toBe('order.json:1 Service/order')
  })

  test('YAML is read as kubectl reads it (YAML 1.1): yes is a boolean and 0755 an octal number', () => {
    const [m] = readManifests(
      lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: order', '  labels: {canary: yes, mode: 0755}'),
      'order.yaml',
    )
    expect(m?.object.metadata?.labels as unknown, 'go-yaml v2 resolves yes/no/on/off as booleans').toEqual({
      canary: true,
      mode: 493,
    })
  })

  test('a syntax error in the second document names the file and the line of the error, with kubectl\'s prefix', () => {
    const text = lines(
      'apiVersion: v1', //  1
      'kind: Service', //   2
      'metadata:', //       3
      '  name: order', //   4
      'spec:', //           5
      '  ports:', //        6
      '  - port: 80', //    7
      '---', //             8
      'apiVersion: v1', //  9
      'kind: Service', //  10
      'metadata:', //      11
      '  name: menu', //   12
      'spec:', //          13
      '  ports:', //       14
      '  - port: 80', //   15
      '   targetPort: 8080', // 16: one space short of the list item's indentation
    )
    const err = manifestError(() => readManifests(text, 'menu.yaml'))
    expect(`${err.file}:${err.line}`, err.message).toBe('menu.yaml:16')
    const prefix = 'error: error parsing menu.yaml: error converting YAML to JSON: yaml: line 16: '
    expect(err.message.startsWith(prefix), `kubectl's message starts with\n  ${prefix}\ngot\n  ${err.message}`).toBe(true)
    expect(err.message.length > prefix.length && !err.message.includes('\n'), `one line with a reason: ${err.message}`).toBe(true)
  })

  test('a document that is a list, not a mapping, is refused as an invalid object at its line', () => {
    const text = lines('apiVersion: v1', 'kind: Namespace', 'metadata: {name: snackbar}', '---', '- apiVersion: v1', '  kind: Service')
    const err = manifestError(() => readManifests(text, 'list.yaml'))
    expect(`${err.file}:${err.line}`).toBe('list.yaml:5')
    expect(err.message).toBe(`error: error validating "list.yaml": error validating data: invalid object to validate; ${VALIDATE_OFF}`)
  })

  test('a document without kind is refused with kubectl\'s "kind not set" at the line of that document', () => {
    const text = lines('apiVersion: v1', 'kind: Namespace', 'metadata: {name: snackbar}', '---', 'apiVersion: v1', 'metadata: {name: order}')
    const err = manifestError(() => readManifests(text, 'order.yaml'))
    expect(`${err.file}:${err.line}`).toBe('order.yaml:5')
    expect(err.message).toBe(`error: error validating "order.yaml": error validating data: kind not set; ${VALIDATE_OFF}`)
  })

  test('a document without apiVersion and kind lists both problems in brackets, as kubectl does', () => {
    const err = manifestError(() => readManifests(lines('metadata: {name: order}', 'spec: {}'), 'values.yaml'))
    expect(err.message).toBe(
      `error: error validating "values.yaml": error validating data: [apiVersion not set, kind not set]; ${VALIDATE_OFF}`,
    )
    expect(err.line).toBe(1)
  })

  test('a kind that is not a string is refused as "kind isn\'t string type"', () => {
    const err = manifestError(() => readManifests(lines('apiVersion: v1', 'kind: 42'), 'odd.yaml'))
    expect(err.message).toBe(`error: error validating "odd.yaml": error validating data: kind isn't string type; ${VALIDATE_OFF}`)
  })

  test('a refused manifest is a ManifestError by name too, as a log or a stack trace shows it', () => {
    const err = manifestError(() => readManifests(lines('apiVersion: v1', 'metadata: {name: order}'), 'order.yaml'))
    expect(err.name, 'the name of the error kubectl\'s refusal is thrown as').toBe('ManifestError')
  })

  cases([
    { what: 'a document that is one string (lines without their colons)', text: lines('apiVersion v1', 'kind Service'), want: 'invalid object to validate' },
    { what: 'a document that is a number', text: lines('42'), want: 'invalid object to validate' },
    { what: 'an apiVersion that YAML reads as a number', text: lines('apiVersion: 1', 'kind: Service'), want: "apiVersion isn't string type" },
    { what: 'an apiVersion with two slashes', text: lines('apiVersion: apps/v1/Deployment', 'kind: Deployment'), want: 'unexpected GroupVersion string: apps/v1/Deployment' },
    { what: 'a numeric apiVersion and no kind', text: lines('apiVersion: 1', 'metadata: {name: order}'), want: "[apiVersion isn't string type, kind not set]" },
  ], (r) => `${r.what} is refused before anything is sent: error validating data: ${r.want}`, (r) => {
    const err = manifestError(() => readManifests(lines('apiVersion: v1', 'kind: Namespace', 'metadata: {name: snackbar}', '---') + r.text, 'odd.yaml'))
    expect(err.message, 'kubectl reads apiVersion and kind (schema.ParseGroupVersion) before it looks the kind up').toBe(
      `error: error validating "odd.yaml": error validating data: ${r.want}; ${VALIDATE_OFF}`,
    )
    expect(`${err.file}:${err.line}`, 'the error points at the second document').toBe('odd.yaml:5')
  })

  test('a key written twice keeps its last value, as go-yaml v2 does: no error, the first is lost', () => {
    const [m] = readManifests(lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: order', '  name: menu'), 'order.yaml')
    expect(m?.object.metadata?.name, 'metadata.name written twice (order, then menu)').toBe('menu')
  })

  test('a timestamp or a date stays the string it is written as: go-yaml leaves it for the API server to parse', () => {
    const [m] = readManifests(
      lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: order', '  creationTimestamp: 2026-01-01T00:00:00Z', '  labels: {released: 2026-01-01}'),
      'order.yaml',
    )
    expect(m?.object.metadata, 'metadata as kubectl sends it').toStrictEqual({
      name: 'order',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { released: '2026-01-01' },
    })
  })

  test('a syntax error on line 10 or later names that line, then the parser\'s reason alone (not its own "at line …, column …")', () => {
    const text = ORDER.replace('    targetPort: 8080', '   targetPort: 8080') // line 11: one space short of the list item's
    const err = manifestError(() => readManifests(text, 'order.yaml'))
    expect(err.message).toBe('error: error parsing order.yaml: error converting YAML to JSON: yaml: line 11: Sequence item without - indicator')
    expect(`${err.file}:${err.line}`).toBe('order.yaml:11')
  })
})

// ---------------------------------------------------------------------------

task('json-decoding', () => {
  test('a port that is not a whole int32 is refused with the number itself in the message', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('- port: 80', '- port: 80.5')))
    expect(err.message).toBe(
      badRequest('order.yaml', 'json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.port of type int32'),
    )
  })

  test('ports written as a mapping instead of a list are refused: the Go field is a []v1.ServicePort', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('  - port: 80\n    targetPort: 8080', '    port: 80')))
    expect(err.message).toBe(
      badRequest('order.yaml', 'json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort'),
    )
  })

  test('a selector value that YAML reads as a number is refused: selector values are strings', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('    app: order', '    version: 2')))
    expect(err.message).toBe(
      badRequest('order.yaml', 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.selector of type string'),
    )
  })

  test('a label value of yes is a boolean to kubectl, so the Service cannot be decoded', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('  namespace: snackbar', '  namespace: snackbar\n  labels: {canary: yes}')))
    expect(err.message).toBe(
      badRequest('order.yaml', 'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string'),
    )
  })

  test('a targetPort of 80.5 stops the decoder as well, so its error wins over port: "80" before it', () => {
    const err = manifestError(() => decodeOne(ORDER.replace('- port: 80', '- port: "80"').replace('targetPort: 8080', 'targetPort: 80.5')))
    expect(err.message, 'IntOrString.UnmarshalJSON fails on a number that is no int32, and its error ends the decoding').toBe(
      badRequest('order.yaml', 'json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.targetPort of type int32'),
    )
  })

  // Where a manifest gets a field wrong: a line added to spec, metadata, the port, or a status.
  const inSpec = (field: string) => ORDER.replace('  ports:', `${field}\n  ports:`)
  const inMeta = (field: string) => ORDER.replace('  namespace: snackbar', `  namespace: snackbar\n${field}`)
  const inPort = (field: string) => `${ORDER}    ${field}\n`
  const inStatus = (...fields: string[]) => `${ORDER}status:\n${fields.map((f) => `  ${f}\n`).join('')}`
  cases([
    { what: 'type as a list', text: inSpec('  type: [ClusterIP, NodePort]'), kind: 'array', field: 'ServiceSpec.spec.type', type: 'v1.ServiceType' },
    { what: 'sessionAffinity: on (a boolean in YAML 1.1)', text: inSpec('  sessionAffinity: on'), kind: 'bool', field: 'ServiceSpec.spec.sessionAffinity', type: 'v1.ServiceAffinity' },
    { what: 'externalTrafficPolicy as a mapping', text: inSpec('  externalTrafficPolicy: {local: true}'), kind: 'object', field: 'ServiceSpec.spec.externalTrafficPolicy', type: 'v1.ServiceExternalTrafficPolicy' },
    { what: 'internalTrafficPolicy: off (a boolean in YAML 1.1)', text: inSpec('  internalTrafficPolicy: off'), kind: 'bool', field: 'ServiceSpec.spec.internalTrafficPolicy', type: 'v1.ServiceInternalTrafficPolicy' },
    { what: 'ipFamilies: [4] (a number, not IPv4)', text: inSpec('  ipFamilies: [4]'), kind: 'number', field: 'ServiceSpec.spec.ipFamilies', type: 'v1.IPFamily' },
    { what: 'ipFamilyPolicy as a list', text: inSpec('  ipFamilyPolicy: [SingleStack]'), kind: 'array', field: 'ServiceSpec.spec.ipFamilyPolicy', type: 'v1.IPFamilyPolicy' },
    { what: 'clusterIP as a list', text: inSpec('  clusterIP: [10.96.0.10]'), kind: 'array', field: 'ServiceSpec.spec.clusterIP', type: 'string' },
    { what: 'clusterIPs as one address, not a list', text: inSpec('  clusterIPs: 10.96.0.10'), kind: 'string', field: 'ServiceSpec.spec.clusterIPs', type: '[]string' },
    { what: 'a selector written as app=order', text: ORDER.replace('  selector:\n    app: order', '  selector: app=order'), kind: 'string', field: 'ServiceSpec.spec.selector', type: 'map[string]string' },
    { what: 'a selector written as a list', text: ORDER.replace('  selector:\n    app: order', '  selector: [app, order]'), kind: 'array', field: 'ServiceSpec.spec.selector', type: 'map[string]string' },
    { what: 'spec as a word', text: ORDER.replace(/spec:\n[^]*$/, 'spec: order\n'), kind: 'string', field: 'Service.spec', type: 'v1.ServiceSpec' },
    { what: 'sessionAffinityConfig as a list', text: inSpec('  sessionAffinityConfig: [{clientIP: {timeoutSeconds: 60}}]'), kind: 'array', field: 'ServiceSpec.spec.sessionAffinityConfig', type: 'v1.SessionAffinityConfig' },
    { what: 'timeoutSeconds: 3h (a duration, not seconds)', text: inSpec('  sessionAffinityConfig: {clientIP: {timeoutSeconds: 3h}}'), kind: 'string', field: 'ClientIPConfig.spec.sessionAffinityConfig.clientIP.timeoutSeconds', type: 'int32' },
    { what: 'publishNotReadyAddresses: "true" (quoted)', text: inSpec('  publishNotReadyAddresses: "true"'), kind: 'string', field: 'ServiceSpec.spec.publishNotReadyAddresses', type: 'bool' },
    { what: 'protocol: 6 (the IP protocol number of TCP)', text: inPort('protocol: 6'), kind: 'number', field: 'ServicePort.spec.ports.protocol', type: 'v1.Protocol' },
    { what: 'port: 2147483648 (one past the largest int32)', text: ORDER.replace('- port: 80', '- port: 2147483648'), kind: 'number 2147483648', field: 'ServicePort.spec.ports.port', type: 'int32' },
    { what: 'port: -2147483649 (one below the smallest int32)', text: ORDER.replace('- port: 80', '- port: -2147483649'), kind: 'number -2147483649', field: 'ServicePort.spec.ports.port', type: 'int32' },
    { what: 'targetPort: 80.5', text: ORDER.replace('targetPort: 8080', 'targetPort: 80.5'), kind: 'number 80.5', field: 'ServicePort.spec.ports.targetPort', type: 'int32' },
    { what: 'targetPort: 2147483648', text: ORDER.replace('targetPort: 8080', 'targetPort: 2147483648'), kind: 'number 2147483648', field: 'ServicePort.spec.ports.targetPort', type: 'int32' },
    { what: 'a uid that YAML reads as a number', text: inMeta('  uid: 1234'), kind: 'number', field: 'ObjectMeta.metadata.uid', type: 'types.UID' },
    { what: 'deletionGracePeriodSeconds: "30" (quoted)', text: inMeta('  deletionGracePeriodSeconds: "30"'), kind: 'string', field: 'ObjectMeta.metadata.deletionGracePeriodSeconds', type: 'int64' },
    { what: 'an owner reference whose uid YAML reads as a number', text: inMeta('  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: order-1, uid: 42}]'), kind: 'number', field: 'OwnerReference.metadata.ownerReferences.uid', type: 'types.UID' },
    { what: 'managedFields as a mapping', text: inMeta('  managedFields: {manager: kubectl}'), kind: 'object', field: 'ObjectMeta.metadata.managedFields', type: '[]v1.ManagedFieldsEntry' },
    { what: 'status as a list', text: `${ORDER}status: []\n`, kind: 'array', field: 'Service.status', type: 'v1.ServiceStatus' },
    { what: 'status.loadBalancer as a list', text: inStatus('loadBalancer: []'), kind: 'array', field: 'ServiceStatus.status.loadBalancer', type: 'v1.LoadBalancerStatus' },
    { what: 'status.loadBalancer.ingress as a mapping', text: inStatus('loadBalancer:', '  ingress: {ip: 192.0.2.10}'), kind: 'object', field: 'LoadBalancerStatus.status.loadBalancer.ingress', type: '[]v1.LoadBalancerIngress' },
    { what: 'an ingress ipMode that YAML reads as a number', text: inStatus('loadBalancer:', '  ingress: [{ip: 192.0.2.10, ipMode: 1}]'), kind: 'number', field: 'LoadBalancerIngress.status.loadBalancer.ingress.ipMode', type: 'v1.LoadBalancerIPMode' },
    { what: 'an ingress port status with port "80" (quoted)', text: inStatus('loadBalancer:', '  ingress: [{ip: 192.0.2.10, ports: [{port: "80", protocol: TCP}]}]'), kind: 'string', field: 'PortStatus.status.loadBalancer.ingress.ports.port', type: 'int32' },
    { what: 'an ingress port status with protocol: 6', text: inStatus('loadBalancer:', '  ingress: [{ip: 192.0.2.10, ports: [{port: 80, protocol: 6}]}]'), kind: 'number', field: 'PortStatus.status.loadBalancer.ingress.ports.protocol', type: 'v1.Protocol' },
    { what: 'status.conditions as a mapping', text: inStatus('conditions: {type: Ready}'), kind: 'object', field: 'ServiceStatus.status.conditions', type: '[]v1.Condition' },
  ], (r) => `${r.what} is refused while decoding: cannot unmarshal ${r.kind} into ${r.field} of type ${r.type}`, (r) => {
    const err = manifestError(() => decodeOne(r.text))
    expect(err.message, 'encoding/json names the innermost Go struct, the JSON path from the top, and the Go type of the field').toBe(
      badRequest('order.yaml', `json: cannot unmarshal ${r.kind} into Go struct field ${r.field} of type ${r.type}`),
    )
  })

  cases([
    { what: 'port: 2147483647, the largest int32', text: ORDER.replace('- port: 80', '- port: 2147483647'), path: ['spec', 'ports', 0, 'port'], want: 2147483647 },
    { what: 'port: -2147483648, the smallest int32', text: ORDER.replace('- port: 80', '- port: -2147483648'), path: ['spec', 'ports', 0, 'port'], want: -2147483648 },
    { what: 'targetPort: 2147483647', text: ORDER.replace('targetPort: 8080', 'targetPort: 2147483647'), path: ['spec', 'ports', 0, 'targetPort'], want: 2147483647 },
    { what: 'generation: 3000000000 (an int64)', text: inMeta('  generation: 3000000000'), path: ['metadata', 'generation'], want: 3000000000 },
  ], (r) => `${r.what} decodes: the number fits the Go type, whatever validation says later`, (r) => {
    const svc = decodeOne(r.text)
    const got = r.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], svc)
    expect(got, `${r.path.join('.')} after decoding`).toBe(r.want)
  })

  test('a Service as kubectl get -o yaml shows it (every field of metadata, spec and status) decodes unchanged', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: order',
      '  namespace: snackbar',
      '  uid: 5d6b3c2a-1111-4222-8333-444455556666',
      '  resourceVersion: "4242"',
      '  generation: 3',
      '  creationTimestamp: "2026-01-01T00:00:00Z"',
      '  labels: {app: order}',
      '  annotations: {team: kitchen}',
      '  ownerReferences:',
      '  - {apiVersion: apps/v1, kind: Deployment, name: order, uid: 0c1d2e3f-aaaa-4bbb-8ccc-ddddeeeeffff, controller: true, blockOwnerDeletion: false}',
      '  finalizers: [service.kubernetes.io/load-balancer-cleanup]',
      '  managedFields:',
      '  - {manager: kubectl-client-side-apply, operation: Update, apiVersion: v1, time: "2026-01-01T00:00:00Z", fieldsType: FieldsV1, fieldsV1: {"f:spec": {}}}',
      'spec:',
      '  type: LoadBalancer',
      '  selector: {app: order}',
      '  ports: [{name: http, protocol: TCP, appProtocol: http, port: 80, targetPort: http, nodePort: 30080}]',
      '  clusterIP: 10.96.0.10',
      '  clusterIPs: [10.96.0.10]',
      '  ipFamilies: [IPv4]',
      '  ipFamilyPolicy: SingleStack',
      '  externalIPs: [192.0.2.20]',
      '  sessionAffinity: ClientIP',
      '  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}',
      '  loadBalancerSourceRanges: [192.0.2.0/24]',
      '  loadBalancerClass: example.com/lb',
      '  externalTrafficPolicy: Local',
      '  healthCheckNodePort: 30123',
      '  publishNotReadyAddresses: false',
      '  allocateLoadBalancerNodePorts: true',
      '  internalTrafficPolicy: Cluster',
      '  trafficDistribution: PreferClose',
      'status:',
      '  loadBalancer:',
      '    ingress: [{ip: 192.0.2.10, ipMode: VIP, ports: [{port: 80, protocol: TCP}]}]',
      '  conditions: [{type: Ready, status: "True", lastTransitionTime: "2026-01-01T00:00:00Z", reason: Ready, message: ""}]',
    )
    const [m] = readManifests(text, 'order.yaml')
    expect(decodeService(m!), 'a known field of the right type comes through as written; none is unknown to strict decoding').toStrictEqual(m!.object)
  })

  test('a null field is left out of the decoded object (Go keeps its zero value), not kept as undefined', () => {
    const svc = decodeOne(ORDER.replace('  ports:', '  clusterIP:\n  ports:'))
    expect(Object.keys(svc.spec ?? {}), 'the fields of spec after decoding clusterIP: (empty)').toEqual(['selector', 'ports'])
  })

  cases([
    { what: 'an empty list item in ports is a zero ServicePort', text: ORDER.replace('  - port: 80', '  -\n  - port: 80'), path: ['spec', 'ports'], want: [{}, { port: 80, targetPort: 8080 }] },
    { what: 'an empty selector value is the empty string', text: ORDER.replace('    app: order', '    app:'), path: ['spec', 'selector'], want: { app: '' } },
    { what: 'an empty finalizer is the empty string', text: inMeta('  finalizers: [~]'), path: ['metadata', 'finalizers'], want: [''] },
    { what: 'an empty managed-fields entry is an empty entry', text: inMeta('  managedFields: [~]'), path: ['metadata', 'managedFields'], want: [{}] },
  ], (r) => `${r.what}: a null inside a list or map becomes Go's zero value of the element`, (r) => {
    const svc = decodeOne(r.text)
    const got = r.path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], svc)
    expect(got, `${r.path.join('.')} after decoding`).toStrictEqual(r.want)
  })
})

// ---------------------------------------------------------------------------

task('port-syntax', () => {
  const portNames: { name: string; want: string[] }[] = [
    { name: 'http', want: [] },
    { name: '1-a', want: [] },
    { name: 're-mail-ck', want: [] },
    { name: '', want: [ONLY_ALNUM, ONE_LETTER] },
    { name: 'longerthan15characters', want: ['must be no more than 15 characters'] },
    { name: '12345', want: [ONE_LETTER] },
    { name: '-begin-', want: ['must not begin or end with a hyphen'] },
    { name: 'a--b', want: ['must not contain consecutive hyphens'] },
    { name: 'HTTP', want: [ONLY_ALNUM, ONE_LETTER] },
  ]
  for (const { name, want } of portNames) {
    test(`IsValidPortName(${JSON.stringify(name)}) lists every rule the name breaks, in order`, () => {
      expect(isValidPortName(name), `problems with port name ${JSON.stringify(name)}`).toEqual(want)
    })
  }

  test('IsValidPortNum accepts 1 and 65535 and refuses 0, -1 and 65536', () => {
    const got = [1, 65535, 0, -1, 65536].map((n) => `${n}: ${isValidPortNum(n).join('; ') || 'ok'}`)
    expect(got).toEqual(['1: ok', '65535: ok', `0: ${RANGE}`, `-1: ${RANGE}`, `65536: ${RANGE}`])
  })

  const dns1123: { value: string; want: string[] }[] = [
    { value: '1a', want: [] },
    { value: 'a.b', want: ['must not contain dots'] },
    { value: 'A', want: [DNS1123L] },
    { value: '-a.b', want: [DNS1123L] },
  ]
  for (const { value, want } of dns1123) {
    test(`IsDNS1123Label(${JSON.stringify(value)}) says "must not contain dots" only for a valid subdomain`, () => {
      expect(isDNS1123Label(value), `problems with ${JSON.stringify(value)} as a port name`).toEqual(want)
    })
  }

})

// ---------------------------------------------------------------------------

task('validate-service', () => {
  runRows([

    { id: 'I1', name: 'a Service without a name is refused', change: (s) => { s.metadata.name = '' }, want: ['metadata.name: Required value: name or generateName is required'] },
    { id: 'I10', name: 'a missing namespace is required (an internal object: the server fills it in)', change: (s) => { s.metadata.namespace = '' }, want: ['metadata.namespace: Required value'], internal: true },
    { id: 'I11', name: 'a namespace must be a DNS-1123 label (an internal object)', change: (s) => { s.metadata.namespace = '-123' }, want: [`metadata.namespace: Invalid value: "-123": ${DNS1123L}`], internal: true },
    { id: 'I12', name: 'a Service with no ports is refused: ports are required unless it is headless or ExternalName', change: (s) => { s.spec.ports = [] }, want: ['spec.ports: Required value'] },
    {
      id: 'I33',
      name: 'an unknown type is refused with the four types, sorted',
      change: (s) => { s.spec.type = 'Foo' },
      want: ['spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    },
    {
      id: 'I34',
      name: 'a nodePort on a ClusterIP Service is forbidden',
      change: (s) => { s.spec.ports.push({ name: 'q', port: 12345, protocol: 'TCP', nodePort: 12345 }) },
      want: ["spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    },
    { id: 'I37', name: 'an ExternalName Service needs an externalName', change: (s) => { s.spec.type = 'ExternalName' }, want: ['spec.externalName: Required value'] },
    {
      id: 'I38',
      name: 'an externalName must be a DNS-1123 subdomain',
      change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = '-123' },
      want: [`spec.externalName: Invalid value: "-123": ${DNS1123S}`],
    },
    {
      id: 'I39',
      name: 'an externalName with upper-case letters is refused',
      change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'Foo.Example.com' },
      want: [`spec.externalName: Invalid value: "Foo.Example.com": ${DNS1123S}`],
    },
    {
      id: 'I40',
      name: 'an ExternalName Service may not have a cluster IP',
      change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'foo.bar.example.com'; s.spec.clusterIP = '1.2.3.4' },
      want: ['spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
    },
    {
      id: 'I41',
      name: 'an ExternalName Service may not even have clusterIP None',
      change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'foo.bar.example.com'; s.spec.clusterIP = 'None' },
      want: ['spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
    },
    {
      id: 'I42',
      name: 'an ExternalName Service may not have an ipFamilyPolicy',
      change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'foo.bar.example.com'; s.spec.ipFamilyPolicy = 'SingleStack' },
      want: ['spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services'],
    },
    {
      id: 'I43',
      name: 'a selector key with "=" is refused at spec.selector, not at the key',
      change: (s) => { s.spec.selector = { 'NoSpecialCharsLike=Equals': 'bar' } },
      want: [`spec.selector: Invalid value: "NoSpecialCharsLike=Equals": ${LABELKEY}`],
    },
    {
      id: 'I44',
      name: 'a selector value with a space is refused at spec.selector',
      change: (s) => { s.spec.selector = { key: 'bad value' } },
      want: [`spec.selector: Invalid value: "bad value": ${LABELVAL}`],
    },
    {
      id: 'I54',
      name: 'two ports with the same protocol and port number are a duplicate at the later port',
      change: (s) => { s.spec.ports.push({ name: 'q', port: 12345, protocol: 'TCP' }, { name: 'r', port: 12345, protocol: 'TCP' }) },
      want: ['spec.ports[2]: FieldValueDuplicate'],
      fieldAndTypeOnly: true,
    },
    {
      id: 'I55',
      name: 'two ports with the same protocol and nodePort are a duplicate nodePort (validation alone; through the API the allocator answers first)',
      change: (s) => {
        s.spec.type = 'NodePort'
        s.spec.ports.push({ name: 'q', port: 1, protocol: 'TCP', nodePort: 30001 }, { name: 'r', port: 2, protocol: 'TCP', nodePort: 30001 })
      },
      want: ['spec.ports[2].nodePort: Duplicate value: 30001'],
    },
  ])

  runRows([

    { id: 'V2', name: 'a headless Service may have no ports', change: (s) => { s.spec.clusterIP = 'None'; s.spec.ports = [] }, want: [] },
    {
      id: 'V3',
      name: 'a headless Service may have a numeric targetPort that differs from its port',
      change: (s) => { s.spec.clusterIP = 'None'; s.spec.ports = [{ name: 'p', port: 11722, targetPort: 11721 }] },
      want: [],
    },
    {
      id: 'V3b',
      name: 'a headless Service may have a named targetPort',
      change: (s) => { s.spec.clusterIP = 'None'; s.spec.ports = [{ name: 'p', port: 11722, targetPort: 'target' }] },
      want: [],
    },
    {
      id: 'V4',
      name: 'the same port number over TCP, UDP and SCTP is not a duplicate',
      change: (s) => {
        s.spec.ports = [
          { name: 'q', port: 12345, protocol: 'TCP' },
          { name: 'r', port: 12345, protocol: 'UDP' },
          { name: 's', port: 12345, protocol: 'SCTP' },
        ]
      },
      want: [],
    },
    {
      id: 'V5',
      name: 'the same nodePort over TCP, UDP and SCTP is not a duplicate, and its range is not checked here',
      change: (s) => {
        s.spec.type = 'NodePort'
        s.spec.ports = [
          { name: 'q', port: 12345, protocol: 'TCP', nodePort: 1 },
          { name: 'r', port: 12345, protocol: 'UDP', nodePort: 1 },
          { name: 's', port: 12345, protocol: 'SCTP', nodePort: 1 },
        ]
      },
      want: [],
    },
    { id: 'V7', name: 'an externalName may end in a dot (fully qualified)', change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'foo.bar.example.com.' }, want: [] },
    { id: 'V12', name: 'a Service without a selector is valid (nobody manages its endpoints)', change: (s) => { delete s.spec.selector }, want: [] },
    { id: 'V19', name: 'an ExternalName Service with internalTrafficPolicy Cluster is tolerated', change: (s) => { s.spec.type = 'ExternalName'; s.spec.externalName = 'db.example.com'; s.spec.internalTrafficPolicy = 'Cluster' }, want: [] },
  ])
  runRows(SPEC_ROWS)
})

// ---------------------------------------------------------------------------

task('cluster-ips-and-policies', () => {
  const invalidRows: Row[] = [
    { id: 'I32', name: 'a clusterIP that is not an IP is refused at spec.clusterIPs[0]', change: (s) => { s.spec.clusterIP = 'invalid' }, want: [`spec.clusterIPs[0]: Invalid value: "invalid": ${IP}`] },
    {
      id: 'I35',
      name: 'a NodePort Service may not be headless',
      change: (s) => { s.spec.type = 'NodePort'; s.spec.clusterIP = 'None' },
      want: ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    },
    {
      id: 'I36',
      name: 'a LoadBalancer Service may not be headless',
      change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.clusterIP = 'None' },
      want: ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"],
    },
    {
      id: 'I45',
      name: 'an unknown sessionAffinity is refused with ClientIP and None',
      change: (s) => { s.spec.sessionAffinity = 'Sticky' },
      want: ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
    },
    ...[-1, 0, 86401].map(
      (t, i): Row => ({
        id: `I${46 + i}`,
        name: `a ClientIP timeout of ${t} seconds is refused: it must be in (0, 86400]`,
        change: (s) => { s.spec.sessionAffinity = 'ClientIP'; s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: t } } },
        want: [`spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${t}: must be greater than 0 and less than 86400`],
      }),
    ),
    {
      id: 'I49',
      name: 'sessionAffinity None with a config is forbidden (an internal object: v1 defaulting drops the config)',
      change: (s) => { s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 90 } } },
      want: ['spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None'],
      internal: true,
    },
    {
      id: 'I50',
      name: 'an unknown externalTrafficPolicy on a LoadBalancer is refused',
      change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.externalTrafficPolicy = 'invalid' },
      want: ['spec.externalTrafficPolicy: Unsupported value: "invalid": supported values: "Cluster", "Local"'],
    },
    {
      id: 'I51',
      name: 'externalTrafficPolicy Local on a plain ClusterIP Service is refused',
      change: (s) => { s.spec.externalTrafficPolicy = 'Local' },
      want: ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    },
    {
      id: 'I52',
      name: 'a healthCheckNodePort on a NodePort Service is refused, even with policy Local',
      change: (s) => { s.spec.type = 'NodePort'; s.spec.externalTrafficPolicy = 'Local'; s.spec.healthCheckNodePort = 30001 },
      want: ["spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
    },
    {
      id: 'I53',
      name: 'a negative healthCheckNodePort is out of range (validation alone; through the API the allocator answers first)',
      change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.externalTrafficPolicy = 'Local'; s.spec.healthCheckNodePort = -1 },
      want: [`spec.healthCheckNodePort: Invalid value: -1: ${RANGE}`],
    },
    {
      id: 'I56',
      name: 'an unknown internalTrafficPolicy is refused',
      change: (s) => { s.spec.internalTrafficPolicy = 'invalid' },
      want: ['spec.internalTrafficPolicy: Unsupported value: "invalid": supported values: "Cluster", "Local"'],
    },
    {
      id: 'I57',
      name: 'loadBalancerSourceRanges on a ClusterIP Service are forbidden, at the capital-L path',
      change: (s) => { s.spec.loadBalancerSourceRanges = ['1.2.3.0/24'] },
      want: [`spec.LoadBalancerSourceRanges: Forbidden: ${NOT_LB}`],
    },
    {
      id: 'I58',
      name: 'a source range that is not a CIDR is refused',
      change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerSourceRanges = ['1.2.3.4/33'] },
      want: [`spec.LoadBalancerSourceRanges[0]: Invalid value: "1.2.3.4/33": ${CIDR}`],
    },
    {
      id: 'I59',
      name: 'the source-ranges annotation on a ClusterIP Service is forbidden even when empty',
      change: (s) => { s.metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': '' } },
      want: [`metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: ${NOT_LB}`],
    },
    {
      id: 'I60',
      name: 'allocateLoadBalancerNodePorts on a NodePort Service is forbidden',
      change: (s) => { s.spec.type = 'NodePort'; s.spec.allocateLoadBalancerNodePorts = false },
      want: [`spec.allocateLoadBalancerNodePorts: Forbidden: ${NOT_LB}`],
    },
    {
      id: 'I61',
      name: 'a loadBalancerClass on a ClusterIP Service is forbidden',
      change: (s) => { s.spec.loadBalancerClass = 'example.com/lb' },
      want: [`spec.loadBalancerClass: Forbidden: ${NOT_LB}`],
    },
    {
      id: 'I62',
      name: 'an external IP in the loopback range is refused',
      change: (s) => { s.spec.externalIPs = ['127.0.0.1']; s.spec.externalTrafficPolicy = 'Cluster' },
      want: ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    },
    {
      id: 'I62b',
      name: 'the cloud metadata address 169.254.169.254 is refused as an external IP: it is link-local',
      change: (s) => { s.spec.externalIPs = ['169.254.169.254'] },
      want: ['spec.externalIPs[0]: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    },
    { id: 'I63', name: 'the unspecified address 0.0.0.0 is refused as an external IP', change: (s) => { s.spec.externalIPs = ['0.0.0.0'] }, want: ['spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)'] },
    { id: 'I64', name: 'a host name is not an external IP', change: (s) => { s.spec.externalIPs = ['myhost.mydomain'] }, want: [`spec.externalIPs[0]: Invalid value: "myhost.mydomain": ${IP}`] },
    {
      id: 'I65',
      name: 'None may only be the first and only cluster IP',
      change: (s) => { s.spec.clusterIP = 'None'; s.spec.clusterIPs = ['None', '2001::1']; s.spec.ipFamilyPolicy = 'RequireDualStack' },
      want: ['spec.clusterIPs: Invalid value: ["None","2001::1"]: \'None\' must be the first and only value'],
    },
    {
      id: 'I66',
      name: 'more than two cluster IPs are refused',
      change: (s) => { s.spec.clusterIP = '10.0.0.1'; s.spec.clusterIPs = ['10.0.0.1', '2001::1', '10.0.0.10'] },
      want: ['spec.clusterIPs: Invalid value: ["10.0.0.1","2001::1","10.0.0.10"]: may only hold up to 2 values'],
    },
    {
      id: 'I67',
      name: 'two IPv4 cluster IPs are not dual-stack, and the second does not match ipFamilies[1]',
      change: (s) => { s.spec.clusterIP = '10.0.0.1'; s.spec.clusterIPs = ['10.0.0.1', '10.0.0.10']; s.spec.ipFamilies = ['IPv4', 'IPv6'] },
      want: [
        'spec.clusterIPs: Invalid value: ["10.0.0.1","10.0.0.10"]: may specify no more than one IP for each IP family',
        'spec.clusterIPs[1]: Invalid value: "10.0.0.10": expected an IPv6 value as indicated by `ipFamilies[1]`',
      ],
    },
    {
      id: 'I68',
      name: 'a LoadBalancer needs allocateLoadBalancerNodePorts and externalTrafficPolicy (an internal object: both are defaulted)',
      change: (s) => { s.spec.type = 'LoadBalancer' },
      want: ['allocateLoadBalancerNodePorts: Required value', 'spec.externalTrafficPolicy: Required value'],
      internal: true,
    },
    {
      id: 'I69',
      name: 'a ClusterIP Service needs an internalTrafficPolicy (an internal object: it is defaulted)',
      change: (s) => { delete s.spec.internalTrafficPolicy },
      want: ['spec.internalTrafficPolicy: Required value'],
      internal: true,
    },
  ]
  runRows(invalidRows)

  const validRows: Row[] = [
    { id: 'V13', name: 'a ClientIP timeout of exactly 86400 seconds is accepted', change: (s) => { s.spec.sessionAffinity = 'ClientIP'; s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 86400 } } }, want: [] },
    { id: 'V14', name: 'a LoadBalancer with allocateLoadBalancerNodePorts false is valid', change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.allocateLoadBalancerNodePorts = false }, want: [] },
    { id: 'V15', name: 'a LoadBalancer may expose port 10250', change: (s) => { s.spec.type = 'LoadBalancer'; port0(s).port = 10250 }, want: [] },
    { id: 'V16', name: 'a ClusterIP Service with an external IP and policy Cluster is valid', change: (s) => { s.spec.externalIPs = ['1.2.3.4']; s.spec.externalTrafficPolicy = 'Cluster' }, want: [] },
    {
      id: 'V17',
      name: 'source ranges padded with spaces are trimmed before they are checked',
      change: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerSourceRanges = ['1.2.3.0/24  ', ' 5.6.0.0/16'] },
      want: [],
    },
    ...['1.2.3.0/24,  5.6.0.0/16', '', '  '].map(
      (value, i): Row => ({
        id: `V18${'abc'[i]}`,
        name: `a LoadBalancer may carry the source-ranges annotation ${JSON.stringify(value)}`,
        change: (s) => { s.spec.type = 'LoadBalancer'; s.metadata.annotations = { 'service.beta.kubernetes.io/load-balancer-source-ranges': value } },
        want: [],
      }),
    ),
    {
      id: 'V18d',
      name: 'a dual-stack Service with one IPv4 and one IPv6 cluster IP matching ipFamilies is valid',
      change: (s) => {
        s.spec.clusterIP = '10.96.0.20'
        s.spec.clusterIPs = ['10.96.0.20', 'fd00:10:96::20']
        s.spec.ipFamilies = ['IPv4', 'IPv6']
        s.spec.ipFamilyPolicy = 'RequireDualStack'
      },
      want: [],
    },
  ]
  runRows(validRows)
  runRows([...IP_SYNTAX_ROWS, ...EXTERNAL_IP_ROWS, ...CLUSTER_IP_ROWS])

  const accessible: { name: string; spec: ServiceSpec; accessible: boolean; healthCheck: boolean }[] = [
    { name: 'LoadBalancer', spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Cluster' }, accessible: true, healthCheck: false },
    { name: 'LoadBalancer with policy Local', spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, accessible: true, healthCheck: true },
    { name: 'NodePort with policy Local', spec: { type: 'NodePort', externalTrafficPolicy: 'Local' }, accessible: true, healthCheck: false },
    { name: 'ClusterIP with externalIPs', spec: { type: 'ClusterIP', externalIPs: ['1.2.3.4'] }, accessible: true, healthCheck: false },
    { name: 'plain ClusterIP', spec: { type: 'ClusterIP' }, accessible: false, healthCheck: false },
    { name: 'ExternalName with externalIPs', spec: { type: 'ExternalName', externalIPs: ['1.2.3.4'] }, accessible: false, healthCheck: false },
  ]
  for (const { name, spec, accessible: ea, healthCheck } of accessible) {
    test(`a ${name} is ${ea ? '' : 'not '}externally accessible and ${healthCheck ? 'needs' : 'needs no'} health-check node port`, () => {
      const svc: Service = { metadata: { name: 'order' }, spec }
      expect(externallyAccessible(svc), `ExternallyAccessible(${JSON.stringify(spec)})`).toBe(ea)
      expect(needsHealthCheck(svc), `NeedsHealthCheck(${JSON.stringify(spec)})`).toBe(healthCheck)
    })
  }
})

// ---------------------------------------------------------------------------

task('update-rules', () => {
  const rows: UpdateRow[] = [
    {
      id: 'U1',
      name: 'the cluster IP may not change once set',
      old: (s) => { s.spec.clusterIP = '10.96.0.20' },
      update: (s) => { s.spec.clusterIP = '10.96.0.21'; s.spec.clusterIPs = ['10.96.0.21'] },
      want: ['spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set'],
    },
    {
      id: 'U2',
      name: 'the loadBalancerClass of a LoadBalancer may not change',
      old: (s) => { s.spec.type = 'LoadBalancer'; s.spec.loadBalancerClass = 'a' },
      update: (s) => { s.spec.loadBalancerClass = 'b' },
      want: ['spec.loadBalancerClass: Invalid value: "b": may not change once set'],
    },
    {
      id: 'U3',
      name: 'the healthCheckNodePort of a LoadBalancer with policy Local may not change',
      old: (s) => { s.spec.type = 'LoadBalancer'; s.spec.externalTrafficPolicy = 'Local'; s.spec.healthCheckNodePort = 30001 },
      update: (s) => { s.spec.healthCheckNodePort = 30002 },
      want: ['spec.healthCheckNodePort: Forbidden: field is immutable'],
    },
    {
      id: 'U4',
      name: 'releasing the secondary cluster IP needs ipFamilyPolicy SingleStack',
      old: (s) => {
        s.spec.clusterIP = '10.96.0.20'
        s.spec.clusterIPs = ['10.96.0.20', 'fd00:10:96::20']
        s.spec.ipFamilies = ['IPv4', 'IPv6']
        s.spec.ipFamilyPolicy = 'RequireDualStack'
      },
      update: (s) => { s.spec.clusterIPs = ['10.96.0.20'] },
      want: ["spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": must be set to 'SingleStack' when releasing the secondary clusterIP"],
    },
    {
      id: 'U4b',
      name: 'a dual-stack Service may go back to single-stack with ipFamilyPolicy SingleStack',
      old: (s) => {
        s.spec.clusterIP = '10.96.0.20'
        s.spec.clusterIPs = ['10.96.0.20', 'fd00:10:96::20']
        s.spec.ipFamilies = ['IPv4', 'IPv6']
        s.spec.ipFamilyPolicy = 'RequireDualStack'
      },
      update: (s) => { s.spec.clusterIPs = ['10.96.0.20']; s.spec.ipFamilies = ['IPv4']; s.spec.ipFamilyPolicy = 'SingleStack' },
      want: [],
    },
    {
      id: 'U5',
      name: 'a ClusterIP Service may become an ExternalName once the registry has wiped its cluster IPs',
      old: (s) => { s.spec.clusterIP = '10.96.0.20'; s.spec.ipFamilies = ['IPv4']; s.spec.ipFamilyPolicy = 'SingleStack' },
      update: (s) => {
        s.spec.type = 'ExternalName'
        s.spec.externalName = 'db.example.com'
        delete s.spec.clusterIP
        delete s.spec.clusterIPs
        delete s.spec.ipFamilies
        delete s.spec.ipFamilyPolicy
      },
      want: [],
    },
    {
      id: 'U6',
      name: 'a NodePort Service may become a ClusterIP once the registry has wiped its nodePorts and externalTrafficPolicy',
      old: (s) => { s.spec.type = 'NodePort'; s.spec.clusterIP = '10.96.0.20'; port0(s).nodePort = 30080 },
      update: (s) => { s.spec.type = 'ClusterIP'; delete port0(s).nodePort; delete s.spec.externalTrafficPolicy },
      want: [],
    },
    {
      id: 'U7',
      name: 'changing the selector and the ports of a Service is allowed',
      old: (s) => { s.spec.clusterIP = '10.96.0.20' },
      update: (s) => { s.spec.selector = { app: 'order', track: 'canary' }; port0(s).targetPort = 'http' },
      want: [],
    },
  ]
  rows.push(...UPDATE_ROWS)
  const names = rows.map((r) => `${r.id}: ${r.name}`)
  rows.forEach((row, i) => {
    test(names[i]!, () => {
      const old = asCreated(fromBase(row.old)) as Svc
      const next = structuredClone(old)
      row.update(next)
      const got = errorStrings(validateServiceUpdate(next, old))
      expect(got, explainErrors(`updating Service "valid" (${row.id})`, row.want, got)).toEqual(row.want)
    })
  })
})