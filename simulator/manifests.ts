// What is wrong with a manifest itself, as kubectl says it, for when the model
// throws on one: YAML that does not parse, or that expands without end (an alias
// bomb). Errors in the learner's manifests are never the model's.
import { parseAllDocuments } from 'yaml'

/** go-yaml's limit on alias expansion gives this error; the `yaml` package's own limit stands in for it. */
const ALIASING = 'yaml: document contains excessive aliasing'

/** kubectl's error line for a manifest that cannot be read as YAML at all, or undefined when it can. */
export function manifestProblem(text: string, file: string): string | undefined {
  const prefix = `error: error parsing ${file}: error converting YAML to JSON: `
  let docs
  try {
    docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false })
  } catch (err) {
    return `${prefix}yaml: ${(err as Error).message.split('\n')[0]}`
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const syntax = doc.errors[0]
    if (syntax) return `${prefix}yaml: line ${syntax.linePos?.[0].line ?? 1}: ${syntax.message.split(/ at line \d+, column \d+/)[0]!.split('\n')[0]}`
    try {
      doc.toJS({ maxAliasCount: 100 })
    } catch (err) {
      if (err instanceof ReferenceError || /alias/i.test((err as Error).message)) return `${prefix}${ALIASING}`
      return `${prefix}yaml: ${(err as Error).message.split('\n')[0]}`
    }
  }
  return undefined
}
