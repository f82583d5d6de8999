// Seeded randomness for the model: the same seed gives the same pod names,
// the same allocated IPs and the same endpoint choices, run after run.
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

/** The seed the course uses when nobody names one. */
export const DEFAULT_SEED = 42

export class Random {
  private readonly rng

  constructor(readonly seed: number = DEFAULT_SEED) {
    this.rng = xoroshiro128plus(seed)
  }

  /** A whole number in [min, max], both ends included. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max)
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list')
    return items[this.int(0, items.length - 1)]!
  }

  /** A float in [0, 1). */
  float(): number {
    return this.int(0, 2 ** 31 - 1) / 2 ** 31
  }
}
