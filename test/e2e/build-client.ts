import { buildTestClient } from '../support/build-client.js'

/** Vitest globalSetup for e2e: build the client once per run (what `npm start` serves, plus the test hooks). */
export default function setup(): void {
  buildTestClient()
}
