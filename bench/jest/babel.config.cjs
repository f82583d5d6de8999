// Babel for the jest comparison run: modern Node, TypeScript stripped.
module.exports = {
  presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
}
