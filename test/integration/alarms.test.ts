import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm, AlarmAck } from '../../shared/alarms.js'
import type { Ack } from '../../shared/events.js'
import { api, client, inputIn, post, nextInBatch, PUSH_WAIT_MS, type Running, startApp, subscribe, type TestClient, TEST_ADMIN } from './harness.js'

let s: Running
let clock = Date.now()
beforeAll(async () => { s = await startApp({ rules: { duplicate: { radiusM: 1, windowMinutes: 1 }, burst: { threshold: 3, windowMinutes: 30 } } }, { now: () => clock }) })
afterAll(async () => { await s.stop() })

const next = <T>(c: TestClient, event: 'alarm:raised' | 'alarm:acked', pred: (x: T) => boolean = () => true) => nextInBatch<T>(c, event, pred)

async function connected(scope: string): Promise<TestClient> {
  const c = client(s.url)
  await subscribe(c, { scope })
  return c
}

describe('alarms', () => {
  it('pushes a critical case to the city and its district, not to other districts, and re-syncs it on reconnect', async () => {
    const city = await connected('city')
    const other = await connected('district:510104')
    const heard: Alarm[] = []
    other.on('alarm:raised', as => heard.push(...as))
    const input = inputIn(s.app, '510106', { severity: 'critical', category: '0403' })
    const raised = next<Alarm>(city, 'alarm:raised', a => a.incidentId === input.id)
    await post(s.url, { events: [input] })
    const alarm = await raised
    expect(alarm).toMatchObject({ kind: 'critical', district: '510106', category: '0403', count: 1 })
    expect(heard).toEqual([])

    // a console that was away gets it from the re-sync
    city.disconnect()
    const back = await connected('city')
    const listed: Ack<Alarm[]> = await back.timeout(2000).emitWithAck('alarm:list', { scope: 'city' })
    expect(listed.ok && listed.data.map(a => a.id)).toContain(alarm.id)
    const notSubscribed: Ack<Alarm[]> = await other.timeout(2000).emitWithAck('alarm:list', { scope: 'city' })
    expect(notSubscribed).toMatchObject({ ok: false, details: [{ path: 'scope' }] })

    // acknowledged once, by whom is kept (the socket's user: an `actor` sent along is ignored), everyone hears it
    const acked = next<AlarmAck>(back, 'alarm:acked', a => a.id === alarm.id)
    const res: Ack<Alarm> = await back.timeout(2000).emitWithAck('alarm:ack', { id: alarm.id, actor: 'op-2' })
    expect(res).toMatchObject({ ok: true, data: { ackedBy: TEST_ADMIN } })
    expect(await acked).toMatchObject({ ackedBy: TEST_ADMIN })
    const again = await api(s, `/api/v1/alarms/${alarm.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ actor: 'op-3' }) })
    expect(again.status).toBe(409)
    const open = await (await api(s, `/api/v1/alarms?scope=city`)).json() as Alarm[]
    expect(open.map(a => a.id)).not.toContain(alarm.id)
    back.disconnect()
    other.disconnect()
  })

  it('raises one burst alarm when a community gets more than N reports of one category', async () => {
    const c = await connected('district:510107')
    const base = inputIn(s.app, '510107', { category: '0201' })
    const reports = [0, 1, 2, 3, 4].map(k => ({ ...inputIn(s.app, '510107', { category: '0201' }), lon: base.lon, lat: base.lat, reportedAt: new Date(clock + k * 1000).toISOString() }))
    const bursts: Alarm[] = []
    c.on('alarm:raised', as => { bursts.push(...as.filter(a => a.kind === 'burst')) })
    const first = next<Alarm>(c, 'alarm:raised', a => a.kind === 'burst')
    await post(s.url, { events: reports })
    await first
    // the alarms of one commit are pushed in one go: once the first is here, any other of this batch was sent before
    // the answer to a later round trip on the same socket (a barrier instead of a sleep)
    await c.timeout(PUSH_WAIT_MS).emitWithAck('alarm:list', { scope: 'district:510107' })
    expect(bursts).toHaveLength(1)
    expect(bursts[0]).toMatchObject({ count: 4, category: '0201', incidentId: reports[3]!.id })
    c.disconnect()
  })

  it('pushes many alarms as one batch per room, not one message each', async () => {
    const c = await connected('city')
    const pushes: Alarm[][] = []
    c.on('alarm:raised', as => pushes.push(as))
    const reports = Array.from({ length: 30 }, () => inputIn(s.app, '510104', { severity: 'critical', category: '0403' }))
    const last = next<Alarm>(c, 'alarm:raised', a => a.incidentId === reports.at(-1)!.id)
    await post(s.url, { events: reports })
    await last
    await c.timeout(PUSH_WAIT_MS).emitWithAck('alarm:list', { scope: 'city' }) // a barrier: anything else of the batch is here
    // 30 critical, and any burst the same category in one community raises, all in one push
    const ours = pushes.flat().filter(a => reports.some(r => r.id === a.incidentId))
    expect(ours.filter(a => a.kind === 'critical')).toHaveLength(30)
    expect(pushes.filter(p => p.some(a => reports.some(r => r.id === a.incidentId)))).toHaveLength(1)
    c.disconnect()
  })

  it('pushes no alarms to a subscriber that asked for none (a wall), and refuses a bad alarms naming the field', async () => {
    const console = await connected('city')
    const wall = client(s.url)
    const bad = await wall.timeout(PUSH_WAIT_MS).emitWithAck('scope:subscribe', { scope: 'city', alarms: 'no' as unknown as boolean })
    expect(bad).toMatchObject({ ok: false, error: 'invalid alarms', details: [{ path: 'alarms' }] })
    await subscribe(wall, { scope: 'city', alarms: false })
    const wallHeard: Alarm[] = []
    wall.on('alarm:raised', as => wallHeard.push(...as))
    const input = inputIn(s.app, '510105', { severity: 'critical', category: '0403' })
    const raised = next<Alarm>(console, 'alarm:raised', a => a.incidentId === input.id)
    await post(s.url, { events: [input] })
    await raised
    await wall.timeout(PUSH_WAIT_MS).emitWithAck('alarm:list', { scope: 'city' }) // a barrier on the wall's socket
    expect(wallHeard).toEqual([])
    // asking again with alarms on (the console after the wall in one page) brings the pushes back
    await subscribe(wall, { scope: 'city' })
    const again = inputIn(s.app, '510105', { severity: 'critical', category: '0403' })
    const heard = next<Alarm>(wall, 'alarm:raised', a => a.incidentId === again.id)
    await post(s.url, { events: [again] })
    expect(await heard).toMatchObject({ kind: 'critical' })
    console.disconnect()
    wall.disconnect()
  })

  it('raises a deadline breach (超期) once when a dispatched case passes its deadline', async () => {
    const c = await connected('city')
    const input = inputIn(s.app, '510108', { category: '0102' })
    await post(s.url, { events: [input] })
    const act = (action: string, version: number) => s.app.cases.act(input.id, { action, version, actor: 'op-1' })
    await act('file', 1)
    const dispatched = await act('dispatch', 2)
    expect(dispatched.ok).toBe(true)
    expect(await s.app.alarms.scanOverdue()).toBe(0)
    const overdue = next<Alarm>(c, 'alarm:raised', a => a.kind === 'overdue' && a.incidentId === input.id)
    clock += 30 * 24 * 3_600_000
    expect(await s.app.alarms.scanOverdue()).toBeGreaterThanOrEqual(1)
    expect(await overdue).toMatchObject({ district: '510108' })
    expect(await s.app.alarms.scanOverdue()).toBe(0)
    c.disconnect()
  })
})
