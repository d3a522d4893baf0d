import type { RequestHandler } from 'express'
import type { SharedAnswers } from '../load/shared-answers.js'

/**
 * The analytics reads whose answers identical requests share (server/load/shared-answers.ts). Only aggregates: none
 * carries personal data (a test checks each against the access table), so one caller's answer fits another who may
 * ask the same URL — the scope is in the URL once `authorize` has narrowed it.
 */
export const SHARED_ANSWER_PATHS = ['/api/v1/analysis/summary', '/api/v1/kpis', '/api/v1/league'] as const

const SHARED: ReadonlySet<string> = new Set(SHARED_ANSWER_PATHS)

/**
 * Mounted after `authorize` (the URL then names the scope the answer is for) and before analytics shedding, so a
 * shared answer costs no computation and is not refused: shedding is for work, and this is none.
 */
export function shareAnswers(answers: SharedAnswers, maxAgeMs: number): RequestHandler {
  // a browser may keep an answer as long as the server would share it (whole seconds): its repeat asks cost nothing
  const cacheControl = maxAgeMs >= 1000 ? `private, max-age=${Math.floor(maxAgeMs / 1000)}` : 'no-cache'
  return (req, res, next) => {
    if (!answers.enabled || req.method !== 'GET' || !SHARED.has(req.path)) return next()
    const key = req.url
    answers.join(key).then(got => {
      if (got.kind === 'shared') {
        // the stored ETag spares hashing the body per response (express answers 304 to a matching If-None-Match)
        res.set('Age', String(Math.floor((Date.now() - got.answer.startedAt) / 1000))).set('ETag', got.answer.etag).set('Cache-Control', cacheControl)
        res.type('application/json').send(got.answer.body)
        return
      }
      const json = res.json.bind(res)
      res.json = body => {
        if (res.statusCode !== 200) {
          got.settle(null)
          return json(body)
        }
        const buf = Buffer.from(JSON.stringify(body))
        got.settle(buf)
        return res.type('application/json').set('Cache-Control', cacheControl).send(buf)
      }
      // an answer that never came (an error, a closed connection) is not waited for
      res.once('close', () => got.settle(null))
      next()
    }).catch(next)
  }
}
