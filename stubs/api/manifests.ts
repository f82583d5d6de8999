// ────────────────────────────────────────────────────────────────────────
// Kata 01 · core path: you write
//   task 1 (decode-service): decodeService
// Each is marked TODO(kata 01) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 01`.
// ────────────────────────────────────────────────────────────────────────
// Reading manifests: what `kubectl apply -f order.yaml` does with the file
// before any validation: split it into YAML documents, turn each into JSON
// data, skip the empty ones, check that each is an object with `apiVersion`
// and `kind`, and (on the server) decode it into the typed Go struct, which
// is where `port: "80"` fails, and — strictly, as kubectl asks — where a
// misspelt `secector` fails. Every error names the file and the line.
import { LineCounter, parseAllDocuments } from 'yaml'
import type { Service } from 'kubernetes-types/core/v1'
import type { ObjectMeta } from 'kubernetes-types/meta/v1'

/** A Kubernetes object as read from a manifest, before it is decoded into its kind. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata?: ObjectMeta
  [field: string]: unknown
}

/** One object of a manifest file and where it came from. */
export interface Manifest {
  /** The document as JSON data: what kubectl sends to the API server. */
  object: KubeObject
  /** The file name as given to `kubectl apply -f`. */
  file: string
  /** 1-based line of the document's first content line (after `---` and comments). */
  line: number
}

/**
 * A manifest kubectl refuses, with the text kubectl prints as `message`, e.g.
 * `error: error validating "order.yaml": error validating data: kind not set; …`.
 *
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/util/helpers.go
 */
export class ManifestError extends Error {
  override name = 'ManifestError'
  constructor(
    /** The file name as given to `kubectl apply -f`. */
    readonly file: string,
    /** 1-based line: where the syntax error is, or where the offending document starts. */
    readonly line: number,
    message: string,
  ) {
    super(message)
  }
}

const VALIDATE_OFF = 'if you choose to ignore these errors, turn validation off with --validate=false'

/**
 * Reads every object of a (multi-document) YAML or JSON manifest, in file order.
 *
 * 1. YAML is read as kubectl reads it (go-yaml v2, YAML 1.1): `yes`/`no`/`on`/`off`
 *    (and `y`/`n`) are booleans, `0755` is octal, timestamps stay strings, and a
 *    repeated key silently keeps its last value.
 * 2. A syntax error → `error: error parsing FILE: error converting YAML to JSON:
 *    yaml: line N: <reason>` (N is the line in the file; the reason is the `yaml`
 *    package's wording, not go-yaml's).
 * 3. An empty document (`---` twice, only comments, or `null`) is skipped.
 * 4. A document that is not a mapping → `error: error validating "FILE": error
 *    validating data: invalid object to validate; if you choose to ignore these
 *    errors, turn validation off with --validate=false`.
 * 5. `apiVersion`/`kind` missing (`apiVersion not set`, `kind not set`) or not a
 *    string (`apiVersion isn't string type`, `kind isn't string type`), or an
 *    apiVersion with two `/` (`unexpected GroupVersion string: apps/v1/Deployment`) →
 *    the same `error validating data:` line; two problems are listed as `[a, b]`.
 *
 * Errors carry the file and the line of the document (of the syntax error for 2);
 * the first error in the file wins, so nothing is half-read.
 * Simplified: kubectl numbers syntax-error lines from the start of each document; here they are file lines.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/yaml/decoder.go
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/validation/schema.go
 */
