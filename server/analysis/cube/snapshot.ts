import { DayBlock } from './day-block.js'
import type { RollupCube } from './rollup-cube.js'

/** Layout of `snapshot()`: bump it whenever the blocks' columns or the header change (an old snapshot is then ignored). */
const SNAPSHOT_FORMAT = 1

/**
 * The whole cube as bytes (a header of dictionaries and block sizes, then each block's columns): written at a
 * clean shutdown and read at the next start instead of millions of rollup rows (see createAnalysis).
 */
export function cubeSnapshot(cube: RollupCube, tag: string): Buffer {
  const blocks = [...cube.blocks.values()].sort((x, y) => x.day - y.day)
  const header = Buffer.from(JSON.stringify({
    format: SNAPSHOT_FORMAT, tag, offsetHours: cube.offsetHours, rows: cube.rows,
    dictionaries: cube.dictionaryValues(),
    cellCommunity: cube.cellCommunity, communityStreet: cube.communityStreet, streetDistrict: cube.streetDistrict,
    blocks: blocks.map(b => [b.day, b.len, b.head.length]),
  }))
  const parts: Buffer[] = [Buffer.alloc(8), header, Buffer.alloc((8 - header.length % 8) % 8)]
  parts[0]!.writeUInt32LE(header.length, 0)
  for (const b of blocks) {
    for (const col of [b.n, b.cell, b.next, b.hod, b.cat, b.src, b.st, b.dept, b.tim] as const) {
      parts.push(Buffer.from(col.buffer, col.byteOffset, b.len * col.BYTES_PER_ELEMENT))
    }
    parts.push(Buffer.from(b.head.buffer, b.head.byteOffset, b.head.byteLength))
  }
  return Buffer.concat(parts)
}

/**
 * Restores a snapshot into this (new, empty) cube if it carries `tag` and its dictionaries extend this cube's (the
 * same geo data); false otherwise, and the cube is left as it was. Every stored day is then in memory.
 */
export function restoreCube(cube: RollupCube, bytes: Buffer, tag: string): boolean {
  if (bytes.length < 8 || cube.rows !== 0) return false
  const headerLength = bytes.readUInt32LE(0)
  const h = JSON.parse(bytes.subarray(8, 8 + headerLength).toString()) as {
    format: number, tag: string, offsetHours: number, rows: number, dictionaries: string[][],
    cellCommunity: number[], communityStreet: number[], streetDistrict: number[], blocks: [number, number, number][]
  }
  const mine = cube.dictionaryValues()
  if (h.format !== SNAPSHOT_FORMAT || h.tag !== tag || h.offsetHours !== cube.offsetHours || h.dictionaries.length !== mine.length) return false
  if (!mine.every((values, d) => values.every((v, k) => h.dictionaries[d]![k] === v))) return false
  const dictionaries = [cube.cells, cube.communities, cube.streets, cube.districts, cube.categories, cube.sources, cube.statuses, cube.departments]
  h.dictionaries.forEach((values, d) => { for (const v of values) dictionaries[d]!.id(v) })
  cube.cellCommunity.splice(0, Infinity, ...h.cellCommunity)
  cube.communityStreet.splice(0, Infinity, ...h.communityStreet)
  cube.streetDistrict.splice(0, Infinity, ...h.streetDistrict)
  let at = 8 + headerLength + (8 - headerLength % 8) % 8
  const take = <T extends Uint8Array | Int32Array>(Type: new (n: number) => T, n: number): T => {
    const out = new Type(Math.max(n, 1))
    const width = out.BYTES_PER_ELEMENT
    new Uint8Array(out.buffer).set(bytes.subarray(at, at + n * width))
    at += n * width
    return out
  }
  for (const [day, len, headLength] of h.blocks) {
    const b = new DayBlock(day, 0, 1)
    b.len = len
    b.n = take(Int32Array, len)
    b.cell = take(Int32Array, len)
    b.next = take(Int32Array, len)
    b.hod = take(Uint8Array, len)
    b.cat = take(Uint8Array, len)
    b.src = take(Uint8Array, len)
    b.st = take(Uint8Array, len)
    b.dept = take(Uint8Array, len)
    b.tim = take(Uint8Array, len)
    b.head = take(Int32Array, headLength)
    cube.summarize(b)
    cube.blocks.set(day, b)
  }
  cube.rows = h.rows
  cube.setStoredHours(null)
  return true
}
