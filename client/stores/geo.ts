import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { CityInfo, GeoUnit } from '../../shared/geo/types.js'
import { getJson } from '../services/api.js'
import { type BasemapConfig, NO_BASEMAP } from '../map/basemap-config.js'

/** City info, unit names and district polygons: loaded once, immutable while the page lives. */
export const useGeoStore = defineStore('geo', () => {
  const city = shallowRef<CityInfo | null>(null)
  const districts = shallowRef<GeoUnit[]>([])
  const districtShapes = shallowRef<GeoJSON.FeatureCollection | null>(null)
  const units = shallowRef(new Map<string, GeoUnit>())
  const error = ref<string | null>(null)
  /** Where the map's base comes from (client-config); a failed answer leaves the offline style, never a blank page. */
  const basemap = shallowRef<BasemapConfig>(NO_BASEMAP)
  let loading: Promise<void> | null = null

  function remember(list: GeoUnit[]): void {
    const next = new Map(units.value)
    for (const u of list) next.set(u.code, u)
    units.value = next
  }

  function load(): Promise<void> {
    loading ??= (async () => {
      try {
        const [info, shapes, streets, clientConfig] = await Promise.all([
          getJson<{ info: CityInfo, districts: GeoUnit[] }>('/api/v1/city'),
          getJson<GeoJSON.FeatureCollection>('/api/v1/geo/district'),
          getJson<GeoUnit[]>('/api/v1/units?level=street'),
          getJson<BasemapConfig>('/api/v1/client-config').catch(() => NO_BASEMAP),
        ])
        basemap.value = { ...NO_BASEMAP, ...clientConfig }
        city.value = info.info
        districts.value = info.districts
        districtShapes.value = shapes
        remember([...info.districts, ...streets])
        error.value = null
      } catch (err) {
        error.value = (err as Error).message
        loading = null
      }
    })()
    return loading
  }

  async function loadChildren(code: string): Promise<GeoUnit[]> {
    const list = await getJson<GeoUnit[]>(`/api/v1/units/${code}/children`)
    remember(list)
    return list
  }

  const nameOf = (code: string) => units.value.get(code)?.name ?? code

  return { city, districts, districtShapes, units, error, basemap, load, loadChildren, nameOf }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useGeoStore, import.meta.hot))
