// A terminal session as text: `$ katas …` lines, each followed by what the command
// printed (as a terminal shows it: warnings, stdout, then stderr) and, when it failed, its exit code. The golden files in
// testdata/ are such transcripts.
import type { Simulator } from './simulator.ts'

/** Splits a command line the way a POSIX shell does for plain words, '…' and "…" quotes. */
export function splitCommand(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  let quote: "'" | '"' | undefined
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined
      else word = (word ?? '') + ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      word ??= ''
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else word = (word ?? '') + ch
  }
  if (quote) throw new Error(`unterminated ${quote} in: ${line}`)
  if (word !== undefined) words.push(word)
  return words
}

/** Runs each `katas …` line on `sim` in order and returns the transcript. */
export async function transcript(sim: Simulator, lines: readonly string[], cwd: string): Promise<string> {
  let out = ''
  for (const line of lines) {
    if (line.startsWith('#') || line.trim() === '') {
      out += `${line}\n`
      continue
    }
    const [program, ...argv] = splitCommand(line)
    if (program !== 'katas') throw new Error(`a transcript line must start with katas: ${line}`)
    const io = await sim.run(argv, cwd)
    out += `$ ${line}\n${io.output ?? io.stdout + io.stderr}${io.exitCode !== 0 ? `[exit ${io.exitCode}]\n` : ''}\n`
  }
  return out
}
