// `-o json`, `-o yaml`, `-o name`: the API objects as kubectl prints them — keys sorted
// (kubectl reads the response as unstructured maps), JSON indented by four spaces, YAML
// with sequences flush under their key, several objects wrapped in a `List`.
// @see https://github.com/kubernetes/cli-runtime/blob/kubernetes-1.34.0/pkg/printers/json.go

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k]
    if (v !== undefined) out[k] = sortKeys(v)
  }
  return out
}

export function asList(items: readonly unknown[]): unknown {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }
}

export function printJSON(obj: unknown): string {
  return `${JSON.stringify(sortKeys(obj), null, 4)}\n`
}

export async function printYAML(obj: unknown): Promise<string> {
  // Loaded only for -o yaml: the package's many files cost every other command ~50 ms.
  const { stringify } = await import('yaml')
  // YAML 1.1 quoting, as go-yaml v2 does: strings that would read back as timestamps, numbers or booleans are quoted.
  return stringify(sortKeys(obj), { version: '1.1', indentSeq: false, lineWidth: 0, minContentWidth: 0 })
}
