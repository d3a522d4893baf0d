import { io, type Socket } from 'socket.io-client'
import { type ClientToServerEvents, LIVE_KEEP, type ServerToClientEvents } from '../../../shared/events.js'
import { unpackDelta, unpackSnapshot, unpackSubscribeResult } from '../../../shared/live-wire.js'
import { connected } from '../../lib/clients.js'
import type { LoadFactory } from '../load.js'
import { epochMs, sleep } from '../recorder.js'

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>

const CONNECT_CONCURRENCY = 20

/**
 * `count` wall sockets subscribed to the city, each its own connection, as the product's wall subscribes (`keep`: the
 * newest LIVE_KEEP changes per delta; `brief`: no descriptions; no alarm pushes) — but the first of each process
 * subscribes to every change, as an ops console does, and tells the others each bench event's seq. An event a wall
 * never received counts as delivered if a delta it got covered the event's seq and said it omitted older changes (its
 * newer state arrived instead: "superseded"), at that delta's arrival; the first client resyncs after a gap, as a
 * console does, so it knows every seq.
 * For every bench event (id `${eventPrefix}${index}`) in a delta or a snapshot: how many clients got it, first and last
 * arrival. Per client: the seq it has applied, so a delta starting past it (a gap the server signals) is counted;
 * disconnects with reasons.
 */
