import { benchEvents } from '../../lib/events.js'
import { InFlight, type LoadFactory, paced } from '../load.js'
import { EVENT_STATE } from '../protocol.js'
import { epochMs } from '../recorder.js'

const TICK_MS = 100

/**
 * POST /api/v1/events at `rate` events/s: a batch every 100 ms by the clock, never waiting for earlier answers (a
 * slow server must not slow the offered rate). Every event is tracked: when its batch was sent, and whether it was
 * stored, refused as overload (429/503), failed, or never answered.
 */
export const ingestLoad: LoadFactory = (cfg, rec) => {
  const perBatch = Math.max(1, Math.round(cfg.rate * TICK_MS / 1000))
  const batches = Math.floor(cfg.eventCapacity / perBatch)
  const sentAt = new Float64Array(cfg.eventCapacity)
  const state = new Uint8Array(cfg.eventCapacity)
  const bodies: string[] = []
  const inFlight = new InFlight()
  let sent = 0
  let overflow = false
  const headers = { 'content-type': 'application/json', ...cfg.credentials.ingestHeaders }

  async function post(batch: number): Promise<void> {
    const from = batch * perBatch
    const t = epochMs()
    // events of the warm-up are sent and stored but stay `unsent` here: not counted, nor their delivery
    const counted = rec.measuring
    if (counted) {
      for (let k = from; k < from + perBatch; k++) {
        sentAt[k] = t
        state[k] = EVENT_STATE.pending
      }
      sent += perBatch
    }
    const { status, body } = await rec.request<{ results: { status: string }[] }>('ingest ack', `${cfg.url}/api/v1/events`, { method: 'POST', headers, body: bodies[batch]!, timeoutMs: cfg.timeoutMs })
    if (!counted) return
    if (status === 200 && body) {
      body.results.forEach((r, j) => { state[from + j] = r.status === 'stored' ? EVENT_STATE.stored : EVENT_STATE.notStored })
      return
    }
    const s = status === 429 || status === 503 ? EVENT_STATE.refused : status === 'timeout' ? EVENT_STATE.unanswered : EVENT_STATE.failed
    state.fill(s, from, from + perBatch)
  }

  const pacer = paced(TICK_MS, (k) => {
    if (k >= batches) {
      overflow = true
      return
    }
    inFlight.add(post(k))
  })

  return {
    async prepare() {
      const events = benchEvents(batches * perBatch, cfg.eventPrefix.slice(0, -1))
      for (let b = 0; b < batches; b++) bodies.push(JSON.stringify({ events: events.slice(b * perBatch, (b + 1) * perBatch) }))
    },
    start: () => pacer.start(),
    async stop() {
      pacer.stop()
      await inFlight.drain()
      return {
        ingest: { sentAt, state, sent },
        notes: overflow ? [`ingest ran out of prepared events after ${batches} batches`] : [],
      }
    },
  }
}
