// What the reference model says about a YAML block: the objects `kubectl apply`
// would create, or the API server's error lines. Each block is applied to a
// fresh default cluster (solutions/cluster), which reads it with kata 01's
// readManifests, decodes, defaults and validates Services with kata 01's code,
// and validates Pods, Deployments, Namespaces and Endpoints as the model does —
// the same text `katas kubectl apply -f` prints.
import { Cluster } from '../../solutions/cluster/cluster.ts'
import { ManifestError, readManifests, type Manifest } from '../../solutions/api/manifests.ts'

export interface Refusal {
  /** 1-based line in the block's text: of the document (or of the syntax error). */
  line: number
  /** What kubectl prints, one or more lines. */
  text: string
}

/**
 * Applies a manifest to a fresh cluster and returns what is refused, in file order.
 *
 * 1. A file that cannot be read (YAML syntax, a document without kind or
 *    apiVersion) is one refusal at its line.
 * 2. The namespaces the documents name are created first, as a lesson's
 *    `namespace.yaml` would have been applied before.
 * 3. Every document must also have `metadata.name`.
 */
export function refusals(text: string, file: string): Refusal[] {
  let manifests: Manifest[]
  try {
    manifests = readManifests(text, file)
  } catch (err) {
    if (err instanceof ManifestError) return [{ line: err.line, text: err.message }]
    throw err
  }
  const cluster = new Cluster()
  const namespaces = new Set(manifests.map((m) => m.object.metadata?.namespace).filter((ns): ns is string => typeof ns === 'string' && ns !== ''))
  for (const ns of namespaces) cluster.applyObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })
  const out: Refusal[] = []
  const results = cluster.apply(text, file)
  manifests.forEach((m, i) => {
    const r = results[i]
    if (r && !r.ok) out.push({ line: m.line, text: r.error })
    else if (typeof m.object.metadata?.name !== 'string' || m.object.metadata.name === '') {
      out.push({ line: m.line, text: `error: a ${m.object.kind} needs metadata.name` })
    }
  })
  return out
}
