import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { cellsToMultiPolygon, cellToParent, getResolution } from 'h3-js'

const TILE_RES = 5 // ≈ 250 km² tiles: a status change redraws one to three of them
// 4 decimals (≈ 10 m) are plenty for hexagons 350–900 m across, and keep the payload small
const round = (ring: number[][]) => ring.map(([x, y]) => [Math.round(x! * 1e4) / 1e4, Math.round(y! * 1e4) / 1e4])

interface Tile { cells: number[], builtAt: number, features: GeoJSON.Feature[] }

/**
 * Grid cells dissolved into outlines per band, so the browser draws a few polygons instead of 25,000 hexagons and
 * needs no h3-js. Dissolving the whole city costs ~0.5 s, so it is done per H3 resolution-5 tile and cached:
 * after a change only the tiles holding a changed cell (by the model's per-cell stamp) are dissolved again.
 * A cold build yields to the event loop between tiles, so ingest and pushes are not held up for that half second.
 */
export class BandShapes {
  private readonly tiles: Tile[]

  constructor(private readonly h3: readonly string[], private readonly show: (band: number) => boolean) {
    const byTile = new Map<string, number[]>()
    h3.forEach((cell, i) => {
      const key = cellToParent(cell, TILE_RES)
      const list = byTile.get(key)
      if (list) list.push(i)
      else byTile.set(key, [i])
    })
    this.tiles = [...byTile.keys()].sort().map(key => ({ cells: byTile.get(key)!, builtAt: -1, features: [] }))
  }

  async collection(bandOf: (i: number) => number, stampOf: (i: number) => number): Promise<GeoJSON.FeatureCollection> {
    let slice = performance.now()
    for (const tile of this.tiles) {
      if (tile.builtAt >= 0 && tile.cells.every(i => stampOf(i) <= tile.builtAt)) continue
      const builtAt = Math.max(...tile.cells.map(stampOf))
      tile.features = this.dissolve(tile.cells, bandOf)
      tile.builtAt = builtAt
      if (performance.now() - slice > 20) {
        await yieldToLoop()
        slice = performance.now()
      }
    }
    return { type: 'FeatureCollection', features: this.tiles.flatMap(t => t.features) }
  }

  private dissolve(cells: number[], bandOf: (i: number) => number): GeoJSON.Feature[] {
    const groups = new Map<string, string[]>()
    for (const i of cells) {
      const band = bandOf(i)
      if (!this.show(band)) continue
      const key = `${band}:${getResolution(this.h3[i]!)}`
      const list = groups.get(key)
      if (list) list.push(this.h3[i]!)
      else groups.set(key, [this.h3[i]!])
    }
    return [...groups].sort((a, b) => a[0].localeCompare(b[0])).map(([key, list]) => ({
      type: 'Feature',
      properties: { band: Number(key.split(':')[0]) },
      // h3 dissolves one resolution at a time
      geometry: { type: 'MultiPolygon', coordinates: cellsToMultiPolygon(list, true).map(poly => poly.map(round)) },
    }))
  }
}
