/**
 * Runs inside the page (serialised by page.evaluate, so self-contained): N points, 10 % of them moved every second,
 * for `seconds`; records rAF frame intervals, long tasks, and the time from each update until it is drawn.
 * `mode` "bare" rebuilds and `setData`s the whole FeatureCollection each second (what a naive page does); "wall"
 * hands a compact batch (ids + coordinates of what changed) to the wall's own map code.
 */
export interface DriverResult {
  frames: number[]
  longTaskMs: number
  elapsedMs: number
  /** Update → the change drawn. */
  toDrawn: number[]
  /** Update → the map's next `idle` after drawing it, for the updates where it went idle before the next one. */
  toIdle: number[]
  /** Updates after which the map did not go idle before the next (it kept animating or loading). */
  idleMissed: number
}

export async function driveMap(args: { n: number, seconds: number, mode: 'bare' | 'wall', bbox: [number, number, number, number] }): Promise<DriverResult> {
  type MapLike = {
    on: (ev: string, cb: (e: { sourceId?: string, isSourceLoaded?: boolean }) => void) => unknown
    off: (ev: string, cb: (e: { sourceId?: string, isSourceLoaded?: boolean }) => void) => unknown
    once: (ev: string, cb: () => void) => unknown
    getSource: (id: string) => { setData: (d: unknown) => unknown } | undefined
  }
  const w = window as unknown as { __citybrain?: { map?: MapLike, pushPoints?: (b: unknown) => void }, __bareMap?: MapLike }
  const map = (args.mode === 'wall' ? w.__citybrain?.map : w.__bareMap)!
  let seed = 42
  const rnd = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 4294967296
  }
  const [x0, y0, x1, y1] = args.bbox
  const ids = Array.from({ length: args.n }, (_, k) => `p${k}`)
  const lon = ids.map(() => x0 + rnd() * (x1 - x0))
  const lat = ids.map(() => y0 + rnd() * (y1 - y0))
  const sev = ids.map(() => Math.floor(rnd() * 4))
  const SEV = ['low', 'normal', 'high', 'critical']

  // "drawn": the points source finished loading the update and the next frame drew it; then "idle": the map's next
  // `idle` event (a map that keeps animating, e.g. pulsing rings, never gets there). At city zoom with many points the
  // wall draws them as per-cell counts (in its `overlay` source) and leaves the hidden individual points' source alone.
  const sources = args.mode === 'wall' ? ['incidents', 'overlay'] : ['points']
  const idles: number[] = []
  map.on('idle', () => { idles.push(performance.now()) })
  let drawnAt = 0
  const drawn = () => new Promise<void>((resolve) => {
    const timer = setTimeout(done, 5000)
    function done(): void {
      clearTimeout(timer)
      drawnAt = performance.now()
      map.off('sourcedata', onData)
      resolve()
    }
    function onData(e: { sourceId?: string, isSourceLoaded?: boolean }): void {
      if (e.sourceId !== undefined && sources.includes(e.sourceId) && e.isSourceLoaded) map.once('render', done)
    }
    map.on('sourcedata', onData)
  })
  function send(changed: number[]): void {
    if (args.mode === 'wall') {
      w.__citybrain!.pushPoints!({ ids: changed.map(k => ids[k]), lon: changed.map(k => lon[k]), lat: changed.map(k => lat[k]), severity: changed.map(k => sev[k]) })
      return
    }
    map.getSource('points')!.setData({
      type: 'FeatureCollection',
      features: ids.map((id, k) => ({ type: 'Feature', id: k, properties: { severity: SEV[sev[k]!] }, geometry: { type: 'Point', coordinates: [lon[k], lat[k]] } })),
    })
  }

  // initial load, not measured
  send(ids.map((_, k) => k))
  await drawn()

  const frames: number[] = []
  const toDrawn: number[] = []
  const toIdle: number[] = []
  let idleMissed = 0
  let longTaskMs = 0
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTaskMs += e.duration })
  observer.observe({ type: 'longtask', buffered: false })
  let last = performance.now()
  let running = true
  const tick = (now: number) => {
    frames.push(now - last)
    last = now
    if (running) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  const started = performance.now()
  for (let s = 0; s < args.seconds; s++) {
    const due = started + (s + 1) * 1000
    const changed: number[] = []
    for (let k = 0; k < args.n / 10; k++) {
      const i = Math.floor(rnd() * args.n)
      lon[i] = lon[i]! + (rnd() - 0.5) * 0.002
      lat[i] = lat[i]! + (rnd() - 0.5) * 0.002
      changed.push(i)
    }
    const t0 = performance.now()
    send(changed)
    await drawn()
    toDrawn.push(drawnAt - t0)
    const wait = due - performance.now()
    if (wait > 0) await new Promise(r => setTimeout(r, wait))
    // the first idle from the frame that drew the update until the next update (the render handler and the idle
    // event run in the same task, so the idle is recorded by a standing listener, not awaited)
    const idleAt = idles.find(at => at >= drawnAt)
    if (idleAt === undefined) idleMissed += 1
    else toIdle.push(idleAt - t0)
    idles.length = 0
  }
  running = false
  observer.disconnect()
  return { frames: frames.slice(1), longTaskMs, elapsedMs: performance.now() - started, toDrawn, toIdle, idleMissed }
}
