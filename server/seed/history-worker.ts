/** Worker thread of `npm run seed`: produces the history slices (see history.ts) two ahead of the writer. */
import { parentPort, workerData } from 'node:worker_threads'
import { loadCityGeo } from '../geo/city-geo.js'
import { type ChunkerOptions, createHistoryChunker, encodeChunk } from './history.js'

const { city, opts, ends } = workerData as { city: string, opts: ChunkerOptions, ends: number[] }
const chunks = createHistoryChunker(loadCityGeo(city), opts)
let credit = 2
let next = 0

function produce(): void {
  while (credit > 0 && next < ends.length) {
    credit -= 1
    parentPort!.postMessage(encodeChunk(chunks.next(ends[next++]!)))
  }
}

parentPort!.on('message', () => {
  credit += 1
  produce()
})
produce()
