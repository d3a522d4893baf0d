import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc's CPU times (100 on Linux almost everywhere; asked once). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

export interface ServerUsage {
  /** Mean CPU of the server process over the phase, in % of one core (200 % = both cores), and the busiest second. */
  cpuMeanPct: number
  cpuMaxPct: number
  rssMaxMb: number
  rssEndMb: number
  samples: number
  /**
   * The server's main thread (its event loop), from /proc/<pid>/schedstat, in % of the phase's wall time: running
   * on a CPU, and runnable but waiting for one. A large wait is the machine's doing (other processes on the cores),
   * not the server's; the rest of the time the loop was idle or blocked (e.g. in a disk sync).
   */
  loopRunPct: number
  loopWaitPct: number
}

function cpuTicks(pid: number): number {
  // fields after the parenthesised command name: utime and stime are the 12th and 13th
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/** Nanoseconds the main thread has run, and waited runnable, since it started. */
function schedstat(pid: number): [number, number] {
  const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number)
  return [run ?? Number.NaN, wait ?? Number.NaN]
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

/** Samples the server's CPU time and RSS from /proc once a second until stopped (Linux only). */
export function watchServer(pid: number): { stop: () => ServerUsage } {
  const t0 = performance.now()
  const ticks0 = cpuTicks(pid)
  const [run0, wait0] = schedstat(pid)
  let now = [run0, wait0]
  let lastT = t0
  let lastTicks = ticks0
  let cpuMaxPct = 0
  let rssMaxMb = rssMb(pid)
  let rssEndMb = rssMaxMb
  let samples = 0
  const sample = () => {
    try {
      const t = performance.now()
      const ticks = cpuTicks(pid)
      cpuMaxPct = Math.max(cpuMaxPct, ((ticks - lastTicks) / CLK_TCK) / ((t - lastT) / 1000) * 100)
      lastT = t
      lastTicks = ticks
      now = schedstat(pid)
      rssEndMb = rssMb(pid)
      rssMaxMb = Math.max(rssMaxMb, rssEndMb)
      samples++
    } catch { /* the server exited: the phase reports what it has */ }
  }
  const timer = setInterval(sample, 1000)
  return {
    stop() {
      clearInterval(timer)
      sample()
      const seconds = (lastT - t0) / 1000
      const pct = (ns: number) => (seconds > 0 ? ns / 1e9 / seconds * 100 : Number.NaN)
      return {
        cpuMeanPct: seconds > 0 ? ((lastTicks - ticks0) / CLK_TCK) / seconds * 100 : Number.NaN, cpuMaxPct, rssMaxMb, rssEndMb, samples,
        loopRunPct: pct(now[0]! - run0), loopWaitPct: pct(now[1]! - wait0),
      }
    },
  }
}
