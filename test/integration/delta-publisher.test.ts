import { describe, expect, it } from 'vitest'
import { LiveAggregates } from '../../server/live-counts/live-aggregates.js'
import { createLogger } from '../../server/log.js'
import { DEFAULT_PUBLISHER_OPTIONS, DeltaPublisher } from '../../server/realtime/delta-publisher.js'
import { ScopeFeed } from '../../server/realtime/scope-feed.js'
import type { IoServer } from '../../server/realtime/types.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { scopeRoom } from '../../shared/scope.js'
import type { PackedSummaries } from '../../shared/live-wire.js'
import { makeInput } from '../fixtures/incidents.js'

// A stand-in for Socket.IO exposing just what the publisher reads, so a socket's buffered bytes can be set at will.
// what the fake sockets got, as sent: incident lists packed as columns (shared/live-wire.ts)
type Got = [string, { fromSeq?: number, toSeq?: number, seq?: number, incidents?: PackedSummaries, omitted?: number }]
interface FakeSocket { id: string, data: { scopes: Map<string, unknown> }, conn: { transport: { socket: { bufferedAmount: number } } }, got: Got[], emit: (e: string, p: Got[1]) => void }

function fakeIo() {
  const sockets = new Map<string, FakeSocket>()
  const rooms = new Map<string, Set<string>>()
  const io = {
    sockets: { adapter: { rooms }, sockets },
    // the publisher writes to slices of its room's sockets by id (server/realtime/fan-out.ts)
    to: (ids: string[]) => ({
      emit: (event: string, payload: Got[1]) => {
        for (const id of ids) sockets.get(id)!.got.push([event, payload])
      },
    }),
  }
  const add = (id: string, scope: 'city', keep?: number) => {
    const s: FakeSocket = {
      id,
      data: { scopes: new Map([[scope, { lastSeq: 0, lagging: false, catchingUp: false, ...(keep !== undefined && { keep }) }]]) },
      conn: { transport: { socket: { bufferedAmount: 0 } } },
      got: [],
      emit(e, p) { this.got.push([e, p]) },
    }
    sockets.set(id, s)
    if (!rooms.has(scopeRoom(scope))) rooms.set(scopeRoom(scope), new Set())
    rooms.get(scopeRoom(scope))!.add(id)
    return s
  }
  return { io: io as unknown as IoServer, add }
}

const LOC = { cell: 'c', community: '510104001001', street: '510104001', district: '510104' }

async function setup(maxCatchUp = DEFAULT_PUBLISHER_OPTIONS.maxCatchUp, maxPendingPerScope = DEFAULT_PUBLISHER_OPTIONS.maxPendingPerScope, fanOutSlice = DEFAULT_PUBLISHER_OPTIONS.fanOutSlice) {
  const repo = createSqliteRepository({ dataDir: ':memory:' })
  const aggregates = new LiveAggregates(480)
  const feed = new ScopeFeed(repo, aggregates)
  const { io, add } = fakeIo()
  const publisher = new DeltaPublisher(io, feed, aggregates, createLogger('silent'), { ...DEFAULT_PUBLISHER_OPTIONS, maxCatchUp, maxPendingPerScope, fanOutSlice })
  publisher.ensureRoom('city')
  const store = async (n: number) => {
    const { stored } = await repo.insertIncidents(Array.from({ length: n }, () => ({ input: makeInput(), location: LOC })), 'now')
    for (const i of stored) aggregates.add(i)
    publisher.onStored(stored)
    return stored
  }
  return { publisher, add, store }
}

const settle = () => new Promise(r => setTimeout(r, 20))

