// `katas kubectl`, `katas curl`, `katas cluster`: a kind-like cluster built from a model
// tree (the learner's workspace by default), driven with kubectl's verbs. The lesson
// checker runs lesson commands through the same class, in memory.
import { AUTO, forced, fromProgress, type Composition } from './composition.ts'
import { modelError, SimulatorError } from './errors.ts'
import { loadModel, resolveImpl, type Model } from './model.ts'
import { Session, type ClusterState } from './session.ts'
import { defaultStateFile, freshState, readState, readStateForReset, withLock, writeState } from './state.ts'
import { runCommand } from './commands.ts'

export interface SimulatorIO {
  stdout: string
  stderr: string
  exitCode: number
  /** kubectl's `Warning: …` lines, printed on stderr before stdout (not repeated in `stderr`). */
  warnings?: string
  /** Everything in the order a terminal shows it, when that is not stdout then stderr. */
  output?: string
}

export interface SimulatorOptions {
  /**
   * 'auto' (each kata: the learner's code once green, else the reference) | 'solutions' |
   * 'workspace' | a path; default: the state's choice (`katas cluster use`), else 'auto'.
   */
  impl?: string
  /** The learner's workspace; default `KATAS_WORKSPACE`, else `workspace/`. */
  workspace?: string
  /** undefined = state kept in memory (lessons, tests). */
  stateFile?: string
  /** Default 42. */
  seed?: number
  /** 'fixed': the simulated clock advances a fixed step per command, so output (AGE) is reproducible. */
  clock?: 'fixed' | 'wall'
}

/** Seconds the simulated clock moves per command with `clock: 'fixed'`. */
export const FIXED_STEP = 5

export class Simulator {
  /** The state when it is kept in memory. */
  private memory: ClusterState | undefined
  /** The cluster of the last command: reused while it is still the state's (no replay). */
  private live: Session | undefined

  private constructor(private readonly options: SimulatorOptions) {}

  static async open(options: SimulatorOptions = {}): Promise<Simulator> {
    const sim = new Simulator(options)
    // Deep enough to reach the learner's frame under the cluster's own: an error names their module.
    Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50)
    if (options.stateFile === undefined) sim.memory = freshState(options)
    return sim
  }

  /** The file the cluster is kept in when none is given: `workspace/.katas/cluster.json`, or `KATAS_CLUSTER_FILE`. */
  static defaultStateFile(): string {
    return defaultStateFile()
  }

  /** argv after `katas`: ['kubectl','get','svc','-n','snackbar'], ['curl','http://172.18.0.3:30080/hostname'], ['cluster','reset'] */
  async run(argv: string[], cwd: string): Promise<SimulatorIO> {
    try {
      if (this.memory) return (await this.execute(this.memory, argv, cwd)).io
      const file = this.options.stateFile!
      return await withLock(file, async () => {
        const resetting = argv[0] === 'cluster' && argv[1] === 'reset'
        const state = resetting ? readStateForReset(file, this.options) : readState(file, this.options)
        let written = false
        try {
          const { io, changed } = await this.execute(state, argv, cwd)
          if (changed) writeState(file, state)
          written = true
          return io
        } finally {
          // A command that failed half-way may have changed the live cluster but not the file.
          if (!written) this.live = undefined
        }
      })
    } catch (err) {
      return failure(err)
    }
  }

  /** Runs one command on the state: loads the model, replays the log (unless the live cluster is still it), then the command. */
  private async execute(state: ClusterState, argv: string[], cwd: string): Promise<{ io: SimulatorIO; changed: boolean }> {
    const implName = implOverride(argv) ?? this.options.impl ?? state.impl ?? AUTO
    const { dir, composition } = this.composition(implName)
    const run = { sourceMap: undefined as string | undefined, composition, auto: implName === AUTO }
    const open = async (): Promise<Session> => {
      const model: Model = await loadModel(dir, implName === AUTO ? composition : undefined)
      run.sourceMap = model.sourceMap
      if (this.live?.matches(state, model)) {
        this.live.rebind(state)
        return this.live
      }
      this.live = undefined
      try {
        this.live = Session.replay(model, state)
      } catch (err) {
        throw modelError(err, run)
      }
      return this.live
    }
    const clockMode = this.options.clock ?? state.clock
    state.clock = clockMode
    if (clockMode === 'fixed') state.now += FIXED_STEP
    else state.now = Math.max(state.now, Math.floor((Date.now() - state.createdAt) / 1000) + state.offset)
    const ops = state.ops.length
    try {
      const result = await runCommand({ argv: stripImpl(argv), cwd, state, open, implName, implDir: dir, composition })
      return { io: result.io, changed: result.changed || clockMode === 'fixed' || state.ops.length !== ops }
    } catch (err) {
      if (err instanceof SimulatorError) throw err
      throw modelError(err, run)
    }
  }

  /** The tree the model is read from, and whose code each kata is: per the progress file, or one side forced. */
  private composition(implName: string): { dir: string; composition: Composition } {
    const workspace = this.options.workspace ?? resolveImpl('workspace')
    if (implName === AUTO) return { dir: workspace, composition: fromProgress(workspace) }
    if (implName === 'solutions') return { dir: resolveImpl('solutions'), composition: forced(workspace, 'reference', '') }
    const dir = implName === 'workspace' ? workspace : resolveImpl(implName)
    return { dir, composition: forced(dir, 'yours', '') }
  }
}

function implOverride(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') return undefined
    if (a === '--impl') return argv[i + 1]
    if (a.startsWith('--impl=')) return a.slice('--impl='.length)
  }
  return undefined
}

function stripImpl(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (a === '--impl') i++
    else if (!a.startsWith('--impl=')) out.push(a)
  }
  return out
}

/** A failure as the terminal shows it. */
export function failure(err: unknown): SimulatorIO {
  if (err instanceof SimulatorError) {
    const text = err.verbatim ? err.message : `katas: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`
    return { stdout: '', stderr: `${text}\n`, exitCode: err.exitCode }
  }
  const e = err as Error
  return { stdout: '', stderr: `katas: unexpected error: ${e?.message ?? String(err)}\n`, exitCode: 2 }
}
