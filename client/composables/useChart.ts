import { inject, markRaw, onBeforeUnmount, onMounted, type Ref, shallowRef, watch } from 'vue'
import { motion } from '../motion.js'
import { STAGE_SCALE } from './useFitStage.js'
import { echarts } from '../charts/echarts.js'

type Option = Record<string, unknown>

const withMotion = (o: Option): Option => (motion.value === 'calm' ? { ...o, animation: false } : o)

/**
 * Owns one ECharts instance on `el`: created once on mount, fed `option` changes (merged, so updates animate),
 * resized with its box, disposed on unmount. The instance is kept out of Vue reactivity.
 */
export function useChart(el: Ref<HTMLElement | null>, option: Ref<Option | null>) {
  const chart = shallowRef<echarts.ECharts | null>(null)
  let observer: ResizeObserver | null = null
  const stageScale = inject(STAGE_SCALE, null)

  onMounted(() => {
    if (!el.value) return
    // inside a scaled wall stage, draw at the stage's real size so text stays crisp on a 4K screen
    chart.value = markRaw(echarts.init(el.value, null, { renderer: 'canvas', devicePixelRatio: window.devicePixelRatio * Math.max(1, stageScale?.value ?? 1) }))
    if (option.value) chart.value.setOption(withMotion(option.value))
    observer = new ResizeObserver(() => chart.value?.resize())
    observer.observe(el.value)
  })

  watch(option, (next) => {
    if (!chart.value) return
    if (next) chart.value.setOption(withMotion(next), { lazyUpdate: true })
    else chart.value.clear()
  })
  // calm motion: updates redraw once instead of animating for a second (see client/motion.ts)
  watch(motion, () => chart.value?.setOption({ animation: motion.value !== 'calm' }))

  onBeforeUnmount(() => {
    observer?.disconnect()
    chart.value?.dispose()
    chart.value = null
  })

  return { chart }
}
