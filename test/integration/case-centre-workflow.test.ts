import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, inputIn, post, type Running, startApp } from './harness.js'

// 自行处置, 退回, 申请延期 / 同意 / 不同意, the handled time of rework, 协办 departments and 12345 request types, over HTTP.
let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

type Body = Record<string, unknown>
async function act(id: string, body: Body) {
  const res = await api(s, `/api/v1/incidents/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'op-1', ...body }) })
  return { status: res.status, body: await res.json() as Body }
}
async function get(id: string): Promise<Body> {
  return await (await api(s, `/api/v1/incidents/${id}`)).json() as Body
}
async function trail(id: string) {
  return await (await api(s, `/api/v1/incidents/${id}/events`)).json() as { action: string, from: string, to: string, note?: string }[]
}
async function newCase(patch = {}) {
  const input = inputIn(s.app, '510104', patch)
  const res = await post(s.url, { events: [input] })
  expect(res.status).toBe(200)
  return input.id
}
/** Acts in turn, each at the version the last one left; returns the final version. */
async function steps(id: string, list: Body[], version = 1): Promise<number> {
  for (const body of list) {
    const res = await act(id, { ...body, version })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    version += 1
  }
  return version
}
const field = (body: Body) => (body.details as { path: string }[]).map(d => d.path)
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()

describe('自行处置 (self-handle)', () => {
  it('closes a grid worker\'s report at once, with the evidence in the trail and the photo on the case', async () => {
    const id = await newCase({ source: 'grid_worker', category: '0102' })
    const res = await act(id, { action: 'self-handle', version: 1, evidence: '已现场清理垃圾并消毒', photoUrl: 'https://evidence.example/p/1.jpg' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const done = await get(id)
    expect(done).toMatchObject({ status: 'closed', selfHandled: true, evidencePhoto: 'https://evidence.example/p/1.jpg' })
    expect(done.closedAt).toBeDefined()
    // no filing, dispatch or handling clock: it never reached a department
    expect(done.filedAt).toBeUndefined()
    expect(done.dispatchCount).toBeUndefined()
    expect((await trail(id))[0]).toMatchObject({ action: 'self-handle', from: 'reported', to: 'closed', note: '已现场清理垃圾并消毒' })
  })

  it('requires the evidence and names the field; a photo must be an http(s) URL', async () => {
    const id = await newCase()
    expect(field((await act(id, { action: 'self-handle', version: 1 })).body)).toEqual(['evidence'])
    const bad = await act(id, { action: 'self-handle', version: 1, evidence: '已清理', photoUrl: 'javascript:alert(1)' })
    expect(bad.status).toBe(400)
    expect(field(bad.body)).toEqual(['photoUrl'])
    expect((await get(id)).status).toBe('reported')
  })

  it('is refused (409) for hotline reports, urgent categories and cases past reporting', async () => {
    // a category no other test reports here, so that the duplicate detector leaves it alone
    const hotline = await newCase({ source: 'hotline_12345', category: '0101' })
    const res = await act(hotline, { action: 'self-handle', version: 1, evidence: '已处理' })
    expect(res.status).toBe(409)
    expect(res.body.allowed).not.toContain('self-handle')
    const gas = await newCase({ source: 'grid_worker', category: '0403' })
    expect((await act(gas, { action: 'self-handle', version: 1, evidence: '已关阀' })).status).toBe(409)
    const filed = await newCase()
    await steps(filed, [{ action: 'file' }])
    expect((await act(filed, { action: 'self-handle', version: 2, evidence: '已处理' })).body.error).toBe('cannot self-handle a case that is filed')
  })
})

describe('退回 (return) and re-dispatch', () => {
  it('hands a mis-dispatched case back to the centre with the department and deadline cleared, counting dispatches and returns', async () => {
    const id = await newCase({ category: '0102' })
    let v = await steps(id, [{ action: 'file' }, { action: 'dispatch', department: '园林绿化' }])
    expect(await get(id)).toMatchObject({ status: 'dispatched', department: '园林绿化', dispatchCount: 1 })
    const res = await act(id, { action: 'return', version: v, reason: '非本部门职责，应由环卫处置', actor: 'dept:园林绿化' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    v += 1
    const back = await get(id)
    expect(back).toMatchObject({ status: 'filed', dispatchCount: 1, returnCount: 1 })
    expect(back.department).toBeUndefined()
    expect(back.deadline).toBeUndefined()
    expect(back.dispatchedAt).toBeUndefined()
    v = await steps(id, [{ action: 'dispatch' }], v)
    const again = await get(id)
    expect(again).toMatchObject({ status: 'dispatched', department: '环卫', dispatchCount: 2, returnCount: 1 })
    expect(again.deadline).toBeDefined()
    expect((await trail(id)).map(e => `${e.action}:${e.from}>${e.to}`)).toEqual(['file:reported>filed', 'dispatch:filed>dispatched', 'return:dispatched>filed', 'dispatch:filed>dispatched'])
    expect(v).toBe(5)
  })

  it('requires a reason (400 naming it) and only returns dispatched cases (409)', async () => {
    const id = await newCase()
    await steps(id, [{ action: 'file' }])
    expect(field((await act(id, { action: 'return', version: 2 })).body)).toEqual(['reason'])
    const res = await act(id, { action: 'return', version: 2, reason: '错派' })
    expect(res.status).toBe(409)
    expect(res.body.error).toBe('cannot return a case that is filed')
  })
})

describe('申请延期 → 同意 / 不同意 (postponement requests)', () => {
  it('keeps a requested case dispatched with the request visible; approval moves it to postponed with the new deadline', async () => {
    const id = await newCase()
    let v = await steps(id, [{ action: 'file' }, { action: 'dispatch' }])
    const wanted = inHours(72)
    v = await steps(id, [{ action: 'request-postpone', reason: '需更换专用配件', deadline: wanted, actor: 'dept:环卫' }], v)
    const asked = await get(id)
    expect(asked).toMatchObject({ status: 'dispatched', postponeRequest: { deadline: wanted, reason: '需更换专用配件' } })
    // one request at a time
    expect((await act(id, { action: 'request-postpone', version: v, reason: '再次申请', deadline: inHours(96) })).status).toBe(409)
    expect(await steps(id, [{ action: 'approve-postpone' }], v)).toBe(v + 1)
    const approved = await get(id)
    expect(approved).toMatchObject({ status: 'postponed', deadline: wanted, postponedCount: 1 })
    expect(approved.postponeRequest).toBeUndefined()
    expect((await trail(id)).at(-1)).toMatchObject({ action: 'approve-postpone', from: 'dispatched', to: 'postponed' })
  })

  it('refusing needs a reason, clears the request and leaves the deadline and state alone', async () => {
    const id = await newCase()
    let v = await steps(id, [{ action: 'file' }, { action: 'dispatch' }])
    const deadline = (await get(id)).deadline
    v = await steps(id, [{ action: 'request-postpone', reason: '天气原因', deadline: inHours(48) }], v)
    expect(field((await act(id, { action: 'refuse-postpone', version: v })).body)).toEqual(['reason'])
    expect(await steps(id, [{ action: 'refuse-postpone', reason: '可当日完成，不予延期' }], v)).toBe(v + 1)
    const refused = await get(id)
    expect(refused).toMatchObject({ status: 'dispatched', deadline })
    expect(refused.postponeRequest).toBeUndefined()
    expect(refused.postponedCount).toBeUndefined()
    expect((await trail(id)).at(-1)).toMatchObject({ action: 'refuse-postpone', note: '可当日完成，不予延期' })
  })

  it('names the missing or bad field (400) and refuses answers without a request (409)', async () => {
    const id = await newCase()
    const v = await steps(id, [{ action: 'file' }, { action: 'dispatch' }])
    expect(field((await act(id, { action: 'request-postpone', version: v, deadline: inHours(48) })).body)).toEqual(['reason'])
    expect(field((await act(id, { action: 'request-postpone', version: v, reason: '等待审批' })).body)).toEqual(['deadline'])
    expect(field((await act(id, { action: 'request-postpone', version: v, reason: '等待审批', deadline: inHours(-1) })).body)).toEqual(['deadline'])
    // not a postponement: no later than the deadline it has
    const current = String((await get(id)).deadline)
    expect(field((await act(id, { action: 'request-postpone', version: v, reason: '等待审批', deadline: current })).body)).toEqual(['deadline'])
    const approve = await act(id, { action: 'approve-postpone', version: v })
    expect(approve.status).toBe(409)
    expect(approve.body.error).toBe('no postponement request is pending')
    expect((await act(id, { action: 'refuse-postpone', version: v, reason: '不同意' })).status).toBe(409)
    expect((await get(id)).version).toBe(v)
  })

  it('keeps the centre\'s direct 缓办, which answers a pending request', async () => {
    const id = await newCase()
    const v = await steps(id, [{ action: 'file' }, { action: 'dispatch' }])
    await steps(id, [{ action: 'request-postpone', reason: '等待配件', deadline: inHours(48) }, { action: 'postpone', reason: '中心统一缓办', deadline: inHours(24) }], v)
    const done = await get(id)
    expect(done).toMatchObject({ status: 'postponed', postponedCount: 1 })
    expect(done.postponeRequest).toBeUndefined()
  })
})

describe('rework and the handled time', () => {
  it('clears the handled time on a failed verification and sets it again on the next handling', async () => {
    const id = await newCase()
    let v = await steps(id, [{ action: 'file' }, { action: 'dispatch' }, { action: 'handle' }])
    const first = (await get(id)).handledAt
    expect(first).toBeDefined()
    v = await steps(id, [{ action: 'verify-fail', reason: '未整改到位' }], v)
    const rework = await get(id)
    expect(rework).toMatchObject({ status: 'dispatched', reworkCount: 1 })
    expect(rework.handledAt).toBeUndefined()
    await steps(id, [{ action: 'handle' }], v)
    expect((await get(id)).handledAt).toBeDefined()
  })
})

describe('协办 (assisting departments)', () => {
  it('defaults from the category: 燃气管道破裂 is led by 燃气公司 with 应急管理局, and the trail says so', async () => {
    const id = await newCase({ category: '0403', severity: 'critical' })
    await steps(id, [{ action: 'file' }, { action: 'dispatch' }])
    expect(await get(id)).toMatchObject({ department: '燃气公司', assistingDepartments: ['应急管理局'] })
    expect((await trail(id)).at(-1)!.note).toBe('主办 燃气公司，协办 应急管理局')
  })

  it('takes the departments a dispatch names, drops the lead from them, and clears them on a return', async () => {
    const id = await newCase({ category: '0409' })
    let v = await steps(id, [{ action: 'file' }, { action: 'dispatch', department: '公安', assisting: ['街道', '公安', '城管执法'] }])
    expect((await get(id)).assistingDepartments).toEqual(['街道', '城管执法'])
    v = await steps(id, [{ action: 'return', reason: '错派' }], v)
    expect((await get(id)).assistingDepartments).toBeUndefined()
    expect(field((await act(id, { action: 'file', version: v, assisting: ['街道'] })).body)).toEqual(['assisting'])
  })
})

describe('12345 request types', () => {
  it('stores the type of a hotline report', async () => {
    const id = await newCase({ source: 'hotline_12345', requestType: 'complain' })
    expect((await get(id)).requestType).toBe('complain')
  })

  it('refuses a type on another channel, or an unknown type, naming the field', async () => {
    for (const patch of [{ source: 'grid_worker', requestType: 'complain' }, { source: 'hotline_12345', requestType: 'praise' }]) {
      const input = inputIn(s.app, '510104', patch as never)
      // a batch is judged event by event (docs/API.md): 200 with this event rejected, its error naming the field
      const res = await post(s.url, { events: [input] })
      const results = res.body.results as { status: string, error?: string }[]
      expect(results[0]!.status).toBe('rejected')
      expect(results[0]!.error).toMatch(/^requestType: /)
      expect((await api(s, `/api/v1/incidents/${input.id}`)).status).toBe(404)
    }
  })
})
