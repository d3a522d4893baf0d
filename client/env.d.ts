/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

interface ImportMetaEnv {
  /** '1' in a build for browser tests and benchmarks: client/test-hooks.ts exposes handles on `window`. */
  readonly VITE_TEST_HOOKS?: string
}
