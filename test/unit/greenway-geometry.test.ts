import { length as turfLength, lineString, point, pointToLineDistance } from '@turf/turf'
import { describe, expect, it } from 'vitest'
import { edgeM, GridIndex, lengthByPlace, lineKm, metresPerDegree, pointSegmentM } from '../../shared/greenway/geometry.js'
import { mulberry32 } from '../../shared/random.js'

describe('ellipsoidal small-distance geometry', () => {
  it('measures a degree at Chengdu as DOMAIN.md says (95.9 km east–west, 110.9 km north–south)', () => {
    const { kx, ky } = metresPerDegree(30.6)
    expect(kx / 1000).toBeCloseTo(95.9, 1)
    expect(ky / 1000).toBeCloseTo(110.86, 1)
  })

  it('agrees with turf (spherical) within its ±0.3 % error for point-to-segment distances and lengths', () => {
    const rng = mulberry32(7)
    for (let k = 0; k < 200; k++) {
      const a: [number, number] = [104 + rng() * 0.1, 30.6 + rng() * 0.1]
      const b: [number, number] = [a[0] + (rng() - 0.5) * 0.02, a[1] + (rng() - 0.5) * 0.02]
      const p: [number, number] = [a[0] + (rng() - 0.5) * 0.03, a[1] + (rng() - 0.5) * 0.03]
      const { kx, ky } = metresPerDegree(p[1])
      const ours = pointSegmentM(p[0], p[1], a[0], a[1], b[0], b[1], kx, ky)
      const theirs = pointToLineDistance(point(p), lineString([a, b]), { units: 'meters' })
      expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(0.004 * theirs + 0.5)
    }
    const line = [[104, 30.6], [104.05, 30.62], [104.1, 30.61]]
    expect(lineKm(line)).toBeCloseTo(turfLength(lineString(line)), 1)
    expect(edgeM(104, 30.6, 104, 30.6)).toBe(0)
  })

  it('clamps to the segment ends', () => {
    const { kx, ky } = metresPerDegree(30)
    // 1 km beyond the east end of a 1 km east–west segment
    expect(pointSegmentM(104 + 2000 / kx, 30, 104, 30, 104 + 1000 / kx, 30, kx, ky)).toBeCloseTo(1000, 6)
  })

  it('splits a line\'s length among places, summing to its length', () => {
    const line = [[104, 30.6], [104.02, 30.6]]
    const byPlace = lengthByPlace(line, lon => (lon < 104.01 ? 'west' : 'east'), 50)
    expect(byPlace.get('west')! + byPlace.get('east')!).toBeCloseTo(lineKm(line), 9)
    expect(byPlace.get('west')!).toBeCloseTo(lineKm(line) / 2, 1)
    expect(lengthByPlace(line, () => null).size).toBe(0)
  })
})

describe('GridIndex', () => {
  it('finds every edge within the radius of a point (against brute force), long edges included', () => {
    const rng = mulberry32(11)
    const grid = new GridIndex(1000, 31)
    const edges = Array.from({ length: 300 }, () => {
      const ax = 104 + rng() * 0.3
      const ay = 30.5 + rng() * 0.3
      const long = rng() < 0.1 ? 0.1 : 0.01 // some edges ~10 km long
      return [ax, ay, ax + (rng() - 0.5) * long, ay + (rng() - 0.5) * long] as const
    })
    edges.forEach(([ax, ay, bx, by], k) => grid.add(k, Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)))
    for (let q = 0; q < 300; q++) {
      const px = 104 + rng() * 0.3
      const py = 30.5 + rng() * 0.3
      const { kx, ky } = metresPerDegree(py)
      const near = new Set<number>()
      grid.near(px, py, px, py, ids => ids.forEach(id => near.add(id)))
      edges.forEach(([ax, ay, bx, by], k) => {
        if (pointSegmentM(px, py, ax, ay, bx, by, kx, ky) <= 1000) expect(near.has(k)).toBe(true)
      })
    }
    grid.remove(0, Math.min(edges[0]![0], edges[0]![2]), Math.min(edges[0]![1], edges[0]![3]), Math.max(edges[0]![0], edges[0]![2]), Math.max(edges[0]![1], edges[0]![3]))
    const left = new Set<number>()
    grid.near(edges[0]![0], edges[0]![1], edges[0]![0], edges[0]![1], ids => ids.forEach(id => left.add(id)))
    expect(left.has(0)).toBe(false)
  })
})
