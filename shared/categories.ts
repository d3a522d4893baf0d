import table from './data/categories.json' with { type: 'json' }

/**
 * 处置时限: clock or working hours (`working` counts office hours on working days), or working days, which count
 * as days × the configured office day (OFFICE_HOURS, 7 h by default), never a fixed 8 h.
 */
export type TimeLimit = { hours: number, working: boolean } | { workingDays: number }

/** One CJ/T 214 event category. The table is data (shared/data/categories.json) a city edits, not an enum. */
export interface Category {
  code: string
  bigClass: string
  bigName: string
  bigNameEn: string
  name: string
  nameEn: string
  /** Default responsible department (DOMAIN.md §2). */
  department: string
  /** Departments that assist the lead one on this compound kind of case (协办), e.g. 应急管理局 on a gas rupture. */
  assisting?: string[]
  /** Handling time limit (处置时限). */
  timeLimit: TimeLimit
  /** Relative frequency for the simulator (DOMAIN.md §5 category mix). */
  simWeight: number
  urgent: boolean
}

export const CATEGORIES: readonly Category[] = table.categories
const byCode = new Map(CATEGORIES.map(c => [c.code, c]))

export function isKnownCategory(code: string): boolean {
  return byCode.has(code)
}

export function getCategory(code: string): Category | undefined {
  return byCode.get(code)
}
