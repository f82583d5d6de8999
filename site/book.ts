// The book: the course's katas in order, each with its lesson when one exists.
// A kata without a lesson yet gets no page (mdBook's draft chapter).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { type Kata, loadCourse } from '../harness/course.ts'
import { type LessonFrontMatter, parseLesson } from './frontmatter.ts'

export interface Chapter {
  kata: Kata
  /** `lessons/05-dns.md`, relative to the project root: for errors and edit links. */
  source: string
  /** The page's file name in the site: `05-dns.html`. */
  href: string
  front: LessonFrontMatter
  body: string
  bodyLine: number
}

export interface Book {
  chapters: Chapter[]
  /** Katas whose lesson is not written yet, in course order. */
  drafts: Kata[]
}

export function loadBook(katasDir: string, lessonsDir: string, root: string): Book {
  const chapters: Chapter[] = []
  const drafts: Kata[] = []
  for (const kata of loadCourse(katasDir)) {
    const file = path.join(lessonsDir, `${kata.name}.md`)
    if (!existsSync(file)) {
      drafts.push(kata)
      continue
    }
    const source = path.relative(root, file)
    const { front, body, bodyLine } = parseLesson(source, readFileSync(file, 'utf8'))
    chapters.push({ kata, source, href: `${kata.name}.html`, front, body, bodyLine })
  }
  return { chapters, drafts }
}
