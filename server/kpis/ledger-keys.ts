import { DEPT_BITS } from './bucket.js'

/** The ledger's street, district and department codes ↔ the small integers its bucket keys are made of (first seen, first numbered). */
export class LedgerKeys {
  readonly streetIdx = new Map<string, number>()
  readonly streets: string[] = []
  readonly streetDistrict: string[] = []
  readonly districtIdx = new Map<string, number>()
  readonly deptIdx = new Map<string, number>()
  readonly departments: string[] = []

  street(code: string, district: string): number {
    let s = this.streetIdx.get(code)
    if (s === undefined) {
      this.streetIdx.set(code, s = this.streets.length)
      this.streets.push(code)
      this.streetDistrict.push(district)
    }
    return s
  }

  districtNumber(code: string): number {
    let n = this.districtIdx.get(code)
    if (n === undefined) this.districtIdx.set(code, n = this.districtIdx.size)
    return n
  }

  department(code: string): number {
    let d = this.deptIdx.get(code)
    if (d === undefined) {
      if (this.departments.length >= DEPT_BITS) throw new Error('KpiLedger: more departments than a bucket key holds')
      this.deptIdx.set(code, d = this.departments.length)
      this.departments.push(code)
    }
    return d
  }
}
