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

/**
 * What browser tests and benchmarks read from `window.__citybrain` — only in a build made with hooks
 * (client/test-hooks.ts). Declared here, not there: the handles' types come from charts/, map/ and services/, which
 * call `exposeForTests`, and a type import back would make a folder cycle.
 */
interface TestHandles {
  /** The wall's / ops' map. */
  map?: import('maplibre-gl').Map
  /** Feeds the map a compact batch the way a socket message would (bench/wall-map.ts). */
  pushPoints?: (batch: import('./map/live-points.js').PointBatch) => void
  /** The one socket: tests drop and restore the connection. */
  socket?: import('./services/socket.js').AppSocket
  /** ECharts' core: tests read what the charts draw (`getInstanceByDom(el).getOption()`). */
  echarts?: typeof import('./charts/echarts.js').echarts
  /** The router: tests move between views in one page, as a user does, keeping the stores. */
  router?: import('vue-router').Router
  /** The analysis map, the unit whose children it shows and how many points it holds. */
  analysisMap?: { map: import('maplibre-gl').Map, readonly area: string | null, readonly points: number }
}

interface Window { __citybrain?: TestHandles }
