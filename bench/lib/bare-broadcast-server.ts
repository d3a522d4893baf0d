/**
 * Baseline for bench/action-latency.ts, run as its own process (`node --import tsx`): a bare Socket.IO server, no
 * app, that broadcasts a given payload to every other socket when told to. Same server options as the real one.
 * Logs the same "listening" line as server/index.ts so bench/lib/server-process.ts can start it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import type { BareMessages, BareRequests } from './bare-events.js'

const http = createServer()
const io = new Server<BareRequests, BareMessages>(http, { serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 })

// A real delta captured by the bench, so size and shape (hence parse cost at the clients) are the same.
let payload: object = {}

io.on('connection', (socket) => {
  socket.on('bare:payload', (p, ack) => {
    payload = p
    ack()
  })
  // One broadcast, serialised once for all receivers, like the real publisher's room emit.
  socket.on('bare:broadcast', (sample) => {
    socket.broadcast.emit('bare:message', { ...payload, sample })
  })
})

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo
  process.stderr.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` })}\n`)
})