export const socketsLoad: LoadFactory = (cfg, rec) => {
  const n = cfg.eventCapacity
  const seenBy = new Uint16Array(n)
  const first = new Float64Array(n)
  const last = new Float64Array(n)
  const missedSilently = new Uint16Array(n)
  const clientHadGap = new Uint8Array(cfg.count)
  const perClient: Uint8Array[] = []
  const lastSeq: number[] = []
  const disconnectReasons: Record<string, number> = {}
  let started = false
  let measuring = false
  const sockets: WallSocket[] = []
  const subscribed = new Uint8Array(cfg.count)
  let gaps = 0
  let snapshots = 0
  let deltas = 0
  let deltaIncidents = 0
  let superseded = 0
  const prefix = cfg.eventPrefix
  // the event's seq in the first state the reference client saw; per wall, the ranges of its trimmed deltas
  const seqOf = new Float64Array(n)
  const trimmed: { from: number[], to: number[], at: number[] }[] = []

  function seen(client: number, incidents: { id: string, seq: number }[], at: number): void {
    for (const i of incidents) {
      if (!i.id.startsWith(prefix)) continue
      const k = Number(i.id.slice(prefix.length))
      if (!(k < n)) continue
      if (client === 0 && seqOf[k] === 0) seqOf[k] = i.seq
      deliver(client, k, at)
    }
  }

  function deliver(client: number, k: number, at: number): void {
    const mine = perClient[client]!
    if (mine[k]) return
    mine[k] = 1
    const before = seenBy[k]!
    seenBy[k] = before + 1
    if (before === 0 || at < first[k]!) first[k] = at
    if (at > last[k]!) last[k] = at
  }

  /** The arrival of the wall's trimmed delta whose range holds `seq` (ranges ascend, never overlap), else NaN. */
  function supersededAt(client: number, seq: number): number {
    const t = trimmed[client]!
    let lo = 0
    let hi = t.from.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (t.to[mid]! < seq) lo = mid + 1
      else if (t.from[mid]! > seq) hi = mid - 1
      else return t.at[mid]!
    }
    return Number.NaN
  }

  function gap(client: number): void {
    if (!started) return
    // a gap in the warm-up still excuses the client's later misses (it was told); only the measured ones are counted
    if (measuring) gaps++
    clientHadGap[client] = 1
  }

  /** The reference client (0) after a gap: the changes after its seq from the server, as a console would ask. */
  function resync(s: WallSocket, sinceSeq: number): void {
    s.timeout(cfg.timeoutMs).emitWithAck('scope:subscribe', { scope: 'city', sinceSeq }).then((res) => {
      if (!res.ok) return
      const r = unpackSubscribeResult(res.data)
      seen(0, r.kind === 'resumed' ? r.delta.incidents : r.snapshot.recent, epochMs())
    }, () => undefined)
  }

  function setup(s: WallSocket, k: number): Promise<void> {
    perClient[k] = new Uint8Array(n)
    trimmed[k] = { from: [], to: [], at: [] }
    lastSeq[k] = 0
    // unpacked as the product's client unpacks them (client/stores/live.ts), so a wall here costs what a wall costs
    s.on('scope:delta', (wire) => {
      const at = epochMs()
      const d = unpackDelta(wire)
      if (measuring) {
        deltas++
        deltaIncidents += d.incidents.length
      }
      if (d.fromSeq - 1 > lastSeq[k]!) {
        gap(k)
        // the reference client resyncs as a console does, so it still learns every event's seq
        if (k === 0) resync(s, lastSeq[k]!)
      }
      lastSeq[k] = Math.max(lastSeq[k]!, d.toSeq)
      if ((d.omitted ?? 0) > 0) {
        const t = trimmed[k]!
        t.from.push(d.fromSeq)
        t.to.push(d.toSeq)
        t.at.push(at)
      }
      seen(k, d.incidents, at)
    })
    s.on('scope:snapshot', (wire) => {
      // sent only to a client that fell too far behind: it was told, and resynced
      const at = epochMs()
      const snap = unpackSnapshot(wire)
      if (measuring) snapshots++
      gap(k)
      lastSeq[k] = snap.seq
      seen(k, snap.recent, at)
    })
    s.on('disconnect', (reason) => {
      if (measuring) disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1
    })
    const t0 = performance.now()
    return s.timeout(cfg.timeoutMs).emitWithAck('scope:subscribe', { scope: 'city', ...(k > 0 && { keep: LIVE_KEEP, brief: true, alarms: false }) }).then((res) => {
      rec.record('socket subscribe', performance.now() - t0, res.ok ? 200 : 'refused')
      if (!res.ok) throw new Error(`scope:subscribe refused: ${res.error}`)
      lastSeq[k] = res.data.kind === 'snapshot' ? res.data.snapshot.seq : res.data.delta.toSeq
    }, (err: unknown) => {
      rec.record('socket subscribe', cfg.timeoutMs, 'timeout')
      throw err
    })
  }

  /**
   * Connects and subscribes every client, 20 at a time (handshakes and snapshots must not pile up). A client that
   * cannot within the timeout is left out of the phase (counted under `socket subscribe`), not fatal: a server too
   * busy to take a wall is a finding.
   */
  async function connectAll(): Promise<void> {
    let next = 0
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, async () => {
      while (next < cfg.count) {
        const k = next++
        const s = io(cfg.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: cfg.credentials.socketHeaders }) as WallSocket
        sockets[k] = s
        try {
          await connected(s, cfg.timeoutMs)
          await setup(s, k)
          subscribed[k] = 1
        } catch {
          s.disconnect()
        }
      }
    }))
  }

  return {
    async prepare() {
      await connectAll()
    },
    start() {
      started = true
    },
    measure() {
      measuring = true
    },
    async stop() {
      // the ingest has stopped when this is called: what is still on its way has `drainMs` to arrive
      await sleep(cfg.drainMs)
      measuring = false
      // a wall's missing events that a trimmed delta superseded (the reference client saw their seq)
      for (let c = 1; c < cfg.count; c++) {
        if (!subscribed[c] || trimmed[c]!.from.length === 0) continue
        const mine = perClient[c]!
        for (let k = 0; k < n; k++) {
          if (mine[k] || seqOf[k] === 0) continue
          const at = supersededAt(c, seqOf[k]!)
          if (Number.isNaN(at)) continue
          deliver(c, k, at)
          superseded++
        }
      }
      const clients = subscribed.reduce((a, b) => a + b, 0)
      const disconnected = sockets.filter((s, c) => subscribed[c] && !s.connected).length
      for (let c = 0; c < cfg.count; c++) {
        if (!subscribed[c] || clientHadGap[c] || !sockets[c]!.connected) continue
        const mine = perClient[c]!
        for (let k = 0; k < n; k++) if (!mine[k]) missedSilently[k]!++
      }
      for (const s of sockets) s.disconnect()
      return {
        sockets: {
          seenBy, first, last, missedSilently, clientHadGap, requested: cfg.count, clients, disconnected, disconnectReasons,
          gapClients: clientHadGap.reduce((a, b) => a + b, 0), gaps, snapshots, deltas, deltaIncidents, superseded,
        },
      }
    },
  }
}
