import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { ChartStyle } from '../greenway/chart-options.js'
import { coverageRanking, footfallTrend, kmByTierStatus, serviceByType, uncoveredByDistrict } from '../greenway/chart-options.js'
import { cityTime } from '../format.js'
import { useGeoStore } from '../stores/geo.js'
import { useGreenwayStore } from '../stores/greenway.js'

/** Chart options from the greenway store, for the analysis panel and the wall scene (larger type there). */
export function useGreenwayCharts(style: ChartStyle = { fontSize: 12 }, opts: { footfallHours?: number, uncoveredLimit?: number, rankingLimit?: number } = {}) {
  const gw = useGreenwayStore()
  const geo = useGeoStore()
  const { t } = useI18n()
  const offset = computed(() => geo.city?.utcOffsetMinutes ?? 480)
  return {
    kmByTier: computed(() => kmByTierStatus(gw.network, k => t(`greenway.tier.${k}`), s => t(`greenway.status.${s}`), style)),
    ranking: computed(() => coverageRanking(gw.districts, { within500: t('greenway.series.within500'), within1000: t('greenway.series.within1000') }, style, opts.rankingLimit)),
    uncovered: computed(() => uncoveredByDistrict(gw.districts, t('greenway.series.tenThousand'), style, opts.uncoveredLimit)),
    serviceByType: computed(() => serviceByType(gw.city, k => t(`greenway.facility.${k}`), t('greenway.series.all'), style)),
    footfall: computed(() => footfallTrend(gw.footfall, opts.footfallHours ?? 6, ms => cityTime(ms, offset.value, false), style)),
  }
}
