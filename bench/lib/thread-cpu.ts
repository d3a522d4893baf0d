import { readFileSync } from 'node:fs'

// /proc reports CPU time in clock ticks: 100 per second on Linux
const TICK_MS = 10

/**
 * CPU time (user + system, ms) of a process, or of one of its threads (`tid`; the main thread's is the pid), from
 * /proc; null where there is none. Unlike a rate, it hardly moves when other work shares the machine: it says what
 * a thread would need on a quiet machine.
 */
export function cpuMs(pid: number, tid?: number): number | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8')
    // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS
  } catch {
    return null
  }
}
