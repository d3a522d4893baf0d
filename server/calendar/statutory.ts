// Default import: Node loads the package's CommonJS build, whose named exports it cannot see statically.
import chineseDays from 'chinese-days'

export interface NamedHoliday { date: string, name: string }

const DAY = 86_400_000

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

function run(name: string, first: string, days: number): NamedHoliday[] {
  return Array.from({ length: days }, (_, k) => ({ date: addDays(first, k), name }))
}

/**
 * The statutory public holidays of 《全国年节及纪念日放假办法》 as amended 2024 (in force 2025) for a Gregorian year:
 * 元旦 Jan 1; 春节 除夕–初三 (4 days); 清明 (the solar term, 1 day); 劳动节 May 1–2; 端午 (五月初五); 中秋 (八月十五);
 * 国庆 Oct 1–3. Lunar dates come from chinese-days' lunar tables (valid 1900–2100). These are the days the law
 * gives; the State Council's yearly notice moves weekends around them (调休), which cannot be computed.
 * When two holidays fall on one date (中秋 on Oct 1–3, e.g. 2028) both names are listed for that date.
 */
export function statutoryHolidays(year: number): NamedHoliday[] {
  const y = String(year)
  const springFestival = chineseDays.getSolarDateFromLunar(`${y}-01-01`).date
  return [
    { date: `${y}-01-01`, name: '元旦' },
    ...run('春节', addDays(springFestival, -1), 4), // 除夕 is the day before 正月初一, whether 腊月 has 29 or 30 days
    { date: chineseDays.getSolarTermDate(year, 4, 'pure_brightness'), name: '清明节' },
    ...run('劳动节', `${y}-05-01`, 2),
    { date: chineseDays.getSolarDateFromLunar(`${y}-05-05`).date, name: '端午节' },
    { date: chineseDays.getSolarDateFromLunar(`${y}-08-15`).date, name: '中秋节' },
    ...run('国庆节', `${y}-10-01`, 3),
  ].sort((a, b) => a.date.localeCompare(b.date))
}
