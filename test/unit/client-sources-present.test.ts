import { describe, expect, it } from 'vitest'
import type { SourceView } from '../../shared/sources.js'
import { badgeOf, filterSources, rejectRows, relativeTime } from '../../client/sources/present.js'

const base: SourceView = {
  id: 'http:grid_worker', kind: 'http', label: 'grid_worker', registered: true, scope: null, channel: 'grid_worker', expectedIntervalSec: null,
  messagesPerMin: 0, accepted: 0, rejected: 0, rejects: {}, lastSeenAt: null, online: null, offlineSince: null, offlineReason: null,
}
const NOW = '2026-12-07T08:00:00.000Z'

describe('sources page helpers', () => {
  it('badges: online, in an outage, never heard, not applicable', () => {
    expect(badgeOf({ ...base, kind: 'device', online: true, lastSeenAt: NOW })).toBe('online')
    expect(badgeOf({ ...base, kind: 'device', online: false, lastSeenAt: NOW, offlineSince: NOW })).toBe('offline')
    expect(badgeOf({ ...base, kind: 'device', online: false })).toBe('never')
    expect(badgeOf(base)).toBe('none')
  })
  it('relative times against the server clock reading, in both languages', () => {
    expect(relativeTime('2026-12-07T07:59:55.000Z', NOW, 'zh-CN')).toBe('5秒钟前')
    expect(relativeTime('2026-12-07T07:57:00.000Z', NOW, 'en')).toBe('3 minutes ago')
    expect(relativeTime('2026-12-06T08:00:00.000Z', NOW, 'en')).toBe('yesterday')
    expect(relativeTime(null, NOW, 'en')).toBeNull()
  })
  it('reasons most frequent first, split into kind and field', () => {
    expect(rejectRows({ acl: 1, 'schema:lat': 4, 'schema:lon/lat': 4 })).toEqual([
      { reason: 'schema:lat', key: 'schema', field: 'lat', n: 4 },
      { reason: 'schema:lon/lat', key: 'schema', field: 'lon/lat', n: 4 },
      { reason: 'acl', key: 'acl', field: null, n: 1 },
    ])
  })
  it('filters by kind; offline devices first, then the busiest', () => {
    const list: SourceView[] = [
      { ...base, id: 'http:a', messagesPerMin: 5 },
      { ...base, id: 'device:ok', kind: 'device', online: true, lastSeenAt: NOW, messagesPerMin: 50 },
      { ...base, id: 'device:down', kind: 'device', online: false, lastSeenAt: NOW, offlineSince: NOW },
    ]
    expect(filterSources(list, null).map(s => s.id)).toEqual(['device:down', 'device:ok', 'http:a'])
    expect(filterSources(list, 'http').map(s => s.id)).toEqual(['http:a'])
    expect(filterSources(list, 'api_key')).toEqual([])
  })
})
