// `inspect` of node:util as checks/support/thrown.ts uses it in a browser bundle: one
// compact line for the input of a check whose code under test threw. Close to Node's
// output for the plain data of check tables (strings in single quotes, `{ a: 1 }`,
// `[ 1, 2 ]`), not a replacement for it.
interface Options {
  depth?: number
  maxArrayLength?: number
  maxStringLength?: number
}

function show(value: unknown, o: Required<Options>, level: number, seen: Set<object>): string {
  if (typeof value === 'string') {
    const s = value.slice(0, o.maxStringLength)
    const more = value.length > o.maxStringLength ? `... ${value.length - o.maxStringLength} more characters` : ''
    const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
    // Node's choice of quote: single, else double, else backtick, else single with escapes.
    if (!s.includes("'")) return `'${body}'${more}`
    if (!s.includes('"')) return `"${body}"${more}`
    if (!s.includes('`') && !s.includes('${')) return `\`${body}\`${more}`
    return `'${body.replace(/'/g, "\\'")}'${more}`
  }
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`
  if (typeof value !== 'object' || value === null) return String(value)
  if (seen.has(value)) return '[Circular *1]'
  if (level > o.depth) return Array.isArray(value) ? '[Array]' : '[Object]'
  seen.add(value)
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, o.maxArrayLength).map((v) => show(v, o, level + 1, seen))
      if (value.length > o.maxArrayLength) items.push(`... ${value.length - o.maxArrayLength} more items`)
      return items.length ? `[ ${items.join(', ')} ]` : '[]'
    }
    if (value instanceof Map) return `Map(${value.size}) { ${[...value].map(([k, v]) => `${show(k, o, level + 1, seen)} => ${show(v, o, level + 1, seen)}`).join(', ')} }`
    if (value instanceof Set) return `Set(${value.size}) { ${[...value].map((v) => show(v, o, level + 1, seen)).join(', ')} }`
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : show(k, o, level, seen)}: ${show(v, o, level + 1, seen)}`)
    return entries.length ? `{ ${entries.join(', ')} }` : '{}'
  } finally {
    seen.delete(value)
  }
}

export function inspect(value: unknown, options: Options = {}): string {
  const o = { depth: options.depth ?? 2, maxArrayLength: options.maxArrayLength ?? 100, maxStringLength: options.maxStringLength ?? 10000 }
  return show(value, o, 0, new Set())
}

export default { inspect }
