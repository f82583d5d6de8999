// A terminal session as text: `$ katas …` lines, each followed by what the command
// printed (as a terminal shows it: warnings, stdout, then stderr) and, when it failed, its exit code. The golden files in
// testdata/ are such transcripts.
import { shellSplit } from '../harness/shell.ts'
import type { Simulator } from './simulator.ts'

/** Runs each `katas …` line on `sim` in order and returns the transcript. */
export async function transcript(sim: Simulator, lines: readonly string[], cwd: string): Promise<string> {
  let out = ''
  for (const line of lines) {
    if (line.startsWith('#') || line.trim() === '') {
      out += `${line}\n`
      continue
    }
    const [program, ...argv] = shellSplit(line)
    if (program !== 'katas') throw new Error(`a transcript line must start with katas: ${line}`)
    const io = await sim.run(argv, cwd)
    out += `$ ${line}\n${io.output ?? io.stdout + io.stderr}${io.exitCode !== 0 ? `[exit ${io.exitCode}]\n` : ''}\n`
  }
  return out
}
