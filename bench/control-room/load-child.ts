/**
 * Entry of one load process of the control-room bench (forked by the parent with advanced serialisation):
 * config → prepare → 'ready'; 'start' → running (the warm-up, not counted); 'measure' → counted; 'stop' → drain →
 * 'result', then exit.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Load, LoadFactory } from './load.js'
import { analystsLoad } from './loads/analysts.js'
import { healthLoad } from './loads/health.js'
import { ingestLoad } from './loads/ingest.js'
import { operatorsLoad } from './loads/operators.js'
import { queueLoad } from './loads/queue.js'
import { socketsLoad } from './loads/sockets.js'
import type { ChildMessage, LoadKind, ParentMessage } from './protocol.js'
import { Recorder } from './recorder.js'

const LOADS: Record<LoadKind, LoadFactory> = {
  ingest: ingestLoad, sockets: socketsLoad, operators: operatorsLoad, analysts: analystsLoad, queue: queueLoad, health: healthLoad,
}

const send = (m: ChildMessage) => new Promise<void>(resolve => process.send!(m, () => resolve()))
const recorder = new Recorder()
let load: Load | null = null
let kind: LoadKind = 'ingest'
// this process's own lateness while measuring (resolution 10 ms: the histogram's figures include it, taken off below)
const ownLoop = monitorEventLoopDelay({ resolution: 10 })
const lateMs = (ns: number) => Math.max(0, ns / 1e6 - 10)

async function handle(m: ParentMessage): Promise<void> {
  switch (m.type) {
    case 'config':
      kind = m.config.kind
      load = LOADS[kind](m.config, recorder)
      await load.prepare()
      await send({ type: 'ready' })
      return
    case 'start':
      load!.start()
      return
    case 'measure':
      recorder.measuring = true
      ownLoop.enable()
      load!.measure?.()
      return
    case 'stop': {
      const extra = await load!.stop()
      ownLoop.disable()
      const own = { p99Ms: lateMs(ownLoop.percentile(99)), maxMs: lateMs(ownLoop.max) }
      await send({ type: 'result', result: { kind, kinds: recorder.kinds, notes: [], ownLoop: own, ...extra } })
      process.exit(0)
    }
  }
}

process.on('message', (m: ParentMessage) => {
  handle(m).catch(async (err: unknown) => {
    await send({ type: 'error', message: `${kind}: ${(err as Error)?.stack ?? String(err)}` })
    process.exit(1)
  })
})
