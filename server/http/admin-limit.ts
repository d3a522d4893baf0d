import type { RequestHandler } from 'express'
import { sendError } from './errors.js'

/**
 * Expensive admin operations (reloading the greenway network or the calendar files: each a synchronous rebuild that
 * holds the event loop) are spaced: one every `60 s / perMinute` per operation, one at a time; others get 429 with
 * Retry-After. Three concurrent reloads otherwise stall /health and every socket for the sum of their runs (issue #14).
 * The spacing counts from the end of a run as well as its start: a run longer than the spacing (a busy machine) would
 * otherwise let the requests that queued behind it through at once, back to back.
 */
export function adminOpLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  const spacingMs = 60_000 / perMinute
  let nextAt = 0
  let running = false
  return (req, res, next) => {
    const t = now()
    if (running || t < nextAt) {
      const waitS = Math.max(1, Math.ceil((nextAt - t) / 1000))
      res.setHeader('Retry-After', String(waitS))
      return sendError(res, 429, `${req.path}: at most ${perMinute} a minute, one at a time; retry in ${waitS} s`)
    }
    running = true
    nextAt = t + spacingMs
    res.once('close', () => {
      running = false
      nextAt = Math.max(nextAt, now() + spacingMs)
    })
    next()
  }
}
