// Command lines as a POSIX shell splits them into words: the lessons' `$ katas …`
// lines and the simulator's transcripts are both written that way.

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError'
}

/**
 * Splits a command line the way a POSIX shell does for the words the lessons
 * use: whitespace separates words; `'…'` keeps everything; `"…"` keeps all but
 * `\"`, `\\`, `\$` and `` \` ``; outside quotes `\x` is `x`. No expansion.
 */
export function shellSplit(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new ShellSyntaxError('unterminated single quote')
      word += line.slice(i + 1, end)
      i = end
      inWord = true
    } else if (c === '"') {
      let j = i + 1
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1] ?? '')) j++
        word += line[j]
      }
      if (j >= line.length) throw new ShellSyntaxError('unterminated double quote')
      i = j
      inWord = true
    } else if (c === '\\') {
      word += line[++i] ?? ''
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (inWord) words.push(word)
  return words
}
