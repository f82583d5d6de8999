// The site's colours for lezer's highlighting tags, as the highlighter's classes
// (`hl-keyword`, …, styled per theme by site.css): TypeScript in a lesson's code block
// (site/highlight-typescript.ts) and in a workspace's editor (site/assets/workspace/editor.ts)
// is coloured alike.
import { tagHighlighter, tags as t } from '@lezer/highlight'

export const siteTagHighlighter = tagHighlighter([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword, t.modifier, t.self, t.null, t.bool], class: 'hl-keyword' },
  { tag: [t.string, t.special(t.string), t.regexp], class: 'hl-string' },
  { tag: [t.number, t.atom, t.constant(t.variableName)], class: 'hl-constant' },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))], class: 'hl-function' },
  { tag: [t.typeName, t.className, t.definition(t.typeName)], class: 'hl-constant' },
  { tag: [t.comment, t.lineComment, t.blockComment, t.docComment], class: 'hl-comment' },
  { tag: [t.punctuation, t.bracket, t.separator], class: 'hl-punctuation' },
])

/** One line of a highlighted block: runs of text and their class (`hl-keyword`, or '' for the foreground). */
export type ClassedLine = [text: string, cls: string][]
