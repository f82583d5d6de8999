// Runs the scale benchmark (bench/*.run.ts) on the reference model; not part of `npm test`.
import { defineConfig } from 'vitest/config'
import { implRoot } from '../harness/impl-plugin.ts'
import { implDir } from '../harness/paths.ts'

export default defineConfig({
  plugins: [implRoot({ root: implDir(process.env.KATAS_IMPL) })],
  test: { include: ['bench/**/*.run.ts'], testTimeout: 600_000, pool: 'forks', fileParallelism: false },
})
