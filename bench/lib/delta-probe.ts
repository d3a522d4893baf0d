/**
 * Runs inside the console page (serialised by page.evaluate, so self-contained): listens on the page's own socket
 * (`window.__citybrain.socket`, registered after the app's listeners, so the stores have taken the delta when it
 * runs) and records, per incident whose id contains `token`, when its delta arrived and when the frame that follows
 * was painted (the next animation frame, then a message posted from it: that task runs after the frame's paint).
 * Times are `Date.now()`, the same OS clock the publishers stamp their messages with.
 */
export function installDeltaProbe(token: string): void {
  // the wire packs a delta's incidents as columns (shared/live-wire.ts): the ids are one array
  type Delta = { incidents: { cols: { id?: string[] } } }
  type Probe = { received: Record<string, number>, painted: Record<string, number> }
  const w = window as unknown as { __citybrain?: { socket?: { on: (ev: string, cb: (d: Delta) => void) => void } }, __deltaProbe?: Probe }
  const probe: Probe = { received: {}, painted: {} }
  w.__deltaProbe = probe
  const channel = new MessageChannel()
  let waiting: string[] = []
  channel.port1.onmessage = () => {
    const at = Date.now()
    for (const id of waiting) probe.painted[id] = at
    waiting = []
  }
  w.__citybrain!.socket!.on('scope:delta', (d) => {
    const at = Date.now()
    const fresh: string[] = []
    for (const id of d.incidents.cols.id ?? []) {
      if (!id.includes(token) || probe.received[id] !== undefined) continue
      probe.received[id] = at
      fresh.push(id)
    }
    if (fresh.length === 0) return
    const first = waiting.length === 0
    waiting.push(...fresh)
    if (first) requestAnimationFrame(() => channel.port2.postMessage(null))
  })
}

/** The probe's records so far. */
export function readDeltaProbe(): { received: Record<string, number>, painted: Record<string, number> } {
  const w = window as unknown as { __deltaProbe?: { received: Record<string, number>, painted: Record<string, number> } }
  return w.__deltaProbe!
}
