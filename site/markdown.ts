// The markdown renderer: markdown-it with raw HTML off, and the site's plugins
// applied in this order (order matters where one plugin wraps another's output).
import MarkdownIt from 'markdown-it'
import type { MarkdownIt as MarkdownItInstance } from 'markdown-it'
import type { RenderContext } from './context.ts'
import { calloutsPlugin } from './plugins/callouts.ts'
import { codeBlocksPlugin } from './plugins/code-blocks.ts'
import { headingAnchorsPlugin } from './plugins/heading-anchors.ts'
import { lessonLinksPlugin } from './plugins/lesson-links.ts'
import { moduleLinksPlugin } from './plugins/module-links.ts'
import { predictionsPlugin } from './plugins/predictions.ts'
import { steppedDiagramsPlugin } from './plugins/stepped-diagrams.ts'
import { tablesPlugin } from './plugins/tables.ts'

export type SitePlugin = (md: MarkdownItInstance, site: RenderContext) => void

export const PLUGINS: readonly [name: string, plugin: SitePlugin][] = [
  // Ids first: the outline and the link check read them.
  ['heading-anchors', headingAnchorsPlugin],
  ['code-blocks', codeBlocksPlugin],
  ['callouts', calloutsPlugin],
  // After callouts: a frame's caption may hold inline markup rendered by the same renderer.
  ['stepped-diagrams', steppedDiagramsPlugin],
  // After callouts: it looks for the end of a predict callout.
  ['predictions', predictionsPlugin],
  ['lesson-links', lessonLinksPlugin],
  // Wraps code_inline, so it must come after any plugin that replaces that rule.
  ['module-links', moduleLinksPlugin],
  ['tables', tablesPlugin],
]

export function createMarkdownRenderer(site: RenderContext, plugins = PLUGINS): MarkdownItInstance {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false })
  for (const [, plugin] of plugins) plugin(md, site)
  return md
}
