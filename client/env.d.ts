/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

/** Handles the app exposes on `window.__citybrain` for browser tests; modules add their own fields. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging in each module
interface CityBrainHandles {}
interface Window { __citybrain?: CityBrainHandles }
