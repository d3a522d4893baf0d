import { describe, expect, it } from 'vitest'
import { availableScenes, DEFAULT_ROTATE_SECONDS, nextScene, parseWallParams } from '../../client/wall/scenes.js'

describe('wall URL parameters and scene rotation', () => {
  it('reads a pinned scene, a rotation interval and a district, ignoring anything unknown', () => {
    expect(parseWallParams({})).toEqual({ scene: null, rotateSeconds: DEFAULT_ROTATE_SECONDS, district: null })
    expect(parseWallParams({ scene: 'incidents', rotate: '30', district: '510106' })).toEqual({ scene: 'incidents', rotateSeconds: 30, district: '510106' })
    expect(parseWallParams({ scene: 'nope', rotate: 'x', district: '51' })).toEqual({ scene: null, rotateSeconds: DEFAULT_ROTATE_SECONDS, district: null })
    expect(parseWallParams({ rotate: '0' }).rotateSeconds).toBe(0)
    expect(parseWallParams({ rotate: '2' }).rotateSeconds).toBe(10)
  })

  it('cycles through the available scenes only', () => {
    expect(nextScene('overview', ['overview', 'incidents'])).toBe('incidents')
    expect(nextScene('incidents', ['overview', 'incidents'])).toBe('overview')
    expect(nextScene('greenway', ['overview', 'incidents'])).toBe('overview')
  })

  it('puts a scene in rotation once the wall has its data, in the one scene order', () => {
    expect(availableScenes({ greenway: false, campaign: false })).toEqual(['overview', 'incidents'])
    expect(availableScenes({ greenway: true, campaign: false })).toEqual(['overview', 'incidents', 'greenway', 'coverage'])
    expect(availableScenes({ greenway: false, campaign: true })).toEqual(['overview', 'incidents', 'campaign'])
    expect(availableScenes({ greenway: true, campaign: true })).toEqual(['overview', 'incidents', 'greenway', 'coverage', 'campaign'])
  })
})
