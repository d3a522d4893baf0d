import type { Server, ServerResponse } from 'node:http'

/**
 * Closing an HTTP server waits for every connection to end, and a client that keeps sending on a kept-alive connection
 * (an ingest gateway, a load balancer's pool) held the shutdown open for as long as it sent. Once closing, every
 * answer — those in hand included — says `Connection: close`: the request is answered (an ingest acknowledgement still
 * means stored) and its connection then ends; idle connections close at once; whatever is left after `graceMs` is cut.
 */
export function drainOnClose(server: Server, graceMs: number): { begin: () => () => void } {
  let closing = false
  const open = new Set<ServerResponse>()
  const keepAliveOff = (res: ServerResponse) => { if (!res.headersSent) res.setHeader('Connection', 'close') }
  // before the app's own listener: the header is set before any route answers
  server.prependListener('request', (_req, res) => {
    if (closing) return keepAliveOff(res)
    open.add(res)
    res.once('close', () => open.delete(res))
  })
  return {
    /** Starts draining; returns what cancels the cut once the server has closed. */
    begin() {
      closing = true
      for (const res of open) keepAliveOff(res)
      open.clear()
      server.closeIdleConnections()
      const cut = setTimeout(() => server.closeAllConnections(), graceMs)
      cut.unref()
      return () => clearTimeout(cut)
    },
  }
}
