/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

/** Handles the app exposes on `window.__citybrain` for browser tests; modules add their own fields. */
interface CityBrainHandles {}
interface Window { __citybrain?: CityBrainHandles }
