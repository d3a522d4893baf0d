/**
 * Enumerations both sides need. Kept free of zod so the browser bundle does not carry the validator
 * (schemas/incident.ts builds its zod enums from these).
 */
export const SOURCES = ['grid_worker', 'hotline_12345', 'citizen_app', 'iot_sensor', 'video_ai'] as const
export const SEVERITIES = ['low', 'normal', 'high', 'critical'] as const
export type Source = typeof SOURCES[number]
export type Severity = typeof SEVERITIES[number]

/** 12345 hotline request types (诉求类型): 咨询, 求助, 建议, 投诉 — on hotline reports only. */
export const REQUEST_TYPES = ['consult', 'help', 'suggest', 'complain'] as const
export type RequestType = typeof REQUEST_TYPES[number]
