// The same checks under jest + babel-jest + @babel/preset-typescript — the setup
// Exercism's TypeScript track uses — for the learner-loop comparison in bench/run.mjs.
// Not part of the course: only the benchmark runs it.
const path = require('node:path')

const root = path.resolve(__dirname, '..', '..')
// jest, babel-jest and Babel live in the benchmark peers' own install (bench/peers/).
/** @param {string} name */
const peer = (name) => require.resolve(name, { paths: [path.join(__dirname, '..', 'peers')] })

module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/checks/**/*.check.ts'],
  transform: { '\\.[cm]?[jt]s$': [peer('babel-jest'), { configFile: path.join(__dirname, 'babel.config.cjs') }] },
  transformIgnorePatterns: ['/node_modules/(?!(pure-rand|fast-check)/)'],
  moduleNameMapper: {
    // KATAS_IMPL_DIR: the tree to grade, as KATAS_IMPL is for vitest.
    '^@impl/(.*)$': `${process.env.KATAS_IMPL_DIR ?? path.join(root, 'solutions')}/$1`,
    '^vitest$': path.join(__dirname, 'vitest-shim.cjs'),
    // harness/paths.ts reads import.meta.url, which CommonJS has not got: from harness/
    // itself and from the checks' support files.
    '^(\\./|(\\.\\./)+harness/)paths\\.ts$': path.join(__dirname, 'paths.cjs'),
  },
}
