// Escaping for HTML, and the finished page's text written with its quotes and `>` as themselves.
import { describe, expect, test } from 'vitest'
import { escapeHtml, unescapeTextQuotes } from './html.ts'

describe('site/html', () => {
  test.each([
    ['text quotes and > are written as themselves', '<p>&quot;a&quot; &#39;b&#39; c &gt; d</p>', `<p>"a" 'b' c > d</p>`],
    ['< and & stay escaped in text', '<p>&lt;service&gt; &amp; more</p>', '<p>&lt;service> &amp; more</p>'],
    ['attribute values keep their escapes', '<a title="say &quot;hi&quot; &gt; 1">&quot;x&quot;</a>', '<a title="say &quot;hi&quot; &gt; 1">"x"</a>'],
    ['text after a tag with a > in a value', '<a title="a>b">&quot;</a>', '<a title="a>b">"</a>'],
    ['a page without escapes is unchanged', '<pre><code><span class="hl-string">x</span></code></pre>', '<pre><code><span class="hl-string">x</span></code></pre>'],
  ])('%s', (_name, html, expected) => {
    expect(unescapeTextQuotes(html)).toBe(expected)
  })
  test('escapeHtml escapes the five characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})
