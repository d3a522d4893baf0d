import { describe, expect, it } from 'vitest'
import { landingFor, loginUrl, safeNext } from '../../client/auth/landing.js'

describe('login landing', () => {
  it('sends each role to its view', () => {
    expect(['admin', 'operator', 'leader', 'analyst', 'display'].map(r => landingFor(r as never))).toEqual(['/ops', '/ops', '/wall', '/analysis', '/wall'])
  })

  it('goes back only to a path of this app', () => {
    expect(safeNext('/analysis/district/510104?from=2026-01-01')).toBe('/analysis/district/510104?from=2026-01-01')
    for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/login', '/login?next=/ops', '', undefined, ['/ops']]) {
      expect(safeNext(bad)).toBeNull()
    }
    expect(loginUrl('/ops?case=1')).toBe('/login?next=%2Fops%3Fcase%3D1')
    expect(loginUrl('/')).toBe('/login')
  })
})
