import { defineConfig } from 'vitest/config'

// `npm run test:services`: suites that need the machine's services (Mosquitto on 127.0.0.1:1883 — `.ci/services-up`
// starts it). Kept out of `npm test`, which needs no external service.
export default defineConfig({
  test: {
    name: 'services',
    include: ['test/services/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
