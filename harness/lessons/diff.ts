// A unified diff of two short texts (a try-it block against the model's output),
// as `diff -u` prints it: jsdiff's patch, with only the file names as headers.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff'

/** Lines ending in `\n`, so a last line without one is not a change; no text is no lines. */
const lines = (text: string) => (text === '' ? '' : `${text}\n`)

/**
 * `--- lesson`, `+++ model`, then each hunk: `@@ -l,n +l,n @@`, with ` ` for a line
 * kept (three around each change), `-` for one only in `expected` (the lesson) and
 * `+` for one only in `actual` (the model).
 */
export function unifiedDiff(expected: string, actual: string, labels = { expected: 'lesson', actual: 'model' }): string {
  return createTwoFilesPatch(labels.expected, labels.actual, lines(expected), lines(actual), undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  }).trimEnd()
}
