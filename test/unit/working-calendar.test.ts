import { describe, expect, it } from 'vitest'
import { addWorkingHours, deadlineFor } from '../../server/calendar/index.js'

const cst = (local: string) => Date.parse(`${local}+08:00`)
const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

describe('working calendar (China, UTC+8)', () => {
  it('counts office hours within a day, skipping lunch', () => {
    expect(iso(addWorkingHours(cst('2026-11-24T10:00'), 4, 480))).toBe('2026-11-24 15:30')
  })

  it('carries over to the next working day', () => {
    // Tuesday 16:30 + 4 h: 1 h today, 3 h from Wednesday 09:00
    expect(iso(addWorkingHours(cst('2026-11-24T16:30'), 4, 480))).toBe('2026-11-25 12:00')
  })

  it('skips the weekend', () => {
    expect(iso(addWorkingHours(cst('2026-11-27T17:00'), 2, 480))).toBe('2026-11-30 10:30')
  })

  it('starts at 09:00 when reported overnight', () => {
    expect(iso(addWorkingHours(cst('2026-11-24T02:00'), 1, 480))).toBe('2026-11-24 10:00')
  })

  it('skips the National Day holiday and counts the make-up Saturday (调休)', () => {
    // 2026-09-30 (Wed) 17:00 + 2 h: the National Day holiday Oct 1–7 is off (per chinese-days), Oct 8 (Thu) works
    expect(iso(addWorkingHours(cst('2026-09-30T17:00'), 2, 480))).toBe('2026-10-08 10:30')
    // Saturday 2026-02-14 is a make-up working day before the Spring Festival
    expect(iso(addWorkingHours(cst('2026-02-13T17:00'), 1, 480))).toBe('2026-02-14 09:30')
  })

  it('uses clock hours for limits that are not in working hours', () => {
    expect(deadlineFor(cst('2026-11-28T23:30'), { hours: 2, working: false }, 480)).toBe(cst('2026-11-29T01:30'))
    expect(iso(deadlineFor(cst('2026-11-24T11:00'), { hours: 4, working: true }, 480))).toBe('2026-11-24 16:30')
  })
})
