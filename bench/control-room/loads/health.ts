import { InFlight, type LoadFactory, paced } from '../load.js'

const EVERY_MS = 100

interface Health { eventLoopDelayMs?: { p99Ms: number, maxMs: number, currentMs: number } }

/** GET /api/v1/health every 100 ms by the clock (a probe does not wait for the previous one), with the event-loop delay it reports. */
export const healthLoad: LoadFactory = (cfg, rec) => {
  const loopP99Ms: number[] = []
  const loopMaxMs: number[] = []
  const loopCurrentMs: number[] = []
  const inFlight = new InFlight()
  const probe = async () => {
    const { body } = await rec.request<Health>('health', `${cfg.url}/api/v1/health`, { headers: cfg.credentials.headers, timeoutMs: cfg.timeoutMs })
    const d = body?.eventLoopDelayMs
    if (d && rec.measuring) {
      loopP99Ms.push(d.p99Ms)
      loopMaxMs.push(d.maxMs)
      loopCurrentMs.push(d.currentMs)
    }
  }
  const pacer = paced(EVERY_MS, () => inFlight.add(probe()))
  return {
    async prepare() {},
    start: () => pacer.start(),
    async stop() {
      pacer.stop()
      await inFlight.drain()
      return { health: { loopP99Ms, loopMaxMs, loopCurrentMs } }
    },
  }
}
