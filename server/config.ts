import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { SOURCES } from '../shared/enums.js'
import { FACILITY_TYPES } from '../shared/greenway/types.js'
import { issuesToDetails } from '../shared/schemas/errors.js'
import type { ReportedAtWindow } from '../shared/schemas/incident.js'
import { DEFAULT_OFFICE_HOURS, parseOfficeHours } from './calendar/office-hours.js'
import type { Open311Key } from './open311/api-keys.js'
import type { MqttConfig } from './sources/mqtt/index.js'
import type { AuthConfig } from './auth/index.js'
import type { CalendarConfig } from './calendar/index.js'
import type { GreenwayConfig } from './greenway/greenway-service.js'
import { LOG_LEVELS, type LogLevel } from './log.js'


const flag = z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no']).transform(v => ['1', 'true', 'on', 'yes'].includes(v))

/** Environment variables the server reads. Parsed once, here; nothing else reads process.env. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  CITY: z.string().regex(/^[a-z0-9-]+$/).default('chengdu'),
  SIMULATOR: flag.default(true),
  SIM_SEED: z.coerce.number().int().default(20261124),
  SIM_SPEED: z.coerce.number().positive().max(100_000).default(1),
  SIM_RATE: z.coerce.number().positive().max(100).default(1),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  STATIC_DIR: z.string().default('./dist/client'),
  BASEMAP_STYLE_URL: z.string().url().optional(),
  // a PMTiles archive of the city's vector tiles (docs/BASEMAP.md), served with range requests
  BASEMAP_PMTILES: z.string().min(1).optional(),
  DUPLICATE_RADIUS_M: z.coerce.number().min(1).max(5000).default(100),
  DUPLICATE_WINDOW_MIN: z.coerce.number().positive().max(7 * 24 * 60).default(60),
  BURST_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(5),
  BURST_WINDOW_MIN: z.coerce.number().positive().max(24 * 60).default(30),
  // greenways and the 15-minute service circle (issue #6); files default to the city's demo data, if any
  GREENWAY_FILE: z.string().min(1).optional(),
  FACILITIES_FILE: z.string().min(1).optional(),
  SERVICE_RADIUS_M: z.coerce.number().min(100).max(5000).default(1000),
  SERVICE_TYPES: z.string().default(FACILITY_TYPES.join(','))
    .transform(v => v.split(',').map(t => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(FACILITY_TYPES)).min(1)),
  CROWDING_THRESHOLD: z.coerce.number().int().min(1).max(1_000_000).default(1500),
  CROWDING_WINDOW_MIN: z.coerce.number().int().min(1).max(240).default(15),
  // working calendar (issue #11): office hours of a working day, and the folder of official holiday schedules
  OFFICE_HOURS: z.string().default(DEFAULT_OFFICE_HOURS).transform((v, ctx) => {
    try {
      return parseOfficeHours(v)
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `${(err as Error).message} (e.g. ${DEFAULT_OFFICE_HOURS})` })
      return z.NEVER
    }
  }),
  CALENDAR_DIR: z.string().min(1).optional(),
  // overload (issue #13): POST /api/v1/events answers 429 beyond these
  INGEST_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(64),
  INGEST_MAX_LOOP_DELAY_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
  // the read pool (issue #13): worker threads for the slow reads (default 1 on 2 cores, see sqlite-repository.ts;
  // 0: on the main thread) and the reads that may wait for one before the next is answered 503
  READ_WORKERS: z.coerce.number().int().min(0).max(8).optional(),
  READ_QUEUE: z.coerce.number().int().min(1).max(100_000).default(256),
  // the store's writer thread (issue #13): incidents, their trail and the rollup are written off the main thread
  // (off: on it, as a single-threaded store would)
  WRITER_THREAD: flag.default(true),
  // … and analytics (analysis, KPIs, league, campaigns, coverage outlines) answer 503 beyond these, long before that
  ANALYTICS_MAX_LOOP_DELAY_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  ANALYTICS_MAX_INGEST_BACKLOG: z.coerce.number().int().min(1).max(10_000_000).default(8_000),
  // identical analysis summary, /kpis and /league requests share one answer this long (ms; 0: each computes its own)
  ANALYTICS_SHARE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  // worker threads that parse, validate and locate ingest batches (default: one per core but one, at least one)
  INGEST_WORKERS: z.coerce.number().int().min(0).max(16).default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  // Open311 GeoReport v2 (issue #15): `key` or `key:source` (the channel its reports count as; default citizen_app)
  OPEN311_API_KEYS: z.string().default('')
    .transform(v => v.split(',').map(k => k.trim()).filter(Boolean).map(k => {
      const [key = '', source = 'citizen_app'] = k.split(':')
      return { key, source }
    }))
    .pipe(z.array(z.object({ key: z.string().min(8, 'each key: at least 8 characters'), source: z.enum(SOURCES) }))),
  // MQTT devices (issue #15): an embedded broker on MQTT_PORT, or MQTT_URL's broker subscribed to (docs/API.md)
  MQTT: flag.default(true),
  MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  MQTT_HOST: z.string().min(1).optional(),
  MQTT_URL: z.string().regex(/^(mqtts?|wss?|tcp|ssl):\/\/./, 'mqtt://host:port (or mqtts://, ws://, wss://)').optional(),
  MQTT_CLIENT_ID: z.string().min(1).max(64).optional(),
  // hardening (issue #14): origins (scheme://host[:port]) whose pages may open a socket besides the server's own
  ALLOWED_ORIGINS: z.string().default('')
    .transform(v => v.split(',').map(o => o.trim()).filter(Boolean))
    .pipe(z.array(z.url().transform(u => new URL(u).origin))),
  // how far from the server's clock a report's reportedAt may lie: days back, minutes ahead
  REPORTED_AT_MAX_AGE_DAYS: z.coerce.number().positive().max(36_500).default(365),
  REPORTED_AT_MAX_AHEAD_MIN: z.coerce.number().min(0).max(24 * 60).default(5),
  // expensive admin operations (reloads): at most one running, and at most this many per minute
  ADMIN_OPS_PER_MIN: z.coerce.number().int().min(1).max(600).default(6),
  // users and sessions (issue #14, docs/SECURITY.md)
  ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').max(256).optional(),
  SESSION_IDLE_MIN: z.coerce.number().int().min(1).max(7 * 24 * 60).default(480),
  SESSION_MAX_HOURS: z.coerce.number().positive().max(90 * 24).default(24),
  LOGIN_FAILURES_PER_USER: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
  LOGIN_THROTTLE_WINDOW_MIN: z.coerce.number().int().min(1).max(24 * 60).default(15),
  API_KEY_RATE_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  // scrypt's cost (a power of two); stored with each hash, so raising it later keeps old passwords valid
  AUTH_SCRYPT_N: z.coerce.number().int().min(1024).max(2 ** 20).refine(n => (n & (n - 1)) === 0, 'a power of two').default(2 ** 15),
  // the session cookie's Secure flag: auto = when the request came over HTTPS (behind a proxy: set 1)
  SESSION_COOKIE_SECURE: z.enum(['auto', '1', '0']).default('auto'),
})

export interface AppConfig {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly city: string
  /** `rate` multiplies the realistic report rate (load and soak tests); `speed` multiplies time. */
  readonly simulator: { readonly enabled: boolean, readonly seed: number, readonly speed: number, readonly rate: number }
  readonly logLevel: LogLevel
  /** Built client to serve; null serves the API only. */
  readonly staticDir: string | null
  readonly basemapStyleUrl: string | null
  /** A PMTiles archive the server serves to the map (null: none; the style URL, or the offline style, is used). */
  readonly basemapPmtiles: string | null
  /** Duplicate proposals and burst alarms (issue #3): distances in metres, windows in minutes. */
  readonly rules: {
    readonly duplicate: { readonly radiusM: number, readonly windowMinutes: number }
    readonly burst: { readonly threshold: number, readonly windowMinutes: number }
  }
  /** Greenway network and facility files (null: the city's demo files when present), service circle, crowding alarm. */
  readonly greenway: GreenwayConfig
  /** Office hours (minutes after local midnight) and the folder of official schedule files (null: DATA_DIR/calendar). */
  readonly calendar: CalendarConfig
  /** Ingest admission (issue #13): requests in flight, and event-loop lateness (ms), beyond which ingest gets 429. */
  readonly ingestAdmission: { readonly maxInFlightRequests: number, readonly maxEventLoopDelayMs: number }
  /** The read pool (issue #13): worker threads (null: the store's default) and how many reads may wait for one. */
  readonly reads: { readonly workers: number | null, readonly maxQueue: number }
  /** Incidents written by the store's writer thread (WRITER_THREAD). */
  readonly writerThread: boolean
  /** Analytics shedding (issue #13): event-loop lateness (ms) and ingested events awaiting commit beyond which they get 503. */
  readonly analyticsShedding: { readonly maxEventLoopDelayMs: number, readonly maxIngestBacklog: number }
  /** Identical analytics reads arriving within this many ms of an answer's start share it (0: never). */
  readonly analyticsShareMs: number
  /** Worker threads for parsing, validating and locating ingest batches (0: on the main thread). */
  readonly ingestWorkers: number
  /** Open311 API keys (none: POST requests is refused); the access issue (#14) will replace this list. */
  readonly open311: { readonly apiKeys: readonly Open311Key[] }
  /** MQTT devices (issue #15): off, or the embedded broker's port/host, or an external broker's URL and our client id there. */
  readonly mqtt: { readonly enabled: boolean } & MqttConfig
  /** Hardening (issue #14, docs/SECURITY.md). */
  readonly security: {
    /** Origins besides the server's own whose pages may open a socket (Socket.IO handshake `Origin`). */
    readonly allowedOrigins: readonly string[]
    /** reportedAt must lie within [now − backMs, now + aheadMs] of the app's clock (live ingest; the seed is exempt). */
    readonly reportedAtWindow: ReportedAtWindow
    /** Reloads and other expensive admin operations: one at a time, at most this many a minute. */
    readonly adminOpsPerMinute: number
  }
  /** Users, sessions, login throttle and API keys (issue #14, server/auth/). */
  readonly auth: AuthConfig
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const lines = issuesToDetails(parsed.error).map(d => `  ${d.path}: ${d.message}`)
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    city: e.CITY,
    simulator: Object.freeze({ enabled: e.SIMULATOR, seed: e.SIM_SEED, speed: e.SIM_SPEED, rate: e.SIM_RATE }),
    logLevel: e.LOG_LEVEL,
    staticDir: e.STATIC_DIR,
    basemapStyleUrl: e.BASEMAP_STYLE_URL ?? null,
    basemapPmtiles: e.BASEMAP_PMTILES ?? null,
    rules: Object.freeze({
      duplicate: Object.freeze({ radiusM: e.DUPLICATE_RADIUS_M, windowMinutes: e.DUPLICATE_WINDOW_MIN }),
      burst: Object.freeze({ threshold: e.BURST_THRESHOLD, windowMinutes: e.BURST_WINDOW_MIN }),
    }),
    greenway: Object.freeze({
      networkFile: e.GREENWAY_FILE ?? null,
      facilitiesFile: e.FACILITIES_FILE ?? null,
      serviceRadiusM: e.SERVICE_RADIUS_M,
      requiredTypes: Object.freeze([...new Set(e.SERVICE_TYPES)]),
      crowding: Object.freeze({ threshold: e.CROWDING_THRESHOLD, windowMinutes: e.CROWDING_WINDOW_MIN }),
    }),
    calendar: Object.freeze({ officeHours: e.OFFICE_HOURS, dir: e.CALENDAR_DIR ?? null }),
    ingestAdmission: Object.freeze({ maxInFlightRequests: e.INGEST_MAX_IN_FLIGHT, maxEventLoopDelayMs: e.INGEST_MAX_LOOP_DELAY_MS }),
    reads: Object.freeze({ workers: e.READ_WORKERS ?? null, maxQueue: e.READ_QUEUE }),
    writerThread: e.WRITER_THREAD,
    analyticsShedding: Object.freeze({ maxEventLoopDelayMs: e.ANALYTICS_MAX_LOOP_DELAY_MS, maxIngestBacklog: e.ANALYTICS_MAX_INGEST_BACKLOG }),
    analyticsShareMs: e.ANALYTICS_SHARE_MS,
    ingestWorkers: e.INGEST_WORKERS,
    open311: Object.freeze({ apiKeys: Object.freeze(e.OPEN311_API_KEYS.map(k => Object.freeze(k))) }),
    mqtt: Object.freeze({ enabled: e.MQTT, port: e.MQTT_PORT, host: e.MQTT_HOST ?? e.HOST, url: e.MQTT_URL ?? null, clientId: e.MQTT_CLIENT_ID ?? `citybrain-${e.CITY}` }),
    security: Object.freeze({
      allowedOrigins: Object.freeze([...new Set(e.ALLOWED_ORIGINS)]),
      reportedAtWindow: Object.freeze({ backMs: e.REPORTED_AT_MAX_AGE_DAYS * 86_400_000, aheadMs: e.REPORTED_AT_MAX_AHEAD_MIN * 60_000 }),
      adminOpsPerMinute: e.ADMIN_OPS_PER_MIN,
    }),
    auth: Object.freeze({
      adminPassword: e.ADMIN_PASSWORD ?? null,
      sessionIdleMinutes: e.SESSION_IDLE_MIN,
      sessionMaxHours: e.SESSION_MAX_HOURS,
      loginThrottle: Object.freeze({ perUser: e.LOGIN_FAILURES_PER_USER, perIp: e.LOGIN_FAILURES_PER_IP, windowMinutes: e.LOGIN_THROTTLE_WINDOW_MIN }),
      apiKeyRatePerMin: e.API_KEY_RATE_PER_MIN,
      scryptN: e.AUTH_SCRYPT_N,
      cookieSecure: e.SESSION_COOKIE_SECURE === 'auto' ? 'auto' as const : e.SESSION_COOKIE_SECURE === '1',
    }),
  })
}

