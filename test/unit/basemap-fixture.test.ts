import { readFileSync } from 'node:fs'
import { Compression, PMTiles, type RangeResponse, type Source, TileType } from 'pmtiles'
import { describe, expect, it } from 'vitest'
import { buildArchive, buildTiles, FIXTURE_LAYERS, TIANFU_SQUARE } from '../fixtures/basemap/build-fixture.js'

const FILE = new URL('../fixtures/basemap/tianfu.pmtiles', import.meta.url)

/** The archive as the browser reads it: byte ranges through the `pmtiles` reader. */
class BufferSource implements Source {
  constructor(private readonly bytes: Uint8Array) {}
  getKey(): string { return 'fixture' }
  getBytes(offset: number, length: number): Promise<RangeResponse> {
    return Promise.resolve({ data: this.bytes.slice(offset, offset + length).buffer })
  }
}

/** Layer names of an MVT tile: field 3 (layers) of the tile, field 1 (name) of each layer (protobuf wire format). */
function layerNames(tile: Uint8Array): string[] {
  let i = 0
  const varint = (): number => {
    let v = 0
    for (let shift = 1; ; shift *= 128) {
      const b = tile[i++]!
      v += (b & 0x7f) * shift
      if (b < 0x80) return v
    }
  }
  /** Calls `onField` for each field up to `end`; it must consume length-delimited values it reads, others are skipped. */
  const fields = (end: number, onField: (field: number, wire: number) => boolean) => {
    while (i < end) {
      const key = varint()
      const [field, wire] = [Math.floor(key / 8), key % 8]
      if (onField(field, wire)) continue
      if (wire === 0) varint()
      else if (wire === 2) {
        const len = varint() // read before `i` is: `i += varint()` would add to the old `i`
        i += len
      }
      else if (wire === 5) i += 4
      else if (wire === 1) i += 8
      else throw new Error(`wire type ${wire}`)
    }
  }
  const names: string[] = []
  fields(tile.length, (field, wire) => {
    if (field !== 3 || wire !== 2) return false
    const end = varint() + i
    fields(end, (f, w) => {
      if (f !== 1 || w !== 2) return false
      const len = varint()
      names.push(new TextDecoder().decode(tile.subarray(i, i + len)))
      i += len
      return true
    })
    return true
  })
  return names
}

function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z
  const r = lat * Math.PI / 180
  return [Math.floor((lon + 180) / 360 * n), Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n)]
}

describe('the test base map archive (test/fixtures/basemap/tianfu.pmtiles)', () => {
  const bytes = new Uint8Array(readFileSync(FILE))

  it('holds what the generator builds (tile by tile: gzip bytes may differ between zlib versions), and is small', async () => {
    const archive = new PMTiles(new BufferSource(bytes))
    const tiles = buildTiles()
    expect(tiles.length).toBeGreaterThan(50)
    for (const t of tiles) {
      const stored = await archive.getZxy(t.z, t.x, t.y)
      expect(Buffer.from(stored!.data).equals(Buffer.from(t.data)), `${t.z}/${t.x}/${t.y}`).toBe(true)
    }
    expect((await archive.getHeader()).numAddressedTiles).toBe(tiles.length)
    expect(bytes.length).toBeLessThan(200_000)
    expect(buildArchive().length).toBeLessThan(200_000)
  })

  it('is a PMTiles v3 archive of gzipped vector tiles that the pmtiles reader opens', async () => {
    const archive = new PMTiles(new BufferSource(bytes))
    const h = await archive.getHeader()
    expect(h).toMatchObject({ specVersion: 3, tileType: TileType.Mvt, tileCompression: Compression.Gzip, minZoom: 10, maxZoom: 15, clustered: true })
    expect(h.minLon).toBeLessThan(TIANFU_SQUARE[0])
    expect(h.maxLat).toBeGreaterThan(TIANFU_SQUARE[1])
    const meta = await archive.getMetadata() as { vector_layers: { id: string }[] }
    expect(meta.vector_layers.map(l => l.id).sort()).toEqual(Object.keys(FIXTURE_LAYERS).sort())
  })

  it('has the square\'s tile at every zoom, with roads and places at case zoom', async () => {
    const archive = new PMTiles(new BufferSource(bytes))
    for (let z = 10; z <= 15; z++) {
      const [x, y] = tileAt(TIANFU_SQUARE[0], TIANFU_SQUARE[1], z)
      const tile = await archive.getZxy(z, x, y)
      expect(tile, `z${z}`).toBeDefined()
      const names = layerNames(new Uint8Array(tile!.data))
      expect(names).toContain('transportation')
      if (z === 15) expect(names).toEqual(expect.arrayContaining(['place', 'transportation_name', 'building']))
    }
    // outside the covered area: no tile (MapLibre draws nothing there, no error)
    expect(await archive.getZxy(15, ...tileAt(104.2, 30.8, 15))).toBeUndefined()
  })
})
