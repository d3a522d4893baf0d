import { statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { type Request, type Response, Router } from 'express'
import type { Logger } from '../log.js'
import { sendError } from './errors.js'

/** Where the browser reads the city's PMTiles archive (with HTTP range requests), relative to /api/v1. */
export const BASEMAP_ARCHIVE_PATH = '/basemap/tiles.pmtiles'

/**
 * A strong validator from size and modification time (as nginx does): PMTiles clients compare the ETag of every range
 * they read and start over when the archive was replaced meanwhile; they ignore weak (W/) ETags, express's default.
 */
const strongEtag = (size: number, mtimeMs: number) => `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`

/**
 * Serves BASEMAP_PMTILES. Range handling is `send`'s (through res.sendFile): one range → 206 with Content-Range,
 * an unsatisfiable one → 416 with `Content-Range: bytes *\/size`, several → the whole file (allowed by RFC 9110).
 * If-Range is checked here with the strong comparison RFC 9110 asks for (send only looks for a substring).
 * `archive` null (unset, or the file is missing at start): 404 and `url` null, so the client keeps its offline style.
 */
export function basemapRouter(archive: string | null, log: Logger): { router: Router, url: string | null } {
  const router = Router()
  const file = archive ? path.resolve(archive) : null
  let usable = false
  if (file) {
    try {
      usable = statSync(file).isFile()
      if (!usable) log.error('BASEMAP_PMTILES is not a file; the map keeps its offline style', { file })
    } catch (err) {
      log.error('BASEMAP_PMTILES cannot be read; the map keeps its offline style', { file, error: String(err) })
    }
  }

  async function serve(req: Request, res: Response): Promise<void> {
    if (!file || !usable) return sendError(res, 404, 'no base map archive configured (BASEMAP_PMTILES)')
    const s = await stat(file).catch(() => null)
    if (!s?.isFile()) return sendError(res, 404, 'base map archive missing', [{ path: 'BASEMAP_PMTILES', message: `${path.basename(file)} is gone` }])
    const etag = strongEtag(s.size, s.mtimeMs)
    const ifRange = req.get('if-range')
    // an If-Range that is an entity tag must match exactly (no weak tags): else the whole, current file is sent
    if (ifRange?.includes('"') && ifRange !== etag) delete req.headers.range
    res.setHeader('ETag', etag)
    await new Promise<void>((resolve) => {
      res.sendFile(file, { dotfiles: 'allow', headers: { 'Content-Type': 'application/octet-stream' } }, (err: (Error & { status?: number }) | undefined) => {
        resolve()
        if (!err || res.headersSent) return
        if (err.status === 416) return sendError(res, 416, 'range not satisfiable', [{ path: 'range', message: `the archive has ${s.size} bytes` }])
        sendError(res, err.status === 404 ? 404 : 500, err.status === 404 ? 'base map archive missing' : 'base map archive unreadable')
      })
    })
  }

  router.get(BASEMAP_ARCHIVE_PATH, serve) // express answers HEAD with the GET route, without a body
  return { router, url: file && usable ? `/api/v1${BASEMAP_ARCHIVE_PATH}` : null }
}
