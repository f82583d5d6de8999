import { describe, expect, test } from 'vitest'
import { extractBlocks } from './blocks.ts'
import { unifiedDiff } from './diff.ts'
import { applyEdits } from './edit.ts'
import { readTryIt, shown } from './tryit.ts'

describe('shown is what the terminal shows', () => {
  test.each([
    { name: 'stdout without its final newline', io: { stdout: 'a\nb\n', stderr: '', exitCode: 0 }, want: 'a\nb' },
    { name: 'stderr after stdout', io: { stdout: 'service/order created\n', stderr: 'error: x\n', exitCode: 1 }, want: 'service/order created\nerror: x' },
    { name: 'stdout without a newline still ends its line', io: { stdout: 'a', stderr: 'b\n', exitCode: 1 }, want: 'a\nb' },
    { name: 'the interleaved output when the simulator records it', io: { stdout: 'T\n', stderr: 'W\n', exitCode: 0, output: 'W\nT\n' }, want: 'W\nT' },
    { name: 'spaces at line ends dropped', io: { stdout: 'The Service "x" is invalid: \n* a\n', stderr: '', exitCode: 1 }, want: 'The Service "x" is invalid:\n* a' },
  ])('$name', ({ io, want }) => {
    expect(shown(io)).toBe(want)
  })
})

describe('readTryIt reads one command and its output', () => {
  const block = (text: string) => extractBlocks(`\`\`\`console\n${text}\`\`\`\n`, 5).code[0]!
  test.each([
    { name: 'command and output', text: '$ katas kubectl get pods\nNAME\nweb\n', want: { command: 'katas kubectl get pods', expected: 'NAME\nweb' } },
    { name: 'a command with no output', text: '$ katas cluster reset\n', want: { command: 'katas cluster reset', expected: '' } },
    {
      name: 'output before the command',
      text: 'NAME\n$ katas kubectl get pods\n',
      want: { file: 'l.md', line: 5, message: 'try-it block: expected exactly one "$ " command line, first, then its output (found 1); put each command in its own block, or mark shown-only commands "console norun"' },
    },
  ])('$name', ({ text, want }) => {
    expect(readTryIt('l.md', block(text))).toMatchObject(want)
  })
})

describe('unifiedDiff', () => {
  test.each([
    { name: 'a changed line between kept ones', a: 'x\ny\nz', b: 'x\nY\nz', want: '--- lesson\n+++ model\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z' },
    { name: 'a line only the model prints', a: 'x', b: 'x\nWarning: w', want: '--- lesson\n+++ model\n@@ -1,1 +1,2 @@\n x\n+Warning: w' },
    { name: 'no output where the lesson shows some', a: 'a\nb', b: '', want: '--- lesson\n+++ model\n@@ -1,2 +0,0 @@\n-a\n-b' },
    { name: 'three kept lines around a change, as diff -u', a: '1\n2\n3\n4\n5\n6\n7\n8\n9', b: '1\n2\n3\n4\n5\n6\n7\n8\nnine', want: '--- lesson\n+++ model\n@@ -6,4 +6,4 @@\n 6\n 7\n 8\n-9\n+nine' },
  ])('$name', ({ a, b, want }) => {
    expect(unifiedDiff(a, b)).toBe(want)
  })
})

describe('applyEdits replaces only the lines between the fences', () => {
  const text = 'Intro\r\n\r\n```console\r\n$ katas a\r\nold\r\nold 2\r\n```\r\n\r\nEnd\r\n'
  const block = extractBlocks(text.replace(/\r\n/g, '\n')).code[0]!
  test.each([
    { name: 'more lines, CRLF kept', content: '$ katas a\nnew\nnew 2\nnew 3', want: 'Intro\r\n\r\n```console\r\n$ katas a\r\nnew\r\nnew 2\r\nnew 3\r\n```\r\n\r\nEnd\r\n' },
    { name: 'no output', content: '$ katas a', want: 'Intro\r\n\r\n```console\r\n$ katas a\r\n```\r\n\r\nEnd\r\n' },
  ])('$name', ({ content, want }) => {
    expect(applyEdits(text, [{ block, content, fixes: { file: 'l.md', line: 4, message: '' } }])).toBe(want)
  })
})
