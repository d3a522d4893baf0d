import { cellToBoundary, cellToLatLng, getResolution, latLngToCell } from 'h3-js'

const round6 = (x: number) => Math.round(x * 1e6) / 1e6

/**
 * A uniform random point inside an H3 cell: pick one of the six centre–edge triangles, then a uniform point in it.
 * H3 edges are geodesic, ours straight, so a point a hair outside is re-drawn (rarely); the centre is the fallback.
 */
export function randomPointInCell(h3: string, rng: () => number): { lon: number, lat: number } {
  const [clat, clon] = cellToLatLng(h3)
  const ring = cellToBoundary(h3)
  const res = getResolution(h3)
  for (let attempt = 0; attempt < 8; attempt++) {
    const i = Math.floor(rng() * ring.length)
    const [alat, alon] = ring[i]!
    const [blat, blon] = ring[(i + 1) % ring.length]!
    let u = rng()
    let v = rng()
    if (u + v > 1) {
      u = 1 - u
      v = 1 - v
    }
    const lat = round6(clat + u * (alat - clat) + v * (blat - clat))
    const lon = round6(clon + u * (alon - clon) + v * (blon - clon))
    if (latLngToCell(lat, lon, res) === h3) return { lon, lat }
  }
  return { lon: round6(clon), lat: round6(clat) }
}
