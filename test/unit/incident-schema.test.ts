import { describe, expect, it } from 'vitest'
import { eventBatchSchema, incidentInputSchema } from '../../shared/schemas/incident.js'
import { validateEvent } from '../../server/ingest/validate-event.js'
import { makeInput } from '../fixtures/incidents.js'

describe('incident input schema', () => {
  it('accepts a complete valid report', () => {
    const input = makeInput({ reporter: { name: '张三', phone: '13800001111' } })
    expect(incidentInputSchema.parse(input)).toEqual(input)
  })

  it.each([
    ['source', { source: 'fax' }],
    ['category', { category: '9999' }],
    ['category', { category: '12' }],
    ['severity', { severity: 'urgent' }],
    ['lat', { lat: 91 }],
    ['lon', { lon: Number.NaN }],
    ['reportedAt', { reportedAt: 'yesterday' }],
    ['description', { description: 'x'.repeat(2001) }],
    ['id', { id: '' }],
    ['id', { id: 'has space' }],
  ])('rejects a bad %s and names the field', (field, patch) => {
    const v = validateEvent({ ...makeInput(), ...patch })
    expect(v.ok).toBe(false)
    if (!v.ok) expect(v.error).toContain(`${field}:`)
  })

  it('rejects unknown fields rather than silently dropping them', () => {
    const v = validateEvent({ ...makeInput(), colour: 'red' })
    expect(v.ok).toBe(false)
  })

  it('keeps the id of a rejected event when it has one', () => {
    const v = validateEvent({ ...makeInput({ id: 'abc-1' }), lat: 'north' })
    expect(v).toMatchObject({ ok: false, id: 'abc-1' })
  })

  it('requires 1 to 1,000 events in a batch', () => {
    expect(eventBatchSchema.safeParse({ events: [] }).success).toBe(false)
    expect(eventBatchSchema.safeParse({ events: Array.from({ length: 1001 }, () => ({})) }).success).toBe(false)
    expect(eventBatchSchema.safeParse({ events: [{}] }).success).toBe(true)
    expect(eventBatchSchema.safeParse([]).success).toBe(false)
  })
})
