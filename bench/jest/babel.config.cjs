// Babel for the jest comparison run: modern Node, TypeScript stripped.
// The presets come from the benchmark peers' own install (bench/peers/).
const path = require('node:path')

/** @param {string} name */
const peer = (name) => require.resolve(name, { paths: [path.join(__dirname, '..', 'peers')] })

module.exports = {
  presets: [[peer('@babel/preset-env'), { targets: { node: 'current' } }], peer('@babel/preset-typescript')],
}
