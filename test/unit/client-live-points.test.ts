import { describe, expect, it } from 'vitest'
import { LivePoints } from '../../client/map/live-points.js'

describe('live points: compact batches to map diffs and city-zoom aggregates', () => {
  it('adds, moves, recolours and removes by id, sending only what changed', () => {
    const lp = new LivePoints()
    const first = lp.apply({ ids: ['a', 'b'], lon: [104.06, 104.07], lat: [30.65, 30.66], severity: [1, 3] })
    expect(first.add.map(f => f.id)).toEqual(['a', 'b'])
    expect(first.add[1]!.properties).toEqual({ severity: 'critical' })
    const same = lp.apply({ ids: ['a'], lon: [104.06], lat: [30.65], severity: [1] })
    expect(same).toEqual({ add: [], update: [], remove: [] })
    const changed = lp.apply({ ids: ['a', 'b'], lon: [104.061, 104.07], lat: [30.65, 30.66], severity: [1, 2], removed: [] })
    expect(changed.update).toEqual([
      { id: 'a', newGeometry: { type: 'Point', coordinates: [104.061, 30.65] } },
      { id: 'b', addOrUpdateProperties: [{ key: 'severity', value: 'high' }] },
    ])
    expect(lp.apply({ ids: [], lon: [], lat: [], severity: [], removed: ['a', 'zz'] }).remove).toEqual(['a'])
    expect(lp.size).toBe(1)
  })

  it('keeps per-cell counts that add up to the points, across moves and removals', () => {
    const lp = new LivePoints()
    const n = 500
    const ids = Array.from({ length: n }, (_, k) => `p${k}`)
    const lon = ids.map((_, k) => 103.9 + (k % 25) * 0.01)
    const lat = ids.map((_, k) => 30.5 + Math.floor(k / 25) * 0.01)
    lp.apply({ ids, lon, lat, severity: ids.map(() => 1) })
    const total = () => lp.cellFeatures().features.reduce((s, f) => s + (f.properties!.count as number), 0)
    expect(total()).toBe(n)
    lp.apply({ ids: ids.slice(0, 100), lon: lon.slice(0, 100).map(x => x + 0.2), lat: lat.slice(0, 100), severity: ids.slice(0, 100).map(() => 1), removed: ids.slice(400) })
    expect(total()).toBe(400)
    expect(lp.cellFeatures().features.length).toBeGreaterThan(1)
  })
})
