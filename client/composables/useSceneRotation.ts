import { onBeforeUnmount, onMounted, type Ref, ref, watch } from 'vue'
import { nextScene, type WallScene } from '../wall/scenes.js'

/** The wall's current scene: pinned, or advancing every `seconds` through the available scenes. */
export function useSceneRotation(available: Ref<readonly WallScene[]>, pinned: Ref<WallScene | null>, seconds: Ref<number>) {
  const current = ref<WallScene>(pinned.value ?? available.value[0] ?? 'overview')
  let timer: number | undefined

  function restart(): void {
    window.clearInterval(timer)
    if (pinned.value) {
      current.value = pinned.value
      return
    }
    if (!available.value.includes(current.value)) current.value = available.value[0] ?? 'overview'
    if (seconds.value > 0) timer = window.setInterval(() => { current.value = nextScene(current.value, available.value) }, seconds.value * 1000)
  }

  onMounted(restart)
  watch([available, pinned, seconds], restart)
  onBeforeUnmount(() => window.clearInterval(timer))
  return current
}
