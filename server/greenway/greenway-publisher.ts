import { COVERAGE_PUSH_MS, type CoveragePush, FOOTFALL_PUSH_MS, GREENWAY_ROOM } from '../../shared/greenway/types.js'
// eslint-disable-next-line no-restricted-imports -- removed by the event bus (issue #12)
import type { IoServer } from '../realtime/types.js'
import type { FootfallService } from './footfall-service.js'
import type { GreenwayService } from './greenway-service.js'

export interface GreenwayPublisherOptions {
  coverageMs: number
  footfallMs: number
  /** Without readings the footfall window still slides and alarms clear: re-push this often while anyone watches. */
  idleMs: number
}

/**
 * Batched pushes to the greenway room: coverage changes coalesced into one `greenway:coverage` per 500 ms (deltas
 * with versions; rows are absolute, so applying one twice is harmless), and the whole footfall state at most once a
 * second as a volatile emit — a socket that cannot take it now simply gets the next one.
 */
export function createGreenwayPublisher(io: IoServer, greenway: GreenwayService, footfall: FootfallService, opts: Partial<GreenwayPublisherOptions> = {}) {
  const o: GreenwayPublisherOptions = { coverageMs: COVERAGE_PUSH_MS, footfallMs: FOOTFALL_PUSH_MS, idleMs: 30_000, ...opts }
  let sentVersion = greenway.version
  const timers: { coverage: NodeJS.Timeout | null, footfall: NodeJS.Timeout | null, idle: NodeJS.Timeout | null } = { coverage: null, footfall: null, idle: null }
  const last = { coverage: 0, footfall: 0 }
  let running = false

  const watched = () => (io.sockets.adapter.rooms.get(GREENWAY_ROOM)?.size ?? 0) > 0

  function flushCoverage(): void {
    timers.coverage = null
    last.coverage = Date.now()
    const d = greenway.drain() // always drained, watched or not, so the change sets stay small
    if (!d.reset && d.version === sentVersion) return
    const push: CoveragePush = {
      fromVersion: sentVersion,
      version: d.version,
      reset: d.reset,
      city: d.city,
      districts: d.reset ? greenway.rows('district') : d.districts,
      streets: d.reset ? [] : d.streets,
      communities: d.reset ? [] : d.communities,
      network: greenway.summary(),
      segments: d.reset ? [] : d.segments,
      facilities: d.reset ? [] : d.facilities,
    }
    sentVersion = d.version
    io.to(GREENWAY_ROOM).emit('greenway:coverage', push)
  }

  function flushFootfall(): void {
    timers.footfall = null
    last.footfall = Date.now()
    if (watched()) io.to(GREENWAY_ROOM).volatile.emit('footfall:updated', footfall.state())
  }

  const schedule = (kind: 'coverage' | 'footfall', every: number, flush: () => void) => {
    if (!running || timers[kind]) return
    timers[kind] = setTimeout(flush, Math.max(0, last[kind] + every - Date.now()))
  }

  return {
    coverageChanged: () => schedule('coverage', o.coverageMs, flushCoverage),
    footfallChanged: () => schedule('footfall', o.footfallMs, flushFootfall),
    start(): void {
      running = true
      timers.idle ??= setInterval(() => {
        footfall.tick()
        if (watched()) schedule('footfall', o.footfallMs, flushFootfall)
      }, o.idleMs)
    },
    stop(): void {
      running = false
      if (timers.coverage) clearTimeout(timers.coverage)
      if (timers.footfall) clearTimeout(timers.footfall)
      if (timers.idle) clearInterval(timers.idle)
      timers.coverage = timers.footfall = timers.idle = null
    },
  }
}

export type GreenwayPublisher = ReturnType<typeof createGreenwayPublisher>
