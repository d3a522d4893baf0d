import type { Severity, Source } from '../../../shared/enums.js'

/**
 * A threshold turns readings into reports: a report when a value first reaches `above`, none while it stays up,
 * and the excursion ends when it falls below `clearBelow` (the gap keeps a value hovering at the line from
 * reporting on every message).
 */
export interface Threshold {
  above: number
  clearBelow: number
  category: string
  severity: Severity
  /** Chinese machine message; {device}, {value}, {above} and {unit} are filled in. */
  text: string
}

export interface Metric { unit: string, min: number, max: number, threshold?: Threshold }

export interface DeviceKind {
  /** The report channel its events count as (DOMAIN.md §5). */
  source: Source
  /** What its `…/reading` messages may carry (none: it sends events only). */
  metrics: Record<string, Metric>
  /** Its readings go to the greenway footfall service instead of thresholds. */
  footfall?: true
}

/** The one table of device kinds, their readings and the thresholds that make reports of them. */
export const DEVICE_KINDS = {
  'water-level': {
    source: 'iot_sensor',
    metrics: {
      waterLevelCm: { unit: 'cm', min: 0, max: 1000, threshold: { above: 15, clearBelow: 10, category: '0406', severity: 'high', text: '积水监测 {device}：路面积水 {value} {unit}，超过 {above} {unit}' } },
    },
  },
  'manhole': {
    source: 'iot_sensor',
    metrics: {
      tiltDeg: { unit: '°', min: 0, max: 180, threshold: { above: 10, clearBelow: 5, category: '0404', severity: 'high', text: '井盖监测 {device}：井盖倾斜 {value}{unit}，超过 {above}{unit}，疑似移位或缺失' } },
      fillPercent: { unit: '%', min: 0, max: 100, threshold: { above: 90, clearBelow: 75, category: '0404', severity: 'normal', text: '井盖监测 {device}：井内水位 {value}{unit}，超过 {above}{unit}，疑似下水道堵塞' } },
    },
  },
  'gas': {
    source: 'iot_sensor',
    metrics: {
      // methane: 5,000 ppm is 10 % of its lower explosive limit, the usual first alarm level of a leak detector
      ppm: { unit: 'ppm', min: 0, max: 1_000_000, threshold: { above: 5000, clearBelow: 2500, category: '0403', severity: 'critical', text: '燃气监测 {device}：可燃气体浓度 {value} {unit}，超过 {above} {unit}' } },
    },
  },
  'camera': { source: 'video_ai', metrics: {} },
  'footfall-counter': { source: 'iot_sensor', metrics: { count: { unit: '人次', min: 0, max: 100_000 } }, footfall: true },
} as const satisfies Record<string, DeviceKind>

export type DeviceKindName = keyof typeof DEVICE_KINDS
export const DEVICE_KIND_NAMES = Object.keys(DEVICE_KINDS) as DeviceKindName[]

export function deviceKind(name: string): DeviceKind | undefined {
  return Object.hasOwn(DEVICE_KINDS, name) ? DEVICE_KINDS[name as DeviceKindName] : undefined
}
