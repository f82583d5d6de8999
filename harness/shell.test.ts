import { describe, expect, test } from 'vitest'
import { shellSplit, ShellSyntaxError } from './shell.ts'

describe('shellSplit splits a command line like a POSIX shell', () => {
  test.each([
    { line: 'katas kubectl get pods -n snackbar', want: ['katas', 'kubectl', 'get', 'pods', '-n', 'snackbar'] },
    { line: "katas kubectl get pods -l 'app in (order,payment),role'", want: ['katas', 'kubectl', 'get', 'pods', '-l', 'app in (order,payment),role'] },
    { line: 'katas kubectl exec client -- sh -c "echo \\"$HOME\\""', want: ['katas', 'kubectl', 'exec', 'client', '--', 'sh', '-c', 'echo "$HOME"'] },
    { line: 'katas  curl   http://order.snackbar/', want: ['katas', 'curl', 'http://order.snackbar/'] },
    { line: "a''b \"\" c\\ d", want: ['ab', '', 'c d'] },
    { line: 'katas kubectl get pods -l "app in (a, b)"', want: ['katas', 'kubectl', 'get', 'pods', '-l', 'app in (a, b)'] },
    { line: "katas kubectl exec c -- curl -s 'http://x/'", want: ['katas', 'kubectl', 'exec', 'c', '--', 'curl', '-s', 'http://x/'] },
    { line: 'katas kubectl get pods -l app=order # the order pods', want: ['katas', 'kubectl', 'get', 'pods', '-l', 'app=order'] },
    { line: 'katas curl http://order.snackbar/#top a#b', want: ['katas', 'curl', 'http://order.snackbar/#top', 'a#b'] },
    { line: 'katas kubectl exec c -- sh -c "echo $HOME" $PATH *.yaml', want: ['katas', 'kubectl', 'exec', 'c', '--', 'sh', '-c', 'echo $HOME', '$PATH', '*.yaml'] },
  ])('$line', ({ line, want }) => {
    expect(shellSplit(line)).toEqual(want)
  })

  test.each([
    { line: "katas kubectl get pods -l 'app", message: 'unterminated single quote' },
    { line: 'katas curl "http://x', message: 'unterminated double quote' },
    { line: 'katas kubectl get pods | grep web', message: '"|" is a shell operator: a command line here is one command, without pipes, redirects or lists (quote it to pass it as a word)' },
    { line: 'katas cluster reset && katas kubectl get pods', message: '"&&" is a shell operator: a command line here is one command, without pipes, redirects or lists (quote it to pass it as a word)' },
  ])('$message', ({ line, message }) => {
    expect(() => shellSplit(line)).toThrow(new ShellSyntaxError(message))
  })
})
