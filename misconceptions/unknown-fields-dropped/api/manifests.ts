// Misconception: fields no Go struct has are dropped, as encoding/json does without
// strict decoding — the learner never reports them.
import type { Service } from 'kubernetes-types/core/v1'
import { decodeService as decodeServiceRight, ManifestError, type Manifest } from '../../../solutions/api/manifests.ts'

export * from '../../../solutions/api/manifests.ts'

export function decodeService(manifest: Manifest): Service {
  try {
    return decodeServiceRight(manifest)
  } catch (err) {
    const strict = err instanceof ManifestError ? /strict decoding error: (.*)$/.exec(err.message) : null
    if (!strict) throw err
    const object = structuredClone(manifest.object) as Record<string, unknown>
    for (const [, path] of strict[1]!.matchAll(/unknown field "([^"]+)"/g)) {
      const keys = path!.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '')
      let at: Record<string, unknown> = object
      for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>
      delete at[keys.at(-1)!]
    }
    return decodeServiceRight({ ...manifest, object: object as Manifest['object'] })
  }
}
