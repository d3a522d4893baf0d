import { type InjectionKey, onBeforeUnmount, onMounted, type Ref, ref } from 'vue'

/** Provided by a fitted stage: how much it is scaled, so canvases inside can render at the real pixel size. */
export const STAGE_SCALE: InjectionKey<Ref<number>> = Symbol('stage-scale')

/** Scale of a fixed-size stage (e.g. 1920×1080) fitted into the window with letterboxing, never scrollbars. */
export function useFitStage(width: number, height: number) {
  const fit = () => { scale.value = Math.min(window.innerWidth / width, window.innerHeight / height) }
  // known before the children mount, so their canvases start at the right pixel ratio
  const scale = ref(Math.min(window.innerWidth / width, window.innerHeight / height))
  onMounted(() => {
    fit()
    window.addEventListener('resize', fit)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', fit))
  return scale
}
