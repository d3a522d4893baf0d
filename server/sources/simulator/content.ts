import type { Category } from '../../../shared/categories.js'
import { mulberry32 } from '../../../shared/random.js'
import type { RequestType, Severity, Source } from '../../../shared/schemas/incident.js'
import { weightedPicker } from './sampling.js'

/** Sensors and cameras report what they can see or measure; people report the whole table by its mix (patterns.ts). */
export const MACHINE_CATEGORIES: Partial<Record<Source, Record<string, number>>> = {
  iot_sensor: { '0404': 30, '0406': 30, '0403': 10, '0402': 15, '0401': 5, '0408': 10 },
  video_ai: { '0505': 30, '0501': 20, '0507': 15, '0102': 15, '0506': 10, '0510': 5, '0511': 5 },
}

const SEVERITY_URGENT: [Severity, number][] = [['low', 0.05], ['normal', 0.45], ['high', 0.4], ['critical', 0.1]]
const SEVERITY_ROUTINE: [Severity, number][] = [['low', 0.15], ['normal', 0.765], ['high', 0.08], ['critical', 0.005]]
const pickUrgent = weightedPicker(SEVERITY_URGENT, s => s[1])
const pickRoutine = weightedPicker(SEVERITY_ROUTINE, s => s[1])

export function pickSeverity(category: Category, rng: () => number): Severity {
  return (category.urgent ? pickUrgent : pickRoutine)(rng)[0]
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '罗', '林', '唐']

/** Synthetic reporter for people who call or use the app; sensors and patrols have none. */
export function reporterFor(source: Source, rng: () => number): { name: string, phone: string } | undefined {
  if (source !== 'hotline_12345' && source !== 'citizen_app') return undefined
  const name = `${SURNAMES[Math.floor(rng() * SURNAMES.length)]}${rng() < 0.5 ? '先生' : '女士'}`
  const phone = `1${3 + Math.floor(rng() * 7)}${String(Math.floor(rng() * 1e9)).padStart(9, '0')}`
  return { name, phone }
}

/** The published 12345 mix (DOMAIN.md §5: 咨询 47–64 %, 求助 ~30 %, 建议 1–15 %, 投诉 1–7 %), as cumulative shares. */
export const REQUEST_TYPE_MIX: readonly [RequestType, number][] = [['consult', 0.55], ['help', 0.3], ['suggest', 0.1], ['complain', 0.05]]

/**
 * A hotline call's request type, fixed by the report's id (not drawn from the minute's stream, so every other
 * field of the generated reports stays as it was).
 */
export function requestTypeFor(id: string): RequestType {
  let h = 0x811c9dc5
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 16777619)
  let r = mulberry32(h)()
  for (const [type, share] of REQUEST_TYPE_MIX) {
    if (r < share) return type
    r -= share
  }
  return 'consult'
}
