import { existsSync } from 'node:fs'
import path from 'node:path'
import express, { type Express } from 'express'

/** Paths that name the API or the socket however they are spelled: leading slashes doubled, any case. */
export const API_LIKE = /^\/+(?:api|socket\.io)(?:\/|$)/i

/** Serves the built client with an SPA fallback, so /wall, /ops and /analysis deep links load index.html. */
export function serveClient(app: Express, dir: string): boolean {
  const root = path.resolve(dir)
  const index = path.join(root, 'index.html')
  if (!existsSync(index)) return false
  app.use(express.static(root, { index: false, maxAge: '1h', setHeaders: (res, file) => {
    if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable')
  } }))
  app.get('/{*path}', (req, res, next) => {
    // `//api/v1/kpis`, `/api`, `/API/…`: never the page with 200 (issue #14); they end in the JSON 404
    if (API_LIKE.test(req.path)) return next()
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(index)
  })
  return true
}
