// Check titles read as sentences. Many titles are built from a table row by a template
// (`a range of ${r.what} gets …`), and a row written for another template reads wrong:
// "a range of a range with every field given". These are the slips such templates make;
// each finding names the words at fault.

/** Prepositions a repeated phrase may sit around: "a range of a range". */
const PREPOSITION = /^(of|to|in|on|at|for|with|from|by|as|into)$/i
/** Words that alone do not make a phrase worth flagging ("of the of the" is caught as doubled words anyway). */
const FUNCTION_WORD = /^(a|an|the|of|to|in|on|at|and|or|is|are|be|its|it|with|for|by|from|as|that|this)$/i

/** The title without quoted text: inputs in quotes or backticks may repeat or space themselves as they like. */
const unquoted = (title: string): string => title.replace(/"[^"]*"|`[^`]*`/g, 'Q')

/** What reads wrong in a check title, one line each; none when it reads as a sentence. */
export function titleSlips(title: string): string[] {
  const slips: string[] = []
  const text = unquoted(title)
  const words = text.split(/\s+/).filter(Boolean)
  const plain = (w: string) => /^[A-Za-z][A-Za-z-]*$/.test(w)
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((w, i) => w.toLowerCase() === b[i]!.toLowerCase())
  for (let i = 0; i + 1 < words.length; i++) {
    if (plain(words[i]!) && words[i]!.toLowerCase() === words[i + 1]!.toLowerCase()) slips.push(`"${words[i]} ${words[i + 1]}": a word twice`)
  }
  for (let n = 2; n <= 4; n++) {
    for (let i = 0; i + 2 * n + 1 <= words.length; i++) {
      const phrase = words.slice(i, i + n)
      if (!phrase.every(plain) || phrase.every((w) => FUNCTION_WORD.test(w))) continue
      const between = words[i + n]!
      const again = words.slice(i + n + 1, i + 2 * n + 1)
      if (PREPOSITION.test(between) && same(phrase, again)) slips.push(`"${[...phrase, between, ...again].join(' ')}": a phrase twice`)
    }
  }
  if (/\bNaN\b|\[object Object\]/.test(text)) slips.push('a value that did not print (NaN, [object Object])')
  if (text !== text.trim() || / {2}/.test(text)) slips.push('spaces at an end or two in a row')
  return slips
}
