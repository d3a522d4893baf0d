import { io, type Socket } from 'socket.io-client'
import { sessionCookie } from './bench-auth.js'

// A few dozen at a time rather than all at once, so handshakes and initial snapshots do not pile up on 2 cores.
const CONNECT_CONCURRENCY = 20

/** One client with its own connection (no multiplexing), as separate browsers would have; no reconnection. */
export function connectClient(url: string): Socket {
  const cookie = sessionCookie(url) // the bench admin's session (issue #14); none for a bare baseline server
  return io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...(cookie && { extraHeaders: { cookie } }) })
}

/** `count` connected clients; `setup` (listeners, subscriptions) runs on each once it is connected. */
export async function connectClients<S extends Socket>(count: number, make: () => S, setup: (socket: S, k: number) => Promise<void>): Promise<S[]> {
  const sockets: S[] = []
  let next = 0
  try {
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, async () => {
      while (next < count) {
        const k = next++
        const socket = make()
        sockets[k] = socket
        await connected(socket)
        await setup(socket, k)
      }
    }))
  } catch (err) {
    next = count // stop the other workers, and close what was opened: the caller never gets these sockets
    for (const s of sockets) s.disconnect()
    throw err
  }
  return sockets
}

/** Rejects rather than waits forever: a connection dropped before the namespace handshake emits neither event. */
export function connected(socket: Socket, timeoutMs = 30_000): Promise<void> {
  if (socket.connected) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      resolve()
    })
    socket.once('connect_error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}
