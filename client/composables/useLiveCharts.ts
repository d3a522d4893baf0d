import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { hourlyTrend, rankingBar, rankingColumns, shareRing } from '../charts/options.js'
import { STATUS_COLOURS, THEME } from '../charts/theme.js'
import { categoryLabel, cityTime, type UiLocale } from '../format.js'
import { useGeoStore } from '../stores/geo.js'
import { useLiveStore } from '../stores/live.js'

/** Chart options derived from the live store's aggregates, shared by the wall, ops and analysis views. */
export function useLiveCharts() {
  const live = useLiveStore()
  const geo = useGeoStore()
  const { t, locale } = useI18n()
  const today = computed(() => live.aggregates?.today ?? null)
  const offset = computed(() => geo.city?.utcOffsetMinutes ?? 480)

  const byCategory = computed(() => today.value && rankingBar(today.value.byCategory, c => categoryLabel(c, locale.value as UiLocale), 10))
  const byStatus = computed(() => today.value && shareRing(today.value.byStatus, s => t(`status.${s}`), STATUS_COLOURS))
  const bySource = computed(() => today.value && shareRing(today.value.bySource, s => t(`source.${s}`)))
  // columns: the wall's short, wide panel holds every district (20 in Chengdu) without overlapping names
  const byUnit = computed(() => today.value && rankingColumns(today.value.byUnit, geo.nameOf, 20, THEME.accent2))
  const byHour = computed(() => {
    const h = live.aggregates?.last24h
    return h ? hourlyTrend(h.hourStart, h.counts, ms => cityTime(ms, offset.value, false)) : null
  })

  return { today, byCategory, byStatus, bySource, byUnit, byHour }
}
