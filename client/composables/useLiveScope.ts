import { onMounted } from 'vue'
import type { Scope } from '../../shared/scope.js'
import { useLiveStore } from '../stores/live.js'

/**
 * A view's live scope: started on mount (the store resumes it on every reconnect). `keepNewest`: the view shows only
 * what the live store holds (the wall), so the server may send only the newest changes it keeps. `brief`: the view
 * draws no description (the wall), so the server leaves it out. `alarms: false`: the view shows no alarms (the wall),
 * so the server pushes it none.
 */
export function useLiveScope(initial: Scope, opts: { keepNewest?: boolean, brief?: boolean, alarms?: boolean } = {}) {
  const live = useLiveStore()
  live.keepNewest = opts.keepNewest ?? false
  live.brief = opts.brief ?? false
  live.alarms = opts.alarms ?? true
  // set before the view's children mount (they mount before the view's onMounted and read the scope at once: the
  // league table, the KPI tiles), so a district user's first requests already ask for its district (issue #14)
  if (!live.state) live.scope = initial
  onMounted(() => {
    if (live.scope !== initial && live.state) void live.switchScope(initial)
    else live.start(initial)
  })
  return live
}
