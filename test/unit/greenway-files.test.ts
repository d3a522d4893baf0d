import { describe, expect, it } from 'vitest'
import { checkFacilities, checkNetwork, type Locator } from '../../server/greenway/data-files.js'
import { facilitiesFc, networkFc, type TestFc } from '../fixtures/greenway-files.js'

// A stand-in city: everything between 103.5–104.5°E and 30.3–31°N, one community per 0.01° of longitude.
const locator: Locator = { name: '测试市', communityAt: (lon, lat) => (lon >= 103.5 && lon <= 104.5 && lat >= 30.3 && lat <= 31 ? `c${Math.floor(lon * 100)}` : null) }

describe('greenway network file', () => {
  it('accepts a valid file: geodesic length recomputed, km per community', () => {
    const res = checkNetwork(networkFc(fc => { fc.features[0]!.properties.lengthKm = 99 }), locator)
    if (!res.ok) throw new Error(res.error)
    expect(res.data.map(s => s.id)).toEqual(['seg-a', 'seg-b'])
    expect(res.data[0]!.lengthKm).toBeCloseTo(2.876, 2)
    const km = [...res.data[0]!.kmByCommunity.values()].reduce((a, b) => a + b, 0)
    expect(km).toBeCloseTo(res.data[0]!.lengthKm, 2)
  })

  const refused = (patch: (fc: TestFc) => void) => {
    const res = checkNetwork(networkFc(patch), locator)
    if (res.ok) throw new Error('accepted')
    return res
  }

  it('names the feature and the field of a bad value', () => {
    const res = refused(fc => { fc.features[1]!.properties.status = 'finished' })
    expect(res.details).toEqual([{ path: 'features.1.properties.status', message: expect.stringMatching(/^feature 1 \("seg-b"\): properties\.status: /) }])
    expect(res.error).toMatch(/^greenway file refused: feature 1 \("seg-b"\)/)
    expect(refused(fc => { delete fc.features[0]!.properties.tier }).details[0]!.path).toBe('features.0.properties.tier')
  })

  it('refuses positions outside the city, repeated ids, MultiLineStrings, zero-length lines and other CRSs', () => {
    expect(refused(fc => { fc.features[0]!.geometry.coordinates = [[104, 30.6], [116.4, 39.9]] }).details[0]).toEqual({
      path: 'features.0.geometry.coordinates.1', message: 'feature 0 ("seg-a"): geometry.coordinates.1: position [116.4, 39.9] is outside 测试市',
    })
    expect(refused(fc => { fc.features[1]!.properties.id = 'seg-a' }).details[0]!.message).toMatch(/"seg-a" is used twice \(also feature 0\)/)
    const multi = refused(fc => { fc.features[0]!.geometry.type = 'MultiLineString' })
    expect(multi.details[0]!.message).toMatch(/geometry\.type: expected a LineString \(split a MultiLineString/)
    expect(refused(fc => { fc.features[0]!.geometry.coordinates = [[104, 30.6], [104, 30.6]] }).details[0]!.message).toMatch(/zero length/)
    const crs = checkNetwork({ ...networkFc(), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } }, locator)
    expect(crs.ok ? null : crs.details[0]!.path).toBe('crs.properties.name')
    expect(checkNetwork({ ...networkFc(), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } }, locator).ok).toBe(true)
    expect(refused(fc => { (fc.features[0]!.geometry.coordinates as number[][])[0] = [30.6, 104] }).details[0]!.path).toMatch(/coordinates\.0/) // lat/lon swapped
  })

  it('refuses something that is not a FeatureCollection', () => {
    const res = checkNetwork({ type: 'Feature' }, locator)
    expect(res.ok ? null : res.details[0]!.path).toBe('type')
  })
})

describe('facility file', () => {
  it('accepts points (status defaults to open) and names the feature of a bad type', () => {
    const ok = checkFacilities(facilitiesFc(), locator)
    expect(ok.ok && ok.data.map(f => [f.id, f.status])).toEqual([['f-station', 'open'], ['f-clinic', 'open'], ['f-park', 'planned']])
    const fc = facilitiesFc()
    ;(fc.features[1]!.properties as Record<string, unknown>).type = 'casino'
    delete (fc.features[0]!.properties as Record<string, unknown>).status
    const res = checkFacilities(fc, locator)
    expect(res.ok ? null : res.details).toEqual([{ path: 'features.1.properties.type', message: expect.stringMatching(/^feature 1 \("f-clinic"\): properties\.type: /) }])
  })
})
