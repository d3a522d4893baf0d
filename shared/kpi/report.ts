import { closureRate, filingRate, handlingRate, type KpiCounts, meanDuration, onTimeClosureRate, onTimeHandlingRate, postponementRate, reworkRate, satisfactionRate } from './formulas.js'

/** Counts plus duration sums, as the store returns them. */
export interface KpiFactsInput extends KpiCounts {
  acceptMsTotal: number
  acceptCount: number
  handleMsTotal: number
  handleCount: number
}

/** Every KPI of a period, each from its one formula (null = no base to compute it on). */
export interface KpiReport {
  counts: KpiFactsInput
  closureRate: number | null
  onTimeClosureRate: number | null
  filingRate: number | null
  handlingRate: number | null
  onTimeHandlingRate: number | null
  reworkRate: number | null
  postponementRate: number | null
  satisfactionRate: number | null
  meanAcceptMs: number | null
  meanHandleMs: number | null
}

export function kpiReport(c: KpiFactsInput): KpiReport {
  return {
    counts: c,
    closureRate: closureRate(c),
    onTimeClosureRate: onTimeClosureRate(c),
    filingRate: filingRate(c),
    handlingRate: handlingRate(c),
    onTimeHandlingRate: onTimeHandlingRate(c),
    reworkRate: reworkRate(c),
    postponementRate: postponementRate(c),
    satisfactionRate: satisfactionRate(c),
    meanAcceptMs: meanDuration(c.acceptMsTotal, c.acceptCount),
    meanHandleMs: meanDuration(c.handleMsTotal, c.handleCount),
  }
}
