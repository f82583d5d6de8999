// A lesson's front matter, as the site reads it (docs/lesson-format.md, "Front matter").
//
// harness/lessons/ owns the schema and checks every field; the site takes its
// parser and turns its problems into one SiteError line.
import { LessonFormatError, type LessonMeta, parseLesson as parseLessonFile } from '../harness/lessons/frontmatter.ts'
import { SiteError } from './errors.ts'

export type LessonFrontMatter = LessonMeta

export interface ParsedLesson {
  front: LessonFrontMatter
  body: string
  /** Lines before the body (front matter), so a body token's line maps back to the file. */
  bodyLine: number
}

export function parseLesson(file: string, text: string): ParsedLesson {
  try {
    const { meta, body, bodyLine } = parseLessonFile(file, text)
    // The harness counts the body's first line from 1; the site adds an offset to 0-based token lines.
    return { front: meta, body, bodyLine: bodyLine - 1 }
  } catch (err) {
    if (!(err instanceof LessonFormatError)) throw err
    const [first, ...rest] = err.problems
    const more = rest.length ? ` (and ${rest.length} more: run \`npm run lessons\`)` : ''
    throw new SiteError(first?.file ?? file, first?.line, `${first?.message ?? err.message}${more}`)
  }
}
