/** `npm run bench [-- name…]`: runs the named benchmarks (all by default), each printing ratios against in-run limits. */
import { benchActionLatency } from './action-latency.js'
import { benchAnalysis } from './analysis.js'
import { benchControlRoom } from './control-room.js'
import { benchGreenway } from './greenway.js'
import { benchIngest } from './ingest.js'
import { benchMqtt } from './mqtt.js'
import { benchWallBundle } from './wall-bundle.js'
import { benchWallMap } from './wall-map.js'

const ALL: Record<string, () => Promise<void>> = { ingest: benchIngest, bundle: benchWallBundle, actions: benchActionLatency, map: benchWallMap, greenway: benchGreenway, analysis: benchAnalysis, mqtt: benchMqtt, 'control-room': benchControlRoom }

// options that take a value (`-- analysis --days 30`): their values are not benchmark names
const VALUED = new Set(['--days', '--events', '--end', '--rates', '--seconds', '--alone-seconds', '--sockets', '--socket-procs', '--out'])
const wanted = process.argv.slice(2).filter((a, k, args) => !a.startsWith('-') && !VALUED.has(args[k - 1] ?? ''))
// the drill-down bench seeds a year of history (minutes, gigabytes), the control room runs for many minutes: only when named
const names = wanted.length > 0 ? wanted : Object.keys(ALL).filter(n => n !== 'analysis' && n !== 'control-room')
for (const name of names) {
  const run = ALL[name]
  if (!run) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(ALL).join(', ')}`)
    process.exit(2)
  }
  await run()
}
