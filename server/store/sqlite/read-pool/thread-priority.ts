import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/**
 * Lowers the calling thread's scheduling priority (Linux `nice`, per thread): a worker doing analytics then yields the
 * CPU to the main thread — which acknowledges, answers pings and pushes — whenever both want it (issue #13: "by
 * priority"). On two cores the workers, the main thread and every local client compete; without this the main
 * thread waits its turn behind a queue-page read. Elsewhere (no /proc/thread-self) it does nothing and says so.
 */
export function lowerThreadPriority(nice: number): { ok: boolean, tid: number | null } {
  try {
    // "<pid>/task/<tid>": the kernel's id of this very thread, which setpriority(2) accepts for one thread
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    setPriority(tid, nice)
    return { ok: true, tid }
  } catch {
    return { ok: false, tid: null }
  }
}
