// `node:crypto` as the model uses it, in the browser: sha256 through `createHash`
// (kube-proxy's chain names are a hash of the service port), from @noble/hashes.
import { sha256 } from '@noble/hashes/sha2.js'

interface Hash {
  update(text: string): Hash
  digest(): Uint8Array
}

export function createHash(algorithm: string): Hash {
  if (algorithm !== 'sha256') throw new Error(`createHash: only sha256 is available in the browser, not ${algorithm}`)
  const h = sha256.create()
  const hash: Hash = {
    update(text) {
      h.update(new TextEncoder().encode(text))
      return hash
    },
    digest: () => h.digest(),
  }
  return hash
}

/** One-shot `crypto.hash`, one character per byte (`binary`), as the model asks for it. */
export function hash(algorithm: string, text: string, encoding: 'binary'): string {
  if (encoding !== 'binary') throw new Error(`hash: only binary output is available in the browser, not ${encoding}`)
  return String.fromCharCode(...createHash(algorithm).update(text).digest())
}
