// A lesson the site cannot render: one line naming the file, the line and what was expected.
export class SiteError extends Error {
  override name = 'SiteError'

  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`)
  }
}
