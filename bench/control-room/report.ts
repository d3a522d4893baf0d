import { LIVE_KEEP } from '../../shared/events.js'
import { fmt } from '../lib/stats.js'
import { type KindStat, type PhaseFigures, SOCKET_ALL, SOCKET_FIRST } from './summarise.js'

const ms = (v: number) => Number.isFinite(v) ? fmt(v, v < 10 ? 1 : 0) : (Number.isNaN(v) ? '—' : '∞ (never)')

/** Kinds whose p99 counts for "every p99" and the knee: every request and the delivery to every client. */
export const judgedKinds = (f: PhaseFigures) => Object.keys(f.kinds).filter(k => k !== 'socket subscribe' && k !== SOCKET_FIRST)
export const worstP99 = (f: PhaseFigures) => {
  let worst = { kind: '', p99: 0 }
  // a kind without samples (NaN: e.g. no event stored to deliver) says nothing here; its cause shows elsewhere
  for (const k of judgedKinds(f)) if (f.kinds[k]!.n > 0 && f.kinds[k]!.p99 > worst.p99) worst = { kind: k, p99: f.kinds[k]!.p99 }
  return worst
}

function kindRow(name: string, s: KindStat): string {
  return `| ${name} | ${fmt(s.n)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${fmt(s.ok)} | ${fmt(s.overload)} | ${fmt(s.failed)} | ${fmt(s.unanswered)} |`
}

export function printPhase(f: PhaseFigures): void {
  console.log(`\n### ${f.name} (${fmt(f.seconds, 1)} s measured after ${fmt(f.warmupSeconds, 0)} s warm-up and ${fmt(f.settleSeconds, 1)} s settling; load average ${f.loadAverage.before.map(n => n.toFixed(2)).join(' ')} → ${f.loadAverage.after.map(n => n.toFixed(2)).join(' ')})`)
  console.log('| request | n | p50 ms | p99 ms | max ms | 200 | 429/503 | failed | unanswered |\n|---|---|---|---|---|---|---|---|---|')
  for (const [k, s] of Object.entries(f.kinds)) if (k !== SOCKET_ALL && k !== SOCKET_FIRST) console.log(kindRow(k, s))
  for (const k of [SOCKET_ALL, SOCKET_FIRST]) {
    const s = f.kinds[k]
    if (s) console.log(`| ${k} | ${fmt(s.n)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | | | | |`)
  }
  for (const [k, s] of Object.entries(f.kinds)) {
    if (s.failed > 0) console.log(`failed ${k}: ${Object.entries(s.outcomes).filter(([o]) => !['200', '429', '503', 'timeout'].includes(o)).map(([o, n]) => `${o} × ${fmt(n)}`).join(', ')}`)
  }
  const e = f.events
  if (e) {
    console.log(`events: ${fmt(e.sent)} sent (${fmt(e.sent / f.seconds, 0)}/s), ${fmt(e.stored)} stored, ${fmt(e.notStored)} answered not stored, ${fmt(e.refused)} refused 429/503, ${fmt(e.failed)} failed, **${fmt(e.unanswered)} unanswered**`
      + (f.sockets ? `; at every connected client ${fmt(e.deliveredToAll)}, missed after a signalled gap ${fmt(e.missedSignalled)}, **missed silently ${fmt(e.missedSilently)}**` : ''))
  }
  const s = f.sockets
  if (s) {
    console.log(`sockets: ${s.clients} clients subscribed (of ${s.requested}), **${s.disconnected} dropped** ${JSON.stringify(s.disconnectReasons)}, ${s.gapClients} told of a gap (${s.gaps} gaps, ${s.snapshots} snapshots), ${fmt(s.deltas)} deltas received (${fmt(s.deltas > 0 ? s.deltaIncidents / s.deltas : 0, 1)} incidents each); ${fmt(s.superseded)} event copies superseded at walls keeping the newest ${LIVE_KEEP}`)
  }
  console.log(`server: CPU ${fmt(f.server.cpuMeanPct)} % of a core (busiest second ${fmt(f.server.cpuMaxPct)} %), RSS max ${fmt(f.server.rssMaxMb)} MB; its main thread ran ${fmt(f.server.loopRunPct)} % of the time and waited for a CPU ${fmt(f.server.loopWaitPct)} %`
    + (f.eventLoop ? `; event-loop delay from /health: worst window p99 ${ms(f.eventLoop.windowP99MaxMs)} ms, current p99 ${ms(f.eventLoop.currentP99Ms)} / max ${ms(f.eventLoop.currentMaxMs)} ms` : '')
    + (f.queueWalk ? `; whole open queue (${fmt(f.queueWalk.cases)} cases) walked ${f.queueWalk.walks}× in p50 ${ms(f.queueWalk.p50Ms)} / max ${ms(f.queueWalk.maxMs)} ms` : ''))
  const loops = Object.entries(f.loadLoops)
  if (loops.length > 0) console.log(`load processes' own event-loop delay, p99 / max ms (their latencies include it): ${loops.map(([k, l]) => `${k} ${ms(l.p99Ms)} / ${ms(l.maxMs)}`).join(', ')}`)
  for (const n of new Set(f.notes)) console.log(`note: ${n}`)
}

