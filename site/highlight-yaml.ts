// YAML code blocks, coloured from lezer's YAML parser in the colours shiki's TextMate
// grammar gives them (a key and its colon as a keyword, a plain or quoted value as a
// string, a number, boolean or null as a constant; site/highlight.test.ts compares the
// two on every lesson's YAML): the same page, without loading shiki, its
// regular-expression engine and the grammar, which were a fifth of a build from scratch.
// Loaded only when a block must be highlighted.
import { parser } from '@lezer/yaml'
import type { ClassedLine } from './highlight-tags.ts'

/**
 * A plain scalar the grammar colours as a constant: YAML 1.1's implicit types (null,
 * booleans with yes/no/on/off, integers, floats — which its pattern lets hold several
 * dots, so `10.96.0.10` is one — `=` and `<<`), as shiki's YAML grammar matches them
 * (flow-scalar-plain-out-implicit-type), in a key as in a value.
 */
const CONSTANT = new RegExp(
  [
    String.raw`null|Null|NULL|~`,
    String.raw`[Yy]|yes|Yes|YES|[Nn]|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`,
    String.raw`[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[_0-9a-fA-F]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+`,
    String.raw`[-+]?(?:[0-9][0-9_]*)?\.[.0-9]*(?:[Ee][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`,
    String.raw`=|<<`,
  ].map((types) => `^(?:${types})$`).join('|'),
)
/** A timestamp, which the grammar tells apart but its theme leaves in the text colour. */
const TIMESTAMP = /^(?:\d{4}-\d{2}-\d{2}|\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[\t ]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[\t ]*Z|[-+]\d{1,2}(?::\d{1,2})?)?)$/

/** A plain scalar's class: a constant, a timestamp (no class), else `string`. */
const plain = (text: string, string: string): string => (CONSTANT.test(text) ? 'hl-constant' : TIMESTAMP.test(text) ? '' : string)

/** The class of a token, by the parser's node name; `inFlow`: inside `[…]` or `{…}`. */
function classOf(name: string, text: string, inFlow: boolean): string | undefined {
  switch (name) {
    case 'Key':
      return /^["']/.test(text) ? 'hl-string-expression' : plain(text, 'hl-keyword')
    case ':':
    case 'BlockLiteralHeader':
    case 'Tag':
      return 'hl-keyword'
    case ',':
      return 'hl-punctuation'
    case 'QuotedLiteral':
      return 'hl-string-expression'
    case 'Literal':
      // The grammar gives a plain value inside brackets the colour of a string, outside them of an expression.
      return plain(text, inFlow ? 'hl-string' : 'hl-string-expression')
    case 'BlockLiteralContent':
      return 'hl-string'
    case 'Comment':
      return 'hl-comment'
    default:
      return undefined
  }
}

const FLOW = new Set(['FlowSequence', 'FlowMapping'])

/** The block's lines, each as its runs of text with their classes. */
export function highlightYaml(code: string): ClassedLine[] {
  const lines: ClassedLine[] = [[]]
  let at = 0
  /** Appends `code[at, to)` with class `cls`, line by line. */
  const put = (to: number, cls: string) => {
    const parts = code.slice(at, to).split('\n')
    parts.forEach((part, i) => {
      if (i > 0) lines.push([])
      if (part) lines.at(-1)!.push([part, cls])
    })
    at = to
  }
  let flow = 0
  parser.parse(code).iterate({
    enter(node) {
      if (FLOW.has(node.name)) flow++
      if (node.from < at) return undefined
      if (node.name === 'Anchor' || node.name === 'Alias') {
        // `&` or `*` as a keyword, then an anchor's name as a type and an alias's plain.
        put(node.from, '')
        put(node.from + 1, 'hl-keyword')
        put(node.to, node.name === 'Anchor' ? 'hl-function' : '')
        return false
      }
      const cls = classOf(node.name, code.slice(node.from, node.to), flow > 0)
      if (cls === undefined) return undefined
      put(node.from, '')
      put(node.to, cls)
      // A key's text is one token, whatever it holds.
      return false
    },
    leave(node) {
      if (FLOW.has(node.name)) flow--
    },
  })
  put(code.length, '')
  return lines
}
