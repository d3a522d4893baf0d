import { gzipSync } from 'node:zlib'
import type { Request, Response } from 'express'

/**
 * Large, rarely changing JSON (the greenway network, facilities, coverage outlines: 0.2–0.9 MB) serialised and
 * gzipped once per data version instead of per request. One entry per slot; a new key replaces it.
 */
export function createJsonCache() {
  const entries = new Map<string, { key: string, raw: Buffer, gz: Buffer | null }>()
  return async function send(req: Request, res: Response, slot: string, key: () => string, build: () => unknown): Promise<void> {
    let e = entries.get(slot)
    const k = key()
    if (!e || e.key !== k) {
      const body = await build()
      // the data may have moved on while an async build yielded: file it under the key it was built for
      e = { key: k, raw: Buffer.from(JSON.stringify(body)), gz: null }
      entries.set(slot, e)
    }
    res.type('application/json')
    res.vary('Accept-Encoding')
    res.set('Cache-Control', 'no-cache')
    if (e.raw.length > 1024 && req.acceptsEncodings('gzip') === 'gzip') {
      e.gz ??= gzipSync(e.raw, { level: 6 })
      res.set('Content-Encoding', 'gzip')
      res.send(e.gz)
    } else {
      res.send(e.raw)
    }
  }
}
