/**
 * Enumerations both sides need. Kept free of zod so the browser bundle does not carry the validator
 * (schemas/incident.ts builds its zod enums from these).
 */
export const SOURCES = ['grid_worker', 'hotline_12345', 'citizen_app', 'iot_sensor', 'video_ai'] as const
export const SEVERITIES = ['low', 'normal', 'high', 'critical'] as const
export type Source = typeof SOURCES[number]
export type Severity = typeof SEVERITIES[number]
