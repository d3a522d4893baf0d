import type { ErrorRequestHandler, RequestHandler, Response } from 'express'
import type { ApiError, ErrorDetail } from '../../shared/schemas/errors.js'
import type { Logger } from '../log.js'

export function sendError(res: Response, status: number, error: string, details?: ErrorDetail[]): void {
  const body: ApiError = details ? { error, details } : { error }
  res.status(status).json(body)
}

export const notFoundApi: RequestHandler = (req, res) => {
  sendError(res, 404, `no such endpoint: ${req.method} ${req.path}`)
}

/** The last handler: what nothing answered gets a JSON 404 (never Express's HTML page echoing the path). */
export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, `not found: ${req.method} ${req.path}`)
}

/** Body-parser failures become 400/413 JSON naming the problem; anything else is a logged 500 — never a crash. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: { type?: string, status?: number, message?: string, retryAfterS?: number }, req, res, next) => {
    if (res.headersSent) {
      next(err)
      return
    }
    if (err.type === 'entity.too.large') return sendError(res, 413, 'request body too large', [{ path: '(body)', message: err.message ?? 'too large' }])
    if (err.type === 'entity.parse.failed') return sendError(res, 400, 'malformed JSON', [{ path: '(body)', message: err.message ?? 'parse error' }])
    if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') return sendError(res, 415, err.message ?? 'unsupported', [{ path: '(headers).content-type', message: err.message ?? 'unsupported charset or encoding' }])
    if (err.status !== undefined && err.status >= 400 && err.status < 500) return sendError(res, err.status, err.message ?? 'bad request', [{ path: '(body)', message: err.message ?? 'bad request' }])
    // overload said plainly (e.g. the read pool's queue is full): the client retries, nothing is logged as a failure
    if (err.status === 503) {
      res.set('Retry-After', String(err.retryAfterS ?? 1))
      return sendError(res, 503, err.message ?? 'busy')
    }
    log.error('request failed', { method: req.method, path: req.path, error: String(err), stack: (err as Error).stack })
    sendError(res, 500, 'internal error')
  }
}