/** Defaults for tests and embedding: everything overridable (MQTT off: a test that wants it sets a port, e.g. 0). */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const base = loadConfig({})
  // no analytics shedding unless a test asks for it (deps.shedding): a test's own synchronous set-up (a seed) makes
  // the loop late, and its next request must not depend on how busy the machine was
  const analyticsShedding = { maxEventLoopDelayMs: 60_000, maxIngestBacklog: 10_000_000 }
  // nor ingest refusals for a late loop (overload.test.ts asks for them through deps.admission): on a loaded machine the
  // loop runs > 2 s late at times, and a test's POST answered 429 then is not what the test is about (issue #12, item 6)
  const ingestAdmission = { ...base.ingestAdmission, maxEventLoopDelayMs: 60_000 }
  // nor shared answers (share-answers.test.ts asks for them): a test reads what it just wrote
  const analyticsShareMs = 0
  // tests hash with a cheap scrypt (hashes carry their parameters, so nothing else differs)
  return Object.freeze({ ...base, simulator: { enabled: false, seed: 1, speed: 1, rate: 1 }, logLevel: 'silent', staticDir: null, analyticsShedding, analyticsShareMs, ingestAdmission, auth: { ...base.auth, scryptN: 1024 }, mqtt: { ...base.mqtt, enabled: false, port: 0, host: '127.0.0.1' }, ...overrides })
}
