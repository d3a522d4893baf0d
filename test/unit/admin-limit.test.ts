import { EventEmitter } from 'node:events'
import type { Request, Response } from 'express'
import { describe, expect, it } from 'vitest'
import { adminOpLimit } from '../../server/http/admin-limit.js'

/** Just enough of a response for the limiter: its status, Retry-After, and the `close` event at the end of a run. */
function fakeResponse() {
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    headers: {} as Record<string, string>,
    setHeader(name: string, value: string) { res.headers[name.toLowerCase()] = value },
    status(code: number) { res.statusCode = code; return res },
    json() { return res },
  })
  return res
}

describe('adminOpLimit', () => {
  const req = { path: '/greenway/reload' } as Request

  function call(limit: ReturnType<typeof adminOpLimit>) {
    const res = fakeResponse()
    let ran = false
    limit(req, res as unknown as Response, () => { ran = true })
    return { res, ran }
  }

  it('runs one at a time, spaced 60 s / perMinute from the start', () => {
    let t = 0
    const limit = adminOpLimit(6, () => t)
    const first = call(limit)
    expect(first.ran).toBe(true)
    expect(call(limit).res.statusCode).toBe(429) // while the first runs
    t = 1000
    first.res.emit('close')
    const early = call(limit)
    expect(early.ran).toBe(false)
    expect(early.res.headers['retry-after']).toBe('10') // 1 s + the spacing: counted from the end too
    t = 11_000
    expect(call(limit).ran).toBe(true)
  })

  it('counts the spacing from the end of a run that took longer than the spacing (requests queued behind it wait)', () => {
    let t = 0
    const limit = adminOpLimit(6, () => t)
    const first = call(limit)
    t = 15_000 // the synchronous run held the loop past the 10 s spacing
    first.res.emit('close')
    const queued = call(limit)
    expect(queued.ran).toBe(false)
    expect(queued.res.statusCode).toBe(429)
    expect(Number(queued.res.headers['retry-after'])).toBe(10)
    t = 25_000
    expect(call(limit).ran).toBe(true)
  })
})
