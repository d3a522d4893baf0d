import { execFileSync } from 'node:child_process'
import path from 'node:path'

/**
 * Where the client built for browser tests and benchmarks goes: beside, never over, the production build in
 * dist/client, so `npm run serve` after a test run still serves a bundle without test hooks.
 */
export const TEST_CLIENT_DIR = path.resolve('dist/client-test')

/**
 * Builds the client with its test hooks on (`VITE_TEST_HOOKS=1`: client/test-hooks.ts hangs the map, the socket and
 * ECharts on `window.__citybrain`) into TEST_CLIENT_DIR. Used by the e2e suite's globalSetup, the soak and the
 * browser benches; `npm run build` / `npm start` build without hooks.
 */
export function buildTestClient(): void {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', TEST_CLIENT_DIR], {
    stdio: 'inherit',
    env: { ...process.env, VITE_TEST_HOOKS: '1' },
  })
}
