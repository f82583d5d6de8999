// The browser tests: headless Chromium over the fixture site. Run by `npm run test:browser`
// (site/e2e/run.mjs), never by the default `vitest run`.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['site/e2e/**/*.e2e.ts'],
    globalSetup: ['site/e2e/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
})
