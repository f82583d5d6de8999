// A kata's workspace: the kata done in the browser, nothing to install. The page is
// a frame the workspace script (site/assets/workspace/) fills: the learner's files in
// an editor, the given code beside them, the checks' verdicts by task with the
// hints, and export to the terminal course. Its code, the check worker and the
// kata's checks load on this page only; lesson pages only link here.
import { SITE_TITLE } from '../config.ts'
import { WORKSPACE_DIRECTIVES } from '../csp.ts'
import { escapeHtml } from '../html.ts'
import { buildWorkspace, dataFile } from '../workspace/build.ts'
import { tasksOf } from '../../harness/course.ts'
import type { Chapter } from '../book.ts'
import type { PageType } from './page-type.ts'

/** The workspace page of a lesson's kata: `02-label-selectors.workspace.html`. */
export const workspaceHref = (chapter: Chapter): string => `${chapter.kata.name}.workspace.html`

/** The lesson page's link to its workspace. */
export function workspaceLink(chapter: Chapter): string {
  return `<p class="try-link"><a class="button" href="${workspaceHref(chapter)}">Do this kata in the browser</a> <span>nothing to install; your work stays in this browser until you export it</span></p>`
}

export function workspaceMain(chapter: Chapter): string {
  const { kata } = chapter
  const tasks = tasksOf(kata, 'core').length
  return `<article class="workspace" data-kata="${kata.id}" data-src="${dataFile(kata)}">
<header class="ws-head">
<p class="eyebrow">Kata ${kata.id} · in the browser · ${tasks} task${tasks === 1 ? '' : 's'}</p>
<h1>${escapeHtml(chapter.front.title)}</h1>
<p class="ws-intro">Write the functions marked <code>TODO</code>. The kata's checks run here, in this browser, on every save (<kbd>Ctrl</kbd> <kbd>S</kbd>, or a pause in typing). <a class="ws-lesson" href="${chapter.href}">Read the lesson</a></p>
<div class="ws-toolbar" role="toolbar" aria-label="Workspace">
<button type="button" class="ws-button" data-action="run" disabled>Run the checks</button>
<button type="button" class="ws-button" data-action="export" disabled>Export (.zip)</button>
<button type="button" class="ws-button" data-action="import" disabled>Import…</button><input type="file" class="visually-hidden" accept=".zip,application/zip" tabindex="-1" aria-hidden="true">
<button type="button" class="ws-button" data-action="reset" disabled>Reset the kata</button>
<button type="button" class="ws-button" data-action="undo" disabled>Undo reset</button>
</div>
<div class="ws-notices" role="status"></div>
</header>
<div class="ws-main">
<section class="ws-code" aria-label="Code">
<nav class="ws-files" aria-label="Files"></nav>
<div class="ws-file-head"><span class="ws-file-name"></span><span class="ws-file-note"></span><button type="button" class="ws-link" data-action="copy" disabled>Copy file</button></div>
<div class="ws-editor"><p class="ws-loading">Loading the editor and the checks…</p><noscript><p>This page runs the kata's checks in your browser and needs JavaScript. Without it, do the kata in the terminal: <code>npm start</code>.</p></noscript></div>
<details class="ws-outline"><summary>Names in this file</summary><ul></ul></details>
</section>
<section class="ws-results" aria-labelledby="ws-results-title">
<h2 id="ws-results-title">Checks</h2>
<div class="ws-verdict" aria-live="polite"><p class="ws-waiting">The checks run once the editor has loaded.</p></div>
</section>
</div>
</article>`
}

export const workspacePages: PageType = {
  name: 'workspaces',
  pages: (site) =>
    (site.options.workspace === false ? [] : site.book.chapters).map((chapter) => ({
      file: workspaceHref(chapter),
      shell: {
        title: `${chapter.kata.id} ${chapter.front.title}, in the browser · ${SITE_TITLE}`,
        description: `Do kata ${chapter.kata.id} (${chapter.kata.title}) in the browser: its checks run locally, nothing to install.`,
        href: workspaceHref(chapter),
        main: workspaceMain(chapter),
        bodyClass: 'page-workspace',
        styles: ['assets/workspace.css'],
        modules: ['assets/workspace.js'],
        csp: WORKSPACE_DIRECTIVES,
      },
    })),
  files: async (site, outDir) =>
    site.options.workspace === false
      ? []
      : buildWorkspace(
          site.book.chapters.map((c) => ({ kata: c.kata, lesson: c.href })),
          [...site.book.chapters.map((c) => c.kata), ...site.book.drafts].sort((a, b) => a.id.localeCompare(b.id)),
          outDir,
          site.options.cacheDir !== undefined,
        ),
}
