// Names the API server generates for objects created with `metadata.generateName`
// (EndpointSlices `order-x7k2p`, ReplicaSet pods `order-7d4b9c-q2x8z`): the prefix,
// cut to 58 characters, plus five random characters. Seeded, so names repeat run after run.
// @see https://github.com/kubernetes/apiserver/blob/kubernetes-1.34.0/pkg/storage/names/generate.go
// @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/rand/rand.go
import type { Random } from '../random.ts'

/** `utilrand.String`'s alphabet: no vowels (so no words), no `0 1 3` (look like letters). */
export const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

const MAX_NAME_LENGTH = 63
const RANDOM_LENGTH = 5
/** The longest prefix kept before the random suffix. */
export const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH

/** `n` characters drawn from {@link ALPHANUMS}. */
export function randomString(n: number, random: Random): string {
  let s = ''
  for (let i = 0; i < n; i++) s += ALPHANUMS[random.int(0, ALPHANUMS.length - 1)]
  return s
}

/** `SimpleNameGenerator.GenerateName`: `base` (cut to 58 characters) plus 5 random characters. */
export function generateName(base: string, random: Random): string {
  return base.slice(0, MAX_GENERATED_NAME_LENGTH) + randomString(RANDOM_LENGTH, random)
}
