import { onMounted } from 'vue'
import type { Scope } from '../../shared/scope.js'
import { useLiveStore } from '../stores/live.js'

/** A view's live scope: started on mount (the store resumes it on every reconnect). */
export function useLiveScope(initial: Scope) {
  const live = useLiveStore()
  onMounted(() => {
    if (live.scope !== initial && live.state) void live.switchScope(initial)
    else live.start(initial)
  })
  return live
}