describe('DeltaPublisher backpressure', () => {
  it('batches changes into one contiguous delta per tick and skips a socket whose buffer is full', async () => {
    const { publisher, add, store } = await setup()
    const fast = add('fast', 'city')
    const slow = add('slow', 'city')
    slow.conn.transport.socket.bufferedAmount = 2 << 20
    await store(3)
    publisher.tick()
    expect(fast.got).toHaveLength(1)
    expect(fast.got[0]![1]).toMatchObject({ fromSeq: 1, toSeq: 3 })
    expect(fast.got[0]![1].incidents!.n).toBe(3)
    expect(slow.got).toHaveLength(0)

    await store(2)
    publisher.tick()
    expect(fast.got[1]![1]).toMatchObject({ fromSeq: 4, toSeq: 5 })
    expect(slow.got).toHaveLength(0)

    slow.conn.transport.socket.bufferedAmount = 0 // drained
    publisher.tick()
    await settle()
    expect(slow.got).toHaveLength(1)
    const [event, catchUp] = slow.got[0]!
    expect(event).toBe('scope:delta')
    expect(catchUp).toMatchObject({ fromSeq: 1, toSeq: 5 })
    expect(catchUp.incidents!.n).toBe(5)

    await store(1)
    publisher.tick()
    expect(slow.got[1]![1]).toMatchObject({ fromSeq: 6, toSeq: 6 })
  })

  it('sends a snapshot to a drained socket that is too far behind', async () => {
    const { publisher, add, store } = await setup(2)
    const slow = add('slow', 'city')
    slow.conn.transport.socket.bufferedAmount = 2 << 20
    await store(5)
    publisher.tick()
    slow.conn.transport.socket.bufferedAmount = 0
    publisher.tick()
    await settle()
    expect(slow.got.map(g => g[0])).toEqual(['scope:snapshot'])
    expect(slow.got[0]![1].seq).toBe(5)
  })

  it('writes a delta to a room a slice of sockets per turn; the next tick writes what is left first, then its own', async () => {
    const { publisher, add, store } = await setup(DEFAULT_PUBLISHER_OPTIONS.maxCatchUp, DEFAULT_PUBLISHER_OPTIONS.maxPendingPerScope, 1)
    const walls = ['w0', 'w1', 'w2'].map(id => add(id, 'city'))
    await store(2)
    publisher.tick()
    expect(walls.map(w => w.got.length)).toEqual([1, 0, 0]) // the first slice at once, the others on later turns
    expect(publisher.stats().fanOutQueued).toBe(2)
    await store(1)
    publisher.tick() // the rest of the first delta goes out now, then the second's first slice
    expect(walls.map(w => w.got.length)).toEqual([2, 1, 1])
    await settle()
    for (const w of walls) {
      expect(w.got.map(g => [g[1].fromSeq, g[1].toSeq])).toEqual([[1, 2], [3, 3]]) // every wall, in order, no gap
    }
  })

  it('sends nothing when nothing changed and forgets rooms without members', async () => {
    const { publisher, add } = await setup()
    const s = add('a', 'city')
    publisher.tick()
    expect(s.got).toHaveLength(0)
  })

  it('on overflow, never claims a range it cannot carry: the delta starts after the dropped changes', async () => {
    const { publisher, add, store } = await setup(DEFAULT_PUBLISHER_OPTIONS.maxCatchUp, 4)
    const s = add('a', 'city')
    await store(2)
    publisher.tick()
    expect(s.got[0]![1]).toMatchObject({ fromSeq: 1, toSeq: 2 })
    await store(10) // seqs 3..12: 3..8 overflow the cap of 4
    publisher.tick()
    const gap = s.got[1]![1]
    expect(gap).toMatchObject({ fromSeq: 9, toSeq: 12 })
    expect(gap.incidents!.n).toBe(4)
    expect(publisher.stats()).toMatchObject({ gapDeltas: 1, pendingByScope: { city: 0 } })
    await store(1)
    publisher.tick()
    expect(s.got[2]![1]).toMatchObject({ fromSeq: 13, toSeq: 13 }) // continuous again
  })

  it('sends a keeping subscriber (a wall) the newest changes of the same range, and no gap on overflow', async () => {
    const { publisher, add, store } = await setup(DEFAULT_PUBLISHER_OPTIONS.maxCatchUp, 4)
    const console = add('console', 'city')
    const wall = add('wall', 'city', 3)
    await store(2)
    publisher.tick()
    expect(wall.got[0]![1]).toMatchObject({ fromSeq: 1, toSeq: 2 })
    expect(wall.got[0]![1].omitted).toBeUndefined() // fewer than it keeps: the console's delta itself
    expect(wall.got[0]![1]).toBe(console.got[0]![1])
    await store(10) // seqs 3..12: 3..8 overflow the cap of 4
    publisher.tick()
    expect(console.got[1]![1]).toMatchObject({ fromSeq: 9, toSeq: 12 }) // a gap: the console must resync
    const w = wall.got[1]![1]
    expect(w).toMatchObject({ fromSeq: 3, toSeq: 12, omitted: 7 }) // continuous: 6 dropped and 1 trimmed, all older
    expect(w.incidents!.n).toBe(3)
    expect(w.incidents!.cols.seq).toEqual([10, 11, 12])
  })

  it('lets subscribers resyncing from the same seq share one read of the store', async () => {
    const repo = createSqliteRepository({ dataDir: ':memory:' })
    const feed = new ScopeFeed(repo, new LiveAggregates(480))
    const { stored } = await repo.insertIncidents(Array.from({ length: 3 }, () => ({ input: makeInput(), location: LOC })), 'now')
    feed.appliedSeq = stored.at(-1)!.seq
    let reads = 0
    const changedSince = repo.changedSince
    repo.changedSince = (...args) => {
      reads++
      return changedSince(...args)
    }
    const [a, b] = await Promise.all([feed.changesAfter('city', 1, 100), feed.changesAfter('city', 1, 100)])
    expect(a).toBe(b)
    expect(a.incidents).toHaveLength(2)
    expect(reads).toBe(1)
    feed.appliedSeq += 1 // something new was applied: the next catch-up reads again
    await feed.changesAfter('city', 1, 100)
    expect(reads).toBe(2)
    await repo.close()
  })
})
