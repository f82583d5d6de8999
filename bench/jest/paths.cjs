// @ts-nocheck — jest-only shim, not part of the type-checked course
// harness/paths.ts for CommonJS (jest): the same folders, found from this file.
const path = require('node:path')

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..')
module.exports = {
  PACKAGE_ROOT,
  SOLUTIONS_DIR: path.join(PACKAGE_ROOT, 'solutions'),
  STUBS_DIR: path.join(PACKAGE_ROOT, 'stubs'),
  DEEP_STUBS_DIR: path.join(PACKAGE_ROOT, 'deep-stubs'),
  WORKSPACE_DIR: path.join(PACKAGE_ROOT, 'workspace'),
  KATAS_DIR: path.join(PACKAGE_ROOT, 'katas'),
  CHECKS_DIR: path.join(PACKAGE_ROOT, 'checks'),
  MISCONCEPTIONS_DIR: path.join(PACKAGE_ROOT, 'misconceptions'),
  implDir: (name) => (name === 'stubs' ? path.join(PACKAGE_ROOT, 'stubs') : path.join(PACKAGE_ROOT, 'solutions')),
}
