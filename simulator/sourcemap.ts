// Maps a line of the bundled model back to the learner's file, from the bundle's source
// map (version 3, base64 VLQ mappings) — only when their code throws, so that loading a
// bundle stays cheap (Node's own source-map support parses every map at load time).
// @see https://tc39.es/ecma426/
import { readFileSync } from 'node:fs'
import path from 'node:path'

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Decodes one segment: a list of signed integers. */
function vlq(segment: string): number[] {
  const out: number[] = []
  let value = 0
  let shift = 0
  for (const ch of segment) {
    const digit = B64.indexOf(ch)
    value += (digit & 31) << shift
    if (digit & 32) shift += 5
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1)
      value = 0
      shift = 0
    }
  }
  return out
}

/** The original `file:line` of a generated position (1-based line, 1-based column), if mapped. */
export function originalPosition(mapFile: string, line: number, column: number): { file: string; line: number } | undefined {
  let map: { sources: string[]; mappings: string; sourceRoot?: string }
  try {
    map = JSON.parse(readFileSync(mapFile, 'utf8'))
  } catch {
    return undefined
  }
  let source = 0
  let srcLine = 0
  let found: { source: number; line: number } | undefined
  const lines = map.mappings.split(';')
  for (let l = 0; l < lines.length && l < line; l++) {
    let col = 0
    for (const seg of lines[l]!.split(',')) {
      if (!seg) continue
      const [dc = 0, ds, dl] = vlq(seg)
      col += dc
      if (ds === undefined || dl === undefined) continue
      source += ds
      srcLine += dl
      if (l === line - 1 && col <= column - 1) found = { source, line: srcLine }
    }
  }
  if (!found) return undefined
  const file = map.sources[found.source]
  if (file === undefined) return undefined
  return { file: path.resolve(path.dirname(mapFile), map.sourceRoot ?? '', file), line: found.line + 1 }
}
