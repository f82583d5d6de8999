// kubectl's flag syntax (spf13/pflag): `-n NS`, `-nNS`, `--namespace NS`,
// `--namespace=NS`, boolean shorthands grouped (`-it`), flags anywhere among the
// arguments, everything after `--` passed on as it is.
import { kubectlError } from './errors.ts'

export interface FlagSpec {
  long: string
  short?: string
  /** Takes a value (`-n NS`); otherwise a boolean. */
  value?: boolean
  /** May be given more than once (`-f a.yaml -f b.yaml`). */
  repeat?: boolean
}

export interface Parsed {
  args: string[]
  flags: Map<string, string[]>
  /** After `--`. */
  rest: string[] | undefined
}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): Parsed {
  const byLong = new Map(specs.map((s) => [s.long, s]))
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]))
  const flags = new Map<string, string[]>()
  const args: string[] = []
  const set = (spec: FlagSpec, value: string) => {
    const list = flags.get(spec.long) ?? []
    if (spec.repeat) list.push(value)
    else list.splice(0, list.length, value)
    flags.set(spec.long, list)
  }
  const usage = `\nSee '${command} --help' for usage.`
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') return { args, flags, rest: argv.slice(i + 1) }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq)
      const spec = byLong.get(name)
      if (!spec) throw kubectlError(`error: unknown flag: --${name}${usage}`)
      if (!spec.value) set(spec, eq < 0 ? 'true' : a.slice(eq + 1))
      else if (eq >= 0) set(spec, a.slice(eq + 1))
      else {
        if (i + 1 >= argv.length) throw kubectlError(`error: flag needs an argument: --${name}${usage}`)
        set(spec, argv[++i]!)
      }
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!
        const spec = byShort.get(c)
        if (!spec) throw kubectlError(`error: unknown shorthand flag: '${c}' in ${a}${usage}`)
        if (!spec.value) {
          set(spec, 'true')
          continue
        }
        let value = a.slice(j + 1)
        if (value.startsWith('=')) value = value.slice(1)
        if (value === '') {
          if (i + 1 >= argv.length) throw kubectlError(`error: flag needs an argument: '${c}' in -${c}${usage}`)
          value = argv[++i]!
        }
        set(spec, value)
        break
      }
      continue
    }
    args.push(a)
  }
  return { args, flags, rest: undefined }
}

export const flag = (p: Parsed, long: string): string | undefined => p.flags.get(long)?.at(-1)
export const has = (p: Parsed, long: string): boolean => {
  const v = flag(p, long)
  return v !== undefined && v !== 'false'
}
