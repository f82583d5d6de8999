// `$(VAR)` references in `env[].value`, `command` and `args`: the kubelet's
// small expansion language (not a shell: no `${VAR}`, no `$VAR`, no nesting).

/**
 * Where `$(NAME)` looks names up: a `Map` (what the kubelet builds) or a plain
 * record. Only the context's own entries count, never `Object.prototype`.
 */
export type ExpansionContext = ReadonlyMap<string, string> | Readonly<Record<string, string>>

/** Resolves the NAME of a `$(NAME)` reference to the text that replaces it. */
export type Mapping = (name: string) => string

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
  // TODO(kata 04): return a function that looks a name up in each context in turn, or gives back "$(NAME)".
  throw new Error('kata 04-env-vars: mappingFuncFor is not implemented yet — see lessons/04-env-vars.md')
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
  // TODO(kata 04): scan for "$": "$$" → "$", "$(NAME)" → mapping(NAME), anything else copied as is.
  throw new Error('kata 04-env-vars: expand is not implemented yet — see lessons/04-env-vars.md')
}
