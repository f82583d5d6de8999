// `ts` blocks type-check, `ts error` blocks do not: every block of every lesson
// becomes an in-memory module beside the reference model (`solutions/`), so
// `import { … } from './labels/selector.ts'` resolves as it does in the
// workbook, and ONE program checks them all with the project's own options.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type TS from 'typescript'
import { ts } from '../typescript.ts'
import type { CodeBlock } from './blocks.ts'
import type { Problem } from './problem.ts'

export interface TsBlock {
  /** The lesson, relative to the root: how problems name it. */
  file: string
  block: CodeBlock
}

/** The project's compiler options (tsconfig.json), for a check that emits nothing. */
function compilerOptions(root: string): TS.CompilerOptions {
  const configFile = path.join(root, 'tsconfig.json')
  const read = ts.readConfigFile(configFile, (f) => readFileSync(f, 'utf8'))
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'))
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configFile)
  return { ...parsed.options, noEmit: true, skipLibCheck: true }
}

/**
 * Type-checks every `ts` and `ts error` block (strict, as modules at the root of
 * the workbook, resolved against `implRoot`, by default `root/solutions`).
 *
 * 1. A `ts` block: each diagnostic is a problem on its own line of the lesson.
 * 2. A `ts error` block: must give at least one diagnostic.
 */
export function checkTypeScript(items: readonly TsBlock[], root: string, implRoot = path.join(root, 'solutions')): Problem[] {
  if (items.length === 0) return []
  const options = compilerOptions(root)
  const virtual = new Map<string, { item: TsBlock; text: string }>()
  items.forEach((item, i) => {
    const name = path.join(implRoot, `__lesson_block_${i}__.ts`)
    // `export {}` makes a block without imports a module too; it is past the last line, so lines still match.
    virtual.set(name, { item, text: `${item.block.text}\nexport {}\n` })
  })
  const host = ts.createCompilerHost(options, true)
  const { getSourceFile, fileExists, readFile } = host
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f)
  host.readFile = (f) => virtual.get(path.resolve(f))?.text ?? readFile.call(host, f)
  host.getSourceFile = (f, lang, onError, create) => {
    const v = virtual.get(path.resolve(f))
    return v ? ts.createSourceFile(f, v.text, lang, true, ts.ScriptKind.TS) : getSourceFile.call(host, f, lang, onError, create)
  }
  const program = ts.createProgram([...virtual.keys()], options, host)
  const problems: Problem[] = []
  for (const [name, { item }] of virtual) {
    const sf = program.getSourceFile(name)!
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
    const wantsError = item.block.flags.includes('error')
    if (wantsError) {
      if (diags.length === 0) {
        problems.push({ file: item.file, line: item.block.line, message: 'a "ts error" block must fail to type-check, but it compiles' })
      }
      continue
    }
    for (const d of diags) {
      const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line : 0
      problems.push({
        file: item.file,
        line: item.block.contentLine + line,
        message: `ts block does not type-check: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      })
    }
  }
  return problems
}
