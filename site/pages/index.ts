// Every kind of page the site has, in the order they are written.
import { homePage } from './home.ts'
import { lessonPages } from './lesson.ts'
import { notFoundPage } from './not-found.ts'
import type { PageType } from './page-type.ts'
import { printPage } from './print.ts'
import { workspacePages } from './workspace.ts'

export const PAGE_TYPES: readonly PageType[] = [homePage, lessonPages, notFoundPage, printPage, workspacePages]
