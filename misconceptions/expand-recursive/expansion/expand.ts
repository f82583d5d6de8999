// Wrong: a value found for $(NAME) is expanded again, like a shell or a
// template engine would.
import { expand, type ExpansionContext, type Mapping } from '../../../solutions/expansion/expand.ts'

export * from '../../../solutions/expansion/expand.ts'

export function mappingFuncFor(...contexts: ExpansionContext[]): Mapping {
  const find = (name: string): string | undefined => {
    for (const c of contexts) {
      const v = c instanceof Map ? c.get(name) : Object.hasOwn(c, name) ? (c as Record<string, string>)[name] : undefined
      if (v !== undefined) return v
    }
    return undefined
  }
  const mapping = (name: string, depth = 0): string => {
    const v = find(name)
    if (v === undefined) return `$(${name})`
    return depth > 8 ? v : expand(v, (n) => mapping(n, depth + 1))
  }
  return (name) => mapping(name)
}
