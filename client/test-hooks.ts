import type * as maplibregl from 'maplibre-gl'
import type { echarts } from './charts/echarts.js'
import type { PointBatch } from './map/live-points.js'
import type { AppSocket } from './services/socket.js'

/** What browser tests and benchmarks read from `window.__citybrain` — only in a build made with hooks. */
export interface TestHandles {
  /** The wall's / ops' map. */
  map?: maplibregl.Map
  /** Feeds the map a compact batch the way a socket message would (bench/wall-map.ts). */
  pushPoints?: (batch: PointBatch) => void
  /** The one socket: tests drop and restore the connection. */
  socket?: AppSocket
  /** ECharts' core: tests read what the charts draw (`getInstanceByDom(el).getOption()`). */
  echarts?: typeof echarts
  /** The analysis map, the unit whose children it shows and how many points it holds. */
  analysisMap?: { map: maplibregl.Map, readonly area: string | null, readonly points: number }
}

declare global {
  interface Window { __citybrain?: TestHandles }
}

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
