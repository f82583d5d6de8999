// js-yaml with YAML 1.2's core schema (what the yaml package reads by default), loaded
// on first use. It parses about five times faster than the yaml package, which is kept
// for what needs each value's position: an error that names the line of a bad field.
import { createRequire } from 'node:module'
import path from 'node:path'
import { PACKAGE_ROOT } from './paths.ts'

interface JsYaml {
  load(text: string, options: { schema: unknown }): unknown
  CORE_SCHEMA: unknown
}

let jsYaml: JsYaml | undefined

/** One YAML document as plain values. @throws js-yaml's error on bad YAML or a repeated key. */
export function parseCoreYaml(text: string): unknown {
  jsYaml ??= createRequire(path.join(PACKAGE_ROOT, 'package.json'))('js-yaml') as JsYaml
  return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA })
}
