import { defineConfig } from 'vitest/config'

// `npm test` runs every project that needs no external service; test/services/** (PostgreSQL, Redis, MQTT)
// runs only through `npm run test:services`.
export default defineConfig({
  test: {
    projects: [
      // Unit tests wait for nothing (no server, no socket): a timeout only stops a runaway. Some are plain CPU over the
      // real city (3,047 communities' cells, the basemap fixture's tiles, thousands of simulated cases), and took 5–16 s
      // each on the 2-core machine under load (issue #12, item 6), past Vitest's 5 s default.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      // every repository contract (test/contracts/*.contract.ts) against each store implementation
      { test: { name: 'contracts', include: ['test/contracts/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ['test/e2e/build-client.ts'],
        },
      },
    ],
  },
})