export interface Verdict { target: string, measured: string, pass: boolean }

const p99Below = (f: PhaseFigures | undefined, kind: string, limit: number, label = kind): Verdict => {
  const s = f?.kinds[kind]
  const measured = !s ? 'not measured' : s.n === 0 ? 'no samples' : `${ms(s.p99)} ms (p50 ${ms(s.p50)}, n ${fmt(s.n)})`
  return { target: `${label} p99 < ${fmt(limit)} ms`, measured, pass: s !== undefined && s.n > 0 && s.p99 < limit }
}

/** The issue's targets, each with what this run measured. */
export function verdicts(mix500: PhaseFigures | undefined, mix2000: PhaseFigures | undefined): Verdict[] {
  const out: Verdict[] = []
  if (mix500) {
    out.push(p99Below(mix500, 'health', 100, '500/s mix: /health'), p99Below(mix500, SOCKET_ALL, 500, '500/s mix: socket delivery'),
      p99Below(mix500, 'operator action', 300, '500/s mix: operator action'), p99Below(mix500, 'kpis', 300, '500/s mix: /kpis'),
      p99Below(mix500, 'league', 300, '500/s mix: /league'), p99Below(mix500, 'analysis summary', 300, '500/s mix: analysis summary'),
      p99Below(mix500, 'queue page (300)', 300, '500/s mix: a queue page (300)'))
  }
  if (mix2000) {
    const e = mix2000.events
    const lost = e ? e.unanswered + e.missedSilently : Number.NaN
    out.push({ target: '2,000/s mix: 0 events lost or unanswered', measured: e ? `${fmt(e.unanswered)} unanswered, ${fmt(e.missedSilently)} missed silently (${fmt(e.missedSignalled)} after a signalled gap, ${fmt(e.refused)} refused 429/503)` : 'not measured', pass: lost === 0 })
    // a wall that could not even subscribe before the phase was not served either
    const so = mix2000.sockets
    const dropped = so ? so.disconnected + so.requested - so.clients : Number.NaN
    out.push({ target: '2,000/s mix: 0 clients dropped', measured: so ? `${fmt(so.disconnected)} dropped, ${fmt(so.requested - so.clients)} of ${fmt(so.requested)} could not subscribe` : 'not measured', pass: dropped === 0 })
    const w = worstP99(mix2000)
    out.push({ target: '2,000/s mix: every p99 < 1 s', measured: `worst ${w.kind} ${ms(w.p99)} ms`, pass: w.p99 < 1000 })
  }
  return out
}

export function printVerdicts(v: Verdict[], knee: string): void {
  console.log('\n## Targets (issue #13)\n| target | measured | |\n|---|---|---|')
  for (const r of v) console.log(`| ${r.target} | ${r.measured} | ${r.pass ? 'PASS' : 'FAIL'} |`)
  console.log(`| knee: lowest ingest rate where some p99 passes 1 s | ${knee} | (reported) |`)
}

/** Each kind's p50 / p99 alone (its own phase) beside every mix, so the cost of sharing the server shows in one run. */
export function printComparison(alone: PhaseFigures[], mixes: PhaseFigures[]): void {
  if (alone.length === 0 || mixes.length === 0) return
  const kinds = [...new Set(mixes.flatMap(judgedKinds))]
  console.log(`\n## Alone vs mixed, p50 / p99 ms\n| request | alone | ${mixes.map(m => `${fmt(m.rate)}/s mix`).join(' | ')} |\n|---|---|${mixes.map(() => '---|').join('')}`)
  const cell = (s: KindStat | undefined) => (s && s.n > 0 ? `${ms(s.p50)} / ${ms(s.p99)}` : '—')
  for (const k of kinds) {
    const a = alone.find(f => (f.kinds[k]?.n ?? 0) > 0)?.kinds[k]
    console.log(`| ${k} | ${cell(a)} | ${mixes.map(m => cell(m.kinds[k])).join(' | ')} |`)
  }
}
