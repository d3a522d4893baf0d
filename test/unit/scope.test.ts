import { describe, expect, it } from 'vitest'
import { parseScope, scopeContains, scopeRoom } from '../../shared/scope.js'

describe('scopes', () => {
  it('parses city, district and street scopes and refuses others', () => {
    expect(parseScope('city')).toEqual({ level: 'city', code: null })
    expect(parseScope('district:510106')).toEqual({ level: 'district', code: '510106' })
    expect(parseScope('street:510106001')).toEqual({ level: 'street', code: '510106001' })
    for (const bad of ['', 'town', 'district:', 'district:abc', 'province:51', 'district:510106;drop']) expect(parseScope(bad)).toBeNull()
  })

  it('limits an incident to the scopes that contain it', () => {
    const loc = { district: '510106', street: '510106001' }
    expect(scopeContains(parseScope('city')!, loc)).toBe(true)
    expect(scopeContains(parseScope('district:510106')!, loc)).toBe(true)
    expect(scopeContains(parseScope('district:510104')!, loc)).toBe(false)
    expect(scopeContains(parseScope('street:510106002')!, loc)).toBe(false)
    expect(scopeRoom('district:510106')).toBe('scope:district:510106')
  })
})
