// Copies of API objects with a few fields set, built so that V8 can share one hidden
// class among all copies of one shape. Given code.

/**
 * `{ ...base, ...extra }`: the keys of `base` in order, then the new keys of `extra`.
 *
 * Node 20's V8 gives the result of a spread followed by new keys a hidden class of its own
 * (about 300 bytes, and every property read of such objects turns megamorphic); copying
 * onto an empty object lets copies of one shape share theirs. A `__proto__` own key (JSON
 * can hold one) would be a prototype for `Object.assign`: such objects are spread.
 */
export function extend<T extends object, U extends object>(base: T, extra: U): Omit<T, keyof U> & U {
  if (Object.hasOwn(base, '__proto__') || Object.hasOwn(extra, '__proto__')) return { ...base, ...extra }
  return Object.assign({}, base, extra)
}

/**
 * A deep copy of a JSON value (an API object as a manifest gives it): `structuredClone`,
 * several times faster for plain objects and arrays, whose copies share hidden classes.
 * Anything else (a Date a YAML reader made, a Map) is copied by `structuredClone`.
 */
export function cloneJSON<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(cloneJSON) as T
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const v = cloneJSON((value as Record<string, unknown>)[key])
    // `out.__proto__ = v` would set the prototype: define it as the own key it was.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true })
    else out[key] = v
  }
  return out as T
}
