// The handles' types (`TestHandles`, `window.__citybrain`) are declared in client/env.d.ts.

/**
 * On only in a build made with `VITE_TEST_HOOKS=1` (test/support/build-client.ts: the e2e suite, the soak, the map
 * benches). Vite writes the value in at build time, so in `npm run build` / `npm start` this is `false` and the
 * minifier drops every hook: the production bundle has no `window.__citybrain`.
 */
export const TEST_HOOKS: boolean = import.meta.env.VITE_TEST_HOOKS === '1'

/** Sets these handles on `window.__citybrain` (undefined takes one away); does nothing outside a test build. */
export function exposeForTests(handles: Partial<TestHandles>): void {
  if (!TEST_HOOKS) return
  window.__citybrain = { ...window.__citybrain, ...handles }
}
