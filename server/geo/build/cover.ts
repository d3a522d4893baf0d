import { booleanPointInPolygon, multiPolygon } from '@turf/turf'
import { cellToLatLng, getResolution, gridDisk, latLngToCell, POLYGON_TO_CELLS_FLAGS, polygonToCells, polygonToCellsExperimental } from 'h3-js'
import type { CityConfig } from './city-config.js'
import { components } from './components.js'
import type { DistrictShape } from './polygons.js'

export interface Cover {
  /** cell → district code */
  district: Map<string, string>
  resolution: Map<string, number>
  /** Cells moved from a small exclave to the adjacent district, for the build report. */
  movedExclaveCells: number
}

/** Dense districts get a finer grid so that every community can have several cells. */
export function chooseResolution(shape: DistrictShape, communities: number, config: CityConfig): number {
  const coarse = shape.polygons.reduce((n, p) => n + polygonToCells(p, config.defaultCellRes, true).length, 0)
  return coarse < communities * config.minCellsPerCommunity ? config.denseCellRes : config.defaultCellRes
}

/**
 * Covers each district with H3 cells, overlapping containment so every point inside a district polygon falls in a
 * cell. A cell two districts (of one resolution) both touch goes to the one containing its centre. Small exclaves
 * that could not hold a street of their own join the adjacent district, so every street can be contiguous.
 */
export function coverDistricts(shapes: DistrictShape[], communitiesPer: Map<string, number>, config: CityConfig): Cover {
  const resolution = new Map(shapes.map(s => [s.code, chooseResolution(s, communitiesPer.get(s.code) ?? 0, config)]))
  const claims = new Map<string, string[]>()
  for (const s of shapes) {
    const res = resolution.get(s.code)!
    for (const p of s.polygons) {
      for (const c of polygonToCellsExperimental(p, res, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true)) {
        const list = claims.get(c) ?? []
        if (!list.includes(s.code)) list.push(s.code)
        claims.set(c, list)
      }
    }
  }
  const geometry = new Map(shapes.map(s => [s.code, multiPolygon(s.polygons)]))
  const district = new Map<string, string>()
  for (const [cell, claimants] of [...claims].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (claimants.length === 1) {
      district.set(cell, claimants[0]!)
      continue
    }
    const [lat, lon] = cellToLatLng(cell)
    const sorted = [...claimants].sort()
    district.set(cell, sorted.find(code => booleanPointInPolygon([lon, lat], geometry.get(code)!)) ?? sorted[0]!)
  }
  return { district, resolution, movedExclaveCells: absorbExclaves(district, shapes.map(s => s.code), [...new Set(resolution.values())]) }
}

/** Districts voted for by the same-resolution neighbours of a piece's cells, most votes first. */
function neighbourVotes(part: string[], own: string, district: Map<string, string>): string[] {
  const votes = new Map<string, number>()
  for (const c of part) {
    for (const n of gridDisk(c, 1)) {
      const other = district.get(n)
      if (other && other !== own) votes.set(other, (votes.get(other) ?? 0) + 1)
    }
  }
  return [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code]) => code)
}

function absorbExclaves(district: Map<string, string>, codes: string[], resolutions: number[]): number {
  let moved = 0
  for (const code of codes) {
    const cells = [...district].filter(([, d]) => d === code).map(([c]) => c)
    const [, ...minor] = components(cells)
    for (const part of minor) {
      if (part.length >= cells.length * 0.1) continue
      const target = neighbourVotes(part, code, district)[0]
      if (target) {
        for (const c of part) district.set(c, target)
        moved += part.length
        continue
      }
      // Surrounded by a district on another grid resolution: re-express the piece in that resolution.
      for (const res of resolutions.filter(r => r !== getResolution(part[0]!))) {
        const recast = [...new Set(part.map((c) => {
          const [lat, lon] = cellToLatLng(c)
          return latLngToCell(lat, lon, res)
        }))]
        const other = neighbourVotes(recast, code, district)[0]
        if (!other) continue
        for (const c of part) district.delete(c)
        for (const c of recast) if (!district.has(c)) district.set(c, other)
        moved += part.length
        break
      }
    }
  }
  return moved
}
