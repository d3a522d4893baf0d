import { describe, expect, it } from 'vitest'
import { FanOut } from '../../server/realtime/fan-out.js'

const ids = (n: number, prefix = 's') => Array.from({ length: n }, (_, k) => `${prefix}${k}`)
const turn = () => new Promise<void>(resolve => setImmediate(resolve))
const idle = async (f: FanOut) => {
  while (f.busy) await turn()
}

describe('FanOut', () => {
  it('writes the first slice at once and the rest one slice per turn of the event loop', async () => {
    const f = new FanOut(3)
    const sent: string[][] = []
    f.send(ids(8), slice => sent.push(slice))
    expect(sent).toEqual([['s0', 's1', 's2']])
    expect(f.busy).toBe(true)
    expect(f.queued).toBe(2)
    await turn()
    expect(sent).toHaveLength(2)
    await idle(f)
    expect(sent).toEqual([['s0', 's1', 's2'], ['s3', 's4', 's5'], ['s6', 's7']])
    expect(f.busy).toBe(false)
  })

  it('lets I/O and timers run between slices (an ack or a ping is not held up by a long broadcast)', async () => {
    const f = new FanOut(1)
    const order: string[] = []
    f.send(ids(4), slice => order.push(slice[0]!))
    setImmediate(() => order.push('other'))
    await idle(f)
    // the other callback ran before the last slice, not after the whole fan-out
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('s3'))
  })

  it('keeps every socket’s messages in the order they were sent', async () => {
    const f = new FanOut(2)
    const got = new Map<string, string[]>()
    for (const msg of ['a', 'b', 'c']) {
      f.send(ids(5), slice => { for (const id of slice) got.set(id, [...(got.get(id) ?? []), msg]) })
    }
    await idle(f)
    for (const id of ids(5)) expect(got.get(id)).toEqual(['a', 'b', 'c'])
  })

  it('reports a slice whose emit throws and goes on with the others', async () => {
    const errors: unknown[] = []
    const f = new FanOut(1, err => errors.push(err))
    const sent: string[] = []
    f.send(ids(3), (slice) => {
      if (slice[0] === 's1') throw new Error('socket gone')
      sent.push(slice[0]!)
    })
    await idle(f)
    expect(sent).toEqual(['s0', 's2'])
    expect(errors).toEqual([new Error('socket gone')])
  })

  it('writes what is left at once on flush, in order, and nothing twice', async () => {
    const f = new FanOut(1)
    const sent: string[] = []
    f.send(ids(4), slice => sent.push(slice[0]!))
    f.flush()
    expect(sent).toEqual(['s0', 's1', 's2', 's3'])
    expect(f.busy).toBe(false)
    await turn()
    await turn()
    expect(sent).toHaveLength(4)
  })

  it('sends nothing more once cleared, and refuses a slice size below one', async () => {
    const f = new FanOut(1)
    const sent: string[] = []
    f.send(ids(3), slice => sent.push(slice[0]!))
    f.clear()
    await turn()
    await turn()
    expect(sent).toEqual(['s0'])
    expect(() => new FanOut(0)).toThrow(/at least 1/)
  })
})
