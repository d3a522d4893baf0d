import { CATEGORIES, type Category, type TimeLimit } from '../../shared/categories.js'
import { REQUEST_TYPES, type RequestType, SEVERITIES, type Severity } from '../../shared/enums.js'
import type { Value } from './format.js'

/**
 * Our CJ/T 214 categories as GeoReport v2 services (one source of truth: shared/data/categories.json). Every service
 * takes two optional attributes: the severity (our incident field) and the 12345 platform's request type (诉求类型),
 * which a hotline sends with each call; both are stored with the report.
 */
export interface AttributeDef {
  code: string
  description: string
  datatype_description: string
  values: readonly { key: string, name: string }[]
}

export const SEVERITY_ATTRIBUTE: AttributeDef = {
  code: 'severity',
  description: '紧急程度 (severity)',
  datatype_description: '默认: 一般; 紧急类 (urgent categories) 默认较重',
  values: [
    { key: 'low', name: '轻微 (low)' },
    { key: 'normal', name: '一般 (normal)' },
    { key: 'high', name: '较重 (high)' },
    { key: 'critical', name: '紧急 (critical)' },
  ],
}

/** Names of the 12345 request types (the list itself is shared/enums.ts REQUEST_TYPES, the one the console shows). */
const REQUEST_TYPE_NAMES: Record<RequestType, string> = { consult: '咨询 (enquiry)', help: '求助 (request for help)', suggest: '建议 (suggestion)', complain: '投诉 (complaint)' }

export const REQUEST_TYPE_ATTRIBUTE: AttributeDef = {
  code: 'request_type',
  description: '诉求类型 (12345 request type)',
  datatype_description: '12345 热线的诉求分类 (kept on the case for requests from a 12345 platform key)',
  values: REQUEST_TYPES.map(key => ({ key, name: REQUEST_TYPE_NAMES[key] })),
}

export const ATTRIBUTES: readonly AttributeDef[] = [SEVERITY_ATTRIBUTE, REQUEST_TYPE_ATTRIBUTE]

/** "4 工作小时 (4 working hours)": a category's handling limit, as clients show it to the citizen. */
export function timeLimitText(t: TimeLimit): string {
  if ('workingDays' in t) return `${t.workingDays} 个工作日 (${t.workingDays} working days)`
  return t.working ? `${t.hours} 工作小时 (${t.hours} working hours)` : `${t.hours} 小时 (${t.hours} hours)`
}

/** What the citizen is told on submission and in every answer about the request. */
export function serviceNotice(c: Category): string {
  return `处置时限 ${timeLimitText(c.timeLimit)}，自派遣起计 (counted from dispatch)`
}

export function defaultSeverity(c: Category): Severity {
  return c.urgent ? 'high' : 'normal'
}

export function isSeverity(v: string): v is Severity {
  return (SEVERITIES as readonly string[]).includes(v)
}

/** GET services: one entry per category, grouped by its big class (大类). */
export function serviceList(): Value[] {
  return CATEGORIES.map(c => ({
    service_code: c.code,
    service_name: c.name,
    description: `${c.bigName} · ${c.name} (${c.nameEn}); 责任单位 ${c.department}; 处置时限 ${timeLimitText(c.timeLimit)}`,
    metadata: true,
    type: 'realtime',
    keywords: [c.name, c.nameEn, c.bigName, c.bigNameEn, c.department].join(','),
    group: c.bigName,
  }))
}

/** GET services/{code}: the service definition (its attributes, in the spec's field order). */
export function serviceDefinition(c: Category): Value {
  return {
    service_code: c.code,
    attributes: ATTRIBUTES.map((a, k) => ({
      variable: true,
      code: a.code,
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: a.code === 'severity' ? `${a.datatype_description}; 本类默认 ${defaultSeverity(c)}` : a.datatype_description,
      order: k + 1,
      description: a.description,
      values: a.values.map(v => ({ key: v.key, name: v.name })),
    })),
  }
}
