import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseOfficeHours } from '../../server/calendar/office-hours.js'
import { CalendarFileError, loadScheduleDir, parseScheduleFile } from '../../server/calendar/schedule-file.js'
import { createWorkingCalendar } from '../../server/calendar/working-calendar.js'

const officeHours = parseOfficeHours('09:00-12:00,13:30-17:30')
const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-cal-'))
  dirs.push(dir)
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body))
  return dir
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CalendarFileError)
    return (err as CalendarFileError).details.map(d => `${path.basename(d.file)} ${d.path}: ${d.message}`)
  }
  throw new Error('expected a CalendarFileError')
}

// an invented notice: 2027 with a make-up Saturday, to tell it apart from the statutory days
const notice2027 = { year: 2027, source: '国务院办公厅关于2027年部分节假日安排的通知（示例）', holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-05', '2027-02-06'], workdays: ['2027-02-20'] }

describe('official schedule files', () => {
  it('a file beats the statutory holidays: its make-up days work, its holidays rest', () => {
    const dir = folder({ '2027.json': notice2027 })
    const cal = createWorkingCalendar({ officeHours, files: loadScheduleDir(dir) })
    expect(cal.year(2027)).toEqual({ year: 2027, source: 'official', origin: notice2027.source, holidays: notice2027.holidays, workdays: ['2027-02-20'] })
    expect(cal.isWorkday('2027-02-20')).toBe(true) // Saturday, make-up day
    expect(cal.isWorkday('2027-02-08')).toBe(true) // the file does not give 初三 off (statutory would)
    expect(cal.fileYears).toEqual([2027])
    expect(cal.warnings(Date.parse('2026-12-07T12:00:00+08:00'), 480)).toEqual([])
  })

  it('a file beats chinese-days for a year both cover', () => {
    const cal = createWorkingCalendar({ officeHours, files: [parseScheduleFile('2026.json', JSON.stringify({ year: 2026, holidays: ['2026-03-02'] }))] })
    expect(cal.year(2026)).toMatchObject({ source: 'official', origin: '2026.json', holidays: ['2026-03-02'], workdays: [] })
    expect(cal.isWorkday('2026-03-02')).toBe(false)
    expect(cal.isWorkday('2026-10-01')).toBe(true) // chinese-days' National Day no longer applies
  })

  it('a missing folder holds no files', () => {
    expect(loadScheduleDir(path.join(tmpdir(), 'citybrain-no-such-folder'))).toEqual([])
  })

  it('names the file and the field of every error, and loads nothing from a folder with one bad file', () => {
    const dir = folder({
      '2027.json': { ...notice2027, holidays: ['2027-01-01', '2027-13-01', '2028-01-01', 'soon'], workdays: ['2027-02-18'] },
      '2028.json': { year: 2028, holidays: [], workday: [] },
      'broken.json': '{ "year": 2029,',
      'again-2027.json': notice2027,
      'README.txt': 'not a schedule',
    })
    const errors = errorsOf(() => loadScheduleDir(dir))
    expect(errors.filter(e => e.startsWith('broken.json'))).toEqual([expect.stringMatching(/^broken\.json \(file\): not JSON/)])
    expect(errors.filter(e => !e.startsWith('broken.json')).sort()).toEqual([
      '2027.json holidays.1: expected a calendar date YYYY-MM-DD',
      '2027.json holidays.2: 2028-01-01 is not in the year 2027',
      '2027.json holidays.3: expected a calendar date YYYY-MM-DD',
      '2027.json workdays.0: 2027-02-18 is a weekday: a make-up working day (调休上班) is a Saturday or Sunday',
      '2028.json (root): Unrecognized key: "workday"',
      '2028.json holidays: Too small: expected array to have >=1 items',
    ].sort())
  })

  it('refuses two files for one year and a day listed twice', () => {
    const twice = folder({ 'a.json': notice2027, 'b.json': notice2027 })
    expect(errorsOf(() => loadScheduleDir(twice))).toEqual([expect.stringMatching(/^b\.json year: 2027 is also given by .*a\.json$/)])
    expect(errorsOf(() => parseScheduleFile('x.json', JSON.stringify({ year: 2027, holidays: ['2027-02-06'], workdays: ['2027-02-06'] }))))
      .toEqual(['x.json workdays.0: 2027-02-06 is listed twice (a day is either a holiday or a make-up working day)'])
    expect(errorsOf(() => parseScheduleFile('y.json', JSON.stringify({ year: 1999, holidays: ['1999-01-01'] }))))
      .toEqual([expect.stringMatching(/^y\.json year: Too small/)])
  })

  it('the error message lists every problem with its file', () => {
    const dir = folder({ '2027.json': { year: '2027', holidays: ['2027-01-01'] } })
    expect(() => loadScheduleDir(dir)).toThrow(/invalid calendar file\(s\):\n {2}.*2027\.json: year: Invalid input: expected number/)
  })
})
