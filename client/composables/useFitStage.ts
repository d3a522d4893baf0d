import { onBeforeUnmount, onMounted, ref } from 'vue'

/** Scale of a fixed-size stage (e.g. 1920×1080) fitted into the window with letterboxing, never scrollbars. */
export function useFitStage(width: number, height: number) {
  const scale = ref(1)
  const fit = () => { scale.value = Math.min(window.innerWidth / width, window.innerHeight / height) }
  onMounted(() => {
    fit()
    window.addEventListener('resize', fit)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', fit))
  return scale
}
