import { execFileSync } from 'node:child_process'

/** Vitest globalSetup for e2e: build the client once per run, so tests exercise what `npm start` serves. */
export default function setup(): void {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' })
}