export function readManifests(text: string, file: string): Manifest[] {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, {
    lineCounter,
    version: '1.1',
    uniqueKeys: false,
    // go-yaml leaves timestamps as strings when decoding into JSON: drop YAML 1.1's timestamp tag.
    customTags: (tags) => tags.filter((t) => (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp'),
  })

  const manifests: Manifest[] = []
  for (const doc of docs) {
    const syntax = doc.errors[0]
    if (syntax) {
      const line = lineCounter.linePos(syntax.pos[0]).line
      const reason = syntax.message.split(/ at line \d+, column/)[0]!.split('\n')[0]!
      throw new ManifestError(
        file,
        line,
        `error: error parsing ${file}: error converting YAML to JSON: yaml: line ${line}: ${reason}`,
      )
    }
    const value: unknown = doc.toJS()
    if (value === null) continue
    // The parser gives every document contents (a null scalar when it is empty).
    const line = lineCounter.linePos(doc.contents!.range[0]).line
    const invalidData = (problems: string[]) =>
      new ManifestError(
        file,
        line,
        `error: error validating "${file}": error validating data: ${
          problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`
        }; ${VALIDATE_OFF}`,
      )
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidData(['invalid object to validate'])
    const obj = value as Record<string, unknown>
    const problems: string[] = []
    if (obj.apiVersion == null) problems.push('apiVersion not set')
    else if (typeof obj.apiVersion !== 'string') problems.push("apiVersion isn't string type")
    else if (obj.apiVersion.split('/').length > 2) problems.push(`unexpected GroupVersion string: ${obj.apiVersion}`)
    if (obj.kind == null) problems.push('kind not set')
    else if (typeof obj.kind !== 'string') problems.push("kind isn't string type")
    if (problems.length) throw invalidData(problems)
    manifests.push({ object: obj as KubeObject, file, line })
  }
  return manifests
}

// ---------------------------------------------------------------------------
// Decoding into the typed object: a tiny picture of the Go structs the API
// server unmarshals JSON into, so that type errors read like encoding/json's.

type GoType =
  | { t: 'string'; name: string }
  | { t: 'int'; name: 'int32' | 'int64' }
  | { t: 'bool' }
  | { t: 'intOrString' }
  | { t: 'slice'; elem: GoType }
  | { t: 'map'; elem: GoType }
  | { t: 'struct'; name: string; fields: Record<string, GoType> }
  /** A field the walker does not look into (times, managed fields): any JSON is taken as is. */
  | { t: 'any'; name: string }

const str = (name = 'string'): GoType => ({ t: 'string', name })
const int32: GoType = { t: 'int', name: 'int32' }
const int64: GoType = { t: 'int', name: 'int64' }
const bool: GoType = { t: 'bool' }
const sliceOf = (elem: GoType): GoType => ({ t: 'slice', elem })
const stringMap: GoType = { t: 'map', elem: str() }
const struct = (name: string, fields: Record<string, GoType>): GoType => ({ t: 'struct', name, fields })
const any = (name: string): GoType => ({ t: 'any', name })

// Every field of the v1 structs a Service is decoded into: with strict field validation
// any other name is an unknown field.
const OBJECT_META = struct('ObjectMeta', {
  name: str(),
  generateName: str(),
  namespace: str(),
  selfLink: str(),
  uid: str('types.UID'),
  resourceVersion: str(),
  generation: int64,
  creationTimestamp: any('v1.Time'),
  deletionTimestamp: any('*v1.Time'),
  deletionGracePeriodSeconds: int64,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: sliceOf(
    struct('OwnerReference', { apiVersion: str(), kind: str(), name: str(), uid: str('types.UID'), controller: bool, blockOwnerDeletion: bool }),
  ),
  finalizers: sliceOf(str()),
  managedFields: sliceOf(any('v1.ManagedFieldsEntry')),
})

const SERVICE_PORT = struct('ServicePort', {
  name: str(),
  protocol: str('v1.Protocol'),
  appProtocol: str(),
  port: int32,
  targetPort: { t: 'intOrString' },
  nodePort: int32,
})

const SERVICE_SPEC = struct('ServiceSpec', {
  ports: sliceOf(SERVICE_PORT),
  selector: stringMap,
  clusterIP: str(),
  clusterIPs: sliceOf(str()),
  type: str('v1.ServiceType'),
  externalIPs: sliceOf(str()),
  sessionAffinity: str('v1.ServiceAffinity'),
  loadBalancerIP: str(),
  loadBalancerSourceRanges: sliceOf(str()),
  externalName: str(),
  externalTrafficPolicy: str('v1.ServiceExternalTrafficPolicy'),
  healthCheckNodePort: int32,
  publishNotReadyAddresses: bool,
  sessionAffinityConfig: struct('SessionAffinityConfig', {
    clientIP: struct('ClientIPConfig', { timeoutSeconds: int32 }),
  }),
  ipFamilies: sliceOf(str('v1.IPFamily')),
  ipFamilyPolicy: str('v1.IPFamilyPolicy'),
  allocateLoadBalancerNodePorts: bool,
  loadBalancerClass: str(),
  internalTrafficPolicy: str('v1.ServiceInternalTrafficPolicy'),
  trafficDistribution: str(),
})

const SERVICE_STATUS = struct('ServiceStatus', {
  loadBalancer: struct('LoadBalancerStatus', {
    ingress: sliceOf(
      struct('LoadBalancerIngress', {
        ip: str(),
        hostname: str(),
        ipMode: str('v1.LoadBalancerIPMode'),
        ports: sliceOf(struct('PortStatus', { port: int32, protocol: str('v1.Protocol'), error: str() })),
      }),
    ),
  }),
  conditions: sliceOf(any('v1.Condition')),
})

const SERVICE = struct('Service', {
  apiVersion: str(),
  kind: str(),
  metadata: OBJECT_META,
  spec: SERVICE_SPEC,
  status: SERVICE_STATUS,
})

/** Go's `reflect.Type.String()` of a field's type. */
function goTypeName(type: GoType): string {
  switch (type.t) {
    case 'string':
    case 'int':
    case 'any':
      return type.name
    case 'bool':
      return 'bool'
    case 'intOrString':
      return 'intstr.IntOrString'
    case 'slice':
      return `[]${goTypeName(type.elem)}`
    case 'map':
      return `map[string]${goTypeName(type.elem)}`
    case 'struct':
      return type.name.includes('.') ? type.name : `v1.${type.name}`
  }
}

/** encoding/json's name for a JSON value's kind in `cannot unmarshal <kind> into …`. */
function jsonKind(value: unknown): string {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'number') return 'number'
  if (typeof value === 'boolean') return 'bool'
  if (Array.isArray(value)) return 'array'
  return 'object'
}

const isInt = (n: number, bits: 32 | 64) =>
  Number.isInteger(n) && (bits === 64 ? Number.isSafeInteger(n) : n >= -(2 ** 31) && n <= 2 ** 31 - 1)

/** encoding/json's words for a value no struct field holds: `cannot unmarshal … into Go value of type …`. */
const TOP_LEVEL = 'Go value'

interface DecodeError {
  /** `json: cannot unmarshal …` */
  text: string
  /** An error from a custom unmarshaler (IntOrString) stops decoding at once. */
  fatal: boolean
}

/** Where the walker is: the Go struct holding the field, the JSON names from the top, the full path, and what it found that no struct has. */
interface DecodeContext {
  struct: string
  /** JSON names from the top, without indexes: `spec.ports.port` (encoding/json's error context). */
  fields: string[]
  /** The path with indexes, `spec.ports[0].nme`, as strict decoding names an unknown field. */
  path: string
  /** The paths of the unknown fields met so far, in document order. */
  unknown: string[]
}

/**
 * Strict field validation's error (`runtime.NewStrictDecodingError`): kubectl asks for it
 * by default since v1.27 (`--validate=strict` → `fieldValidation=Strict`), so a typo such
 * as `secector` is refused instead of silently dropped:
 * `strict decoding error: unknown field "spec.secector", unknown field "…"`.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/runtime/error.go
 * @see https://github.com/kubernetes-sigs/json/blob/v0.0.0-20241014173422-cfa47c3a1cc8/internal/golang/encoding/json/decode.go
 */
export function strictDecodingError(unknown: readonly string[]): string {
  return `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`
}

/**
 * Walks a JSON value against a Go type like encoding/json, pushing one `DecodeError`
 * per type mismatch into `errs` in document order and going on; returns the value with
 * `null`s dropped (Go leaves the zero value). A field no struct has is left out of the
 * value and its path (`spec.ports[0].nme`) goes to `ctx.unknown`, for strict decoding.
 *
 * 1. The text is `json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of type
 *    <Go type>`: the Go struct is the innermost one holding the field; the path joins the
 *    JSON names from the top without indexes (`ServicePort.spec.ports.port`); at the top
 *    level it is `into Go value of type …`.
 * 2. The kind is `string`, `number` (`number 80.5` for a number that does not fit the
 *    integer type), `bool`, `array` or `object`; a map value of the wrong type fails at the
 *    map (`ObjectMeta.metadata.labels of type string`).
 * 3. `targetPort` (IntOrString) takes a string or an int32; anything else is a *fatal*
 *    error of type `int32`: its own unmarshaler stops the decoder.
 */
function decode(value: unknown, type: GoType, ctx: DecodeContext, errs: DecodeError[]): unknown {
  if (value === null) return undefined
  const mismatch = (kind: string, goType = goTypeName(type), fatal = false) => {
    const where = ctx.fields.length ? `Go struct field ${ctx.struct}.${ctx.fields.join('.')}` : TOP_LEVEL
    errs.push({ text: `json: cannot unmarshal ${kind} into ${where} of type ${goType}`, fatal })
    return undefined
  }
  switch (type.t) {
    case 'any':
      return value
    case 'string':
      return typeof value === 'string' ? value : mismatch(jsonKind(value))
    case 'bool':
      return typeof value === 'boolean' ? value : mismatch(jsonKind(value))
    case 'int':
      if (typeof value !== 'number') return mismatch(jsonKind(value))
      return isInt(value, type.name === 'int32' ? 32 : 64) ? value : mismatch(`number ${value}`)
    case 'intOrString':
      // IntOrString.UnmarshalJSON: a JSON string is a name, anything else must be an int32.
      if (typeof value === 'string') return value
      if (typeof value !== 'number') return mismatch(jsonKind(value), 'int32', true)
      return isInt(value, 32) ? value : mismatch(`number ${value}`, 'int32', true)
    case 'slice':
      if (!Array.isArray(value)) return mismatch(jsonKind(value))
      return value.map((v, i) => decode(v, type.elem, { ...ctx, path: `${ctx.path}[${i}]` }, errs) ?? zeroValue(type.elem))
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return mismatch(jsonKind(value))
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        const d = decode(v, type.elem, ctx, errs)
        out[k] = d ?? zeroValue(type.elem)
      }
      return out
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return mismatch(jsonKind(value))
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        const path = ctx.path ? `${ctx.path}.${k}` : k
        const fieldType = type.fields[k]
        if (!fieldType) {
          ctx.unknown.push(path)
          continue
        }
        const d = decode(v, fieldType, { struct: type.name, fields: [...ctx.fields, k], path, unknown: ctx.unknown }, errs)
        if (d !== undefined) out[k] = d
      }
      return out
    }
  }
}

/** Go's zero value of a type, as decoded values show it: what a `null` list item or map value becomes. */
function zeroValue(type: GoType): unknown {
  // A Service's lists and maps hold only strings and structs, so no manifest reaches the other cases.
  switch (type.t) {
    case 'string':
      return ''
    case 'map':
    case 'struct':
    case 'any': // the walker's `any` lists hold structs (managed fields, conditions)
      return {}
    case 'slice':
      return []
    case 'bool':
      return false
    case 'int':
    case 'intOrString':
      return 0
  }
}

/**
 * Decodes a manifest into a `v1` Service the way the API server does, before any
 * default or rule, and returns it with `null` fields dropped (ready for `setDefaultsService`).
 *
 * 1. Not `kind: Service` at all: a `TypeError` (the caller picked the wrong decoder),
 *    `decodeService: <file>:<line> is a <kind>, not a Service`.
 * 2. `apiVersion` other than `v1`: kubectl finds no resource mapping and refuses before
 *    sending anything, with two lines: `error: resource mapping not found for name:
 *    "<name>" namespace: "<namespace>" from "<file>": no matches for kind "Service" in
 *    version "<apiVersion>"`, then `ensure CRDs are installed first` (name and namespace
 *    from `metadata`, empty when unset).
 * 3. Decode with the given walker: `decode(object, SERVICE, { struct: 'Service', fields: [],
 *    path: '', unknown }, errs)` returns the decoded value, collects the type mismatches in
 *    `errs` and the paths of unknown fields in `unknown` (see `decode`).
 * 4. A type mismatch: report ONE, the first fatal one if any (a bad `targetPort` stops the
 *    decoder, so it wins over an earlier mismatch), else the first — e.g. for `port: "80"`:
 *    `json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32`.
 * 5. No mismatch but unknown fields (strict field validation, kubectl's default since
 *    v1.27): `strictDecodingError(unknown)` (given, above) — `strict decoding error:
 *    unknown field "spec.secector"`, every unknown field listed.
 * 6. Rules 4 and 5 are reported as `Error from server (BadRequest): error when creating
 *    "<file>": Service in version "v1" cannot be handled as a Service: <the text>`.
 *    Nothing wrong: return the decoded value.
 *
 * @throws {ManifestError} for rules 2, 4 and 5, with the manifest's `file` and `line`.
 * @throws {TypeError} for rule 1.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/runtime/serializer/json/json.go
 * @see https://github.com/kubernetes/apiserver/blob/kubernetes-1.34.0/pkg/endpoints/handlers/rest.go
 */
export function decodeService(manifest: Manifest): Service {
  // TODO(kata 01, task 1): the kind, then the apiVersion; decode(…) with an errs list and an unknown
  // list; report the first fatal error, else the first one, else the unknown fields.
  throw new Error('kata 01-service-object: decodeService is not implemented yet — see lessons/01-service-object.md')
}
