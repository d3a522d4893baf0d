import { describe, expect, it } from 'vitest'
import { LivePoints } from '../../client/map/live-points.js'

describe('live points: compact batches to map diffs and city-zoom aggregates', () => {
  it('adds, moves, recolours and removes by id, sending only what changed', () => {
    const lp = new LivePoints()
    lp.apply({ ids: ['a', 'b'], lon: [104.06, 104.07], lat: [30.65, 30.66], severity: [1, 3] })
    const first = lp.takeDiff()
    expect(first.add.map(f => f.id)).toEqual(['a', 'b'])
    expect(first.add[1]!.properties).toEqual({ severity: 'critical' })
    lp.apply({ ids: ['a'], lon: [104.06], lat: [30.65], severity: [1] })
    expect(lp.takeDiff()).toEqual({ add: [], update: [], remove: [] })
    lp.apply({ ids: ['a', 'b'], lon: [104.061, 104.07], lat: [30.65, 30.66], severity: [1, 2], removed: [] })
    expect(lp.takeDiff().update).toEqual([
      { id: 'a', newGeometry: { type: 'Point', coordinates: [104.061, 30.65] }, addOrUpdateProperties: [{ key: 'severity', value: 'normal' }] },
      { id: 'b', newGeometry: { type: 'Point', coordinates: [104.07, 30.66] }, addOrUpdateProperties: [{ key: 'severity', value: 'high' }] },
    ])
    lp.apply({ ids: [], lon: [], lat: [], severity: [], removed: ['a', 'zz'] })
    expect(lp.takeDiff().remove).toEqual(['a'])
    expect(lp.size).toBe(1)
  })

  it('folds several batches between two draws into one change per id, with the latest state', () => {
    const lp = new LivePoints()
    lp.apply({ ids: ['kept', 'gone'], lon: [104, 104.1], lat: [30.6, 30.7], severity: [1, 1] })
    lp.takeDiff()
    lp.apply({ ids: ['new', 'kept'], lon: [104.2, 104.01], lat: [30.6, 30.61], severity: [0, 2] })
    lp.apply({ ids: ['new', 'kept'], lon: [104.25, 104.02], lat: [30.6, 30.62], severity: [3, 2], removed: ['gone'] })
    lp.apply({ ids: ['brief'], lon: [104.3], lat: [30.6], severity: [1] })
    lp.apply({ ids: ['gone'], lon: [104.11], lat: [30.71], severity: [1], removed: ['brief'] })
    expect(lp.pendingCount).toBe(3)
    const diff = lp.takeDiff()
    // added then moved: one add at the last position; added then removed: nothing; removed then back: an update
    expect(diff.add).toEqual([{ type: 'Feature', id: 'new', properties: { severity: 'critical' }, geometry: { type: 'Point', coordinates: [104.25, 30.6] } }])
    expect(diff.update.map(u => [u.id, u.newGeometry?.coordinates])).toEqual([['kept', [104.02, 30.62]], ['gone', [104.11, 30.71]]])
    expect(diff.remove).toEqual([])
    expect(lp.pendingCount).toBe(0)
  })

  it('drops pending changes when the source is reloaded whole', () => {
    const lp = new LivePoints()
    lp.apply({ ids: ['a'], lon: [104], lat: [30.6], severity: [1] })
    const v = lp.cellsVersion
    lp.dropPending()
    expect(lp.takeDiff()).toEqual({ add: [], update: [], remove: [] })
    expect(lp.allFeatures().features.map(f => f.id)).toEqual(['a'])
    lp.apply({ ids: ['a'], lon: [104.3], lat: [30.6], severity: [1] })
    expect(lp.cellsVersion).toBeGreaterThan(v)
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
