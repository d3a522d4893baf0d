import table from './data/categories.json' with { type: 'json' }

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
  /** Handling time limit (处置时限); `working` counts working hours on the working calendar. */
  timeLimit: { hours: number, working: boolean }
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
