/** Worker thread of `npm run seed`: produces its share of the history slices (see history.ts) two ahead of the writer. */
import { parentPort, workerData } from 'node:worker_threads'
import { createWorkingCalendar, installCalendar, type WorkingCalendar } from '../calendar/index.js'
import { loadCityGeo } from '../geo/city-geo.js'
import { encodeChunk } from './chunk-encoding.js'
import { type ChunkerOptions, historySlice } from './history.js'

const { city, opts, slices, calendar } = workerData as {
  city: string, opts: Omit<ChunkerOptions, 'startMs'>, slices: [number, number][], calendar: Pick<WorkingCalendar, 'officeHours' | 'files'>
}
// the main thread's calendar (office hours, schedule files), so a worker's deadlines are the ones it would compute
installCalendar(createWorkingCalendar(calendar))
const geo = loadCityGeo(city)
let credit = 2
let next = 0

function produce(): void {
  while (credit > 0 && next < slices.length) {
    credit -= 1
    const [from, end] = slices[next++]!
    parentPort!.postMessage(encodeChunk(historySlice(geo, opts, from, end)))
  }
}

parentPort!.on('message', () => {
  credit += 1
  produce()
})
produce()
