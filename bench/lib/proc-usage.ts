import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // fields after the command name (which may contain spaces), counted from field 3: utime is 14, stime 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

/**
 * A process's CPU (share of one core over the interval) and resident memory (peak and last, sampled every
 * `everyMs`) between `start` and `stop`.
 */
export function sampleUsage(pid: number, everyMs = 250) {
  const t0 = performance.now()
  const cpu0 = cpuSeconds(pid)
  let peak = rssMb(pid)
  const timer = setInterval(() => { peak = Math.max(peak, rssMb(pid)) }, everyMs)
  return {
    stop(): { cpuPct: number, rssPeakMb: number, rssMb: number } {
      clearInterval(timer)
      const last = rssMb(pid)
      const seconds = (performance.now() - t0) / 1000
      return { cpuPct: ((cpuSeconds(pid) - cpu0) / seconds) * 100, rssPeakMb: Math.max(peak, last), rssMb: last }
    },
  }
}
