// ────────────────────────────────────────────────────────────────────────
// Kata 04 · given: nothing to write here on the core path.
// This is finished code to read and step into; the checks rely on it as it is.
// The deep track asks for it too: `katas deep 04`.
// ────────────────────────────────────────────────────────────────────────
// `$(VAR)` references in `env[].value`, `command` and `args`: the kubelet's
// small expansion language (not a shell: no `${VAR}`, no `$VAR`, no nesting).

/**
 * Where `$(NAME)` looks names up: a `Map` (what the kubelet builds) or a plain
 * record. Only the context's own entries count, never `Object.prototype`.
 */
export type ExpansionContext = ReadonlyMap<string, string> | Readonly<Record<string, string>>

/** Resolves the NAME of a `$(NAME)` reference to the text that replaces it. */
export type Mapping = (name: string) => string

function lookup(context: ExpansionContext, name: string): string | undefined {
  if (context instanceof Map) return context.get(name)
  const record = context as Readonly<Record<string, string>>
  return Object.hasOwn(record, name) ? record[name] : undefined
}

/**
 * The mapping the kubelet expands with.
 *
 * 1. The contexts are searched in the order given; the first one that defines
 *    the name wins (the kubelet passes the container's own variables first,
 *    then the service variables).
 * 2. A name no context defines comes back as it was written, `$(NAME)`, so an
 *    undefined reference stays in the value verbatim.
 * 3. The value found is returned as is: it is never expanded again.
 *
 * A context is read at lookup time, so a Map the caller keeps filling is seen
 * with whatever it holds when `expand` runs.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/third_party/forked/golang/expansion/expand.go
 */
export function mappingFuncFor(...contexts: ExpansionContext[]): Mapping {
  return (name) => {
    for (const context of contexts) {
      const value = lookup(context, name)
      if (value !== undefined) return value
    }
    return `$(${name})`
  }
}

/**
 * Replaces the `$(NAME)` references of `input`, scanning left to right:
 *
 * 1. `$$` is an escaped `$`: it gives one `$` and the next character is read as text.
 * 2. `$(` starts a reference that ends at the first `)`; everything between is the
 *    name (even `$` or `(`: references do not nest), replaced by `mapping(name)`.
 * 3. `$(` with no `)` after it is copied as is, and scanning goes on after the `(`.
 * 4. `$` followed by anything else (`$VAR`, `${VAR}`, `$?`) is copied as is.
 * 5. A `$` that is the last character is copied as is.
 *
 * @example expand('$(VAR_A)-$$(VAR_A)', mappingFuncFor({ VAR_A: 'A' })) // 'A-$(VAR_A)'
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/third_party/forked/golang/expansion/expand.go
 */
export function expand(input: string, mapping: Mapping): string {
  let out = ''
  let i = 0
  while (i < input.length) {
    const c = input[i]!
    if (c !== '$' || i + 1 >= input.length) {
      out += c
      i++
      continue
    }
    const next = input[i + 1]!
    if (next === '$') {
      out += '$'
      i += 2
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2)
      if (close === -1) {
        out += '$('
        i += 2
      } else {
        out += mapping(input.slice(i + 2, close))
        i = close + 1
      }
    } else {
      out += '$' + next
      i += 2
    }
  }
  return out
}
