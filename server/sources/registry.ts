import type { Source } from '../../shared/enums.js'
import type { SourceKind, SourceView, SourcesResponse } from '../../shared/sources.js'
import { RateWindow } from './rate-window.js'

/** What a source is, as whoever knows it registers it (the device registry, the key store, config, the app). */
export interface SourceInfo {
  id: string
  kind: SourceKind
  label: string
  scope?: string | null
  channel?: Source | null
  /** Devices: offline when silent longer than this (ms on the app's clock). */
  expectedIntervalMs?: number | null
  /** A place to point at when the source raises an alarm (a device's site). */
  lon?: number
  lat?: number
}

/** A source went offline or came back: `at` is when (for a silence: the moment its interval ran out). */
export interface SourceTransition {
  source: Readonly<SourceInfo>
  online: boolean
  at: number
  reason: 'status' | 'silent' | 'heard'
}

interface Entry {
  info: SourceInfo
  /** false: first heard of by a message (an unknown device id, a channel a bare POST named). */
  registered: boolean
  window: RateWindow
  accepted: number
  rejected: number
  rejects: Map<string, number>
  lastSeen: number | null
  /** Silence is timed from here: the last message, or registration for a device never heard from. */
  silentFrom: number | null
  offlineSince: number | null
  offlineReason: 'status' | 'silent' | null
}

export interface RegistryOptions {
  windowMs?: number
  /** Sources first heard of by a message, not registered: beyond this many, they are counted as `<kind>:other`. */
  maxUnregistered?: number
}

const KIND_OF_PREFIX: Record<string, SourceKind> = { device: 'device', api_key: 'api_key', open311: 'open311', simulator: 'simulator', http: 'http' }

/** `device:wl-01` → device; anything without a known prefix counts as http. */
export function kindOfId(id: string): SourceKind {
  return KIND_OF_PREFIX[id.split(':', 1)[0]!] ?? 'http'
}

/**
 * Every source the city has, with what it sent: messages per minute over a sliding window, rejections by reason,
 * last seen, online/offline. In memory only (cheap to update at thousands of messages a second; counts restart
 * with the server). Offline is a transition, reported once per outage to `onTransition` listeners (the 设备离线
 * alarm), whether the source said so or fell silent past its expected interval (`sweep`).
 */
export class SourceRegistry {
  private readonly entries = new Map<string, Entry>()
  private readonly listeners: ((t: SourceTransition) => void)[] = []
  private unregistered = 0
  private readonly windowMs: number
  private readonly maxUnregistered: number

  constructor(private readonly now: () => number, opts: RegistryOptions = {}) {
    this.windowMs = opts.windowMs ?? 60_000
    this.maxUnregistered = opts.maxUnregistered ?? 1_000
  }

  onTransition(listener: (t: SourceTransition) => void): void {
    this.listeners.push(listener)
  }

  /** Adds or updates a source; its counts survive an update. A newly registered device's silence is timed from now. */
  register(info: SourceInfo): void {
    const e = this.entries.get(info.id)
    if (e) {
      e.info = { ...info }
      e.registered = true
      if (info.expectedIntervalMs && e.silentFrom === null) e.silentFrom = this.now()
      return
    }
    this.entries.set(info.id, this.blank({ ...info }, true))
  }

  unregister(id: string): void {
    this.entries.delete(id)
  }

  has(id: string): boolean {
    return this.entries.has(id)
  }

  /** `n` messages from `id` were accepted (stored, or acknowledged as a duplicate). */
  accepted(id: string, n = 1): void {
    if (n <= 0) return
    const e = this.entry(id)
    const at = this.now()
    e.window.add(at, n)
    e.accepted += n
    this.heard(e, at)
  }

  /** `n` messages from `id` were refused for `reason` (`schema:<field>`, `unknown-device`, `acl`, `rate-limit` …). */
  rejected(id: string, reason: string, n = 1): void {
    if (n <= 0) return
    const e = this.entry(id)
    const at = this.now()
    e.window.add(at, n)
    e.rejected += n
    e.rejects.set(reason, (e.rejects.get(reason) ?? 0) + n)
    // a malformed message still proves the device is alive: it is heard, and counted against it
    this.heard(e, at)
  }

  /** An explicit status: a device's status topic or the broker's last will, the simulator starting or stopping. */
  status(id: string, online: boolean): void {
    const e = this.entry(id)
    const at = this.now()
    if (online) return this.heard(e, at)
    e.lastSeen = at
    this.goOffline(e, at, 'status')
  }

  /** Marks the sources silent past their expected interval offline; returns how many went offline now. */
  sweep(): number {
    const now = this.now()
    let n = 0
    for (const e of this.entries.values()) {
      const interval = e.info.expectedIntervalMs
      if (!interval || e.offlineSince !== null || e.silentFrom === null) continue
      const due = e.silentFrom + interval
      if (now > due) {
        this.goOffline(e, due, 'silent')
        n++
      }
    }
    return n
  }

  /**
   * An outage the store still has open from before a restart (its 设备离线 alarm): the source starts offline, so
   * being heard again is a transition that resolves it. No transition is reported for this.
   */
  restoreOutage(id: string, sinceMs: number): void {
    const e = this.entries.get(id)
    if (!e || e.offlineSince !== null) return
    e.offlineSince = sinceMs
    e.offlineReason = 'silent'
  }

  view(id: string): SourceView | null {
    const e = this.entries.get(id)
    return e ? this.toView(e, this.now()) : null
  }

  list(): SourcesResponse {
    const now = this.now()
    const sources = [...this.entries.values()].map(e => this.toView(e, now)).sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id))
    return { now: new Date(now).toISOString(), windowSec: this.windowMs / 1000, sources }
  }

  private blank(info: SourceInfo, registered: boolean): Entry {
    // a registered device is given its interval from registration: one never heard from goes offline too
    const silentFrom = info.expectedIntervalMs ? this.now() : null
    return { info, registered, window: new RateWindow(this.windowMs), accepted: 0, rejected: 0, rejects: new Map(), lastSeen: null, silentFrom, offlineSince: null, offlineReason: null }
  }

  private entry(id: string): Entry {
    const known = this.entries.get(id)
    if (known) return known
    const kind = kindOfId(id)
    // ids a sender chose (an unknown device id) must not grow this map without bound
    const key = this.unregistered < this.maxUnregistered ? id : `${kind}:other`
    const e = this.entries.get(key) ?? this.blank({ id: key, kind, label: key.slice(kind.length + 1) || kind }, false)
    if (!this.entries.has(key)) {
      this.entries.set(key, e)
      this.unregistered++
    }
    return e
  }

  private heard(e: Entry, at: number): void {
    e.lastSeen = at
    e.silentFrom = at
    if (e.offlineSince === null) return
    e.offlineSince = null
    e.offlineReason = null
    this.emit({ source: e.info, online: true, at, reason: 'heard' })
  }

  private goOffline(e: Entry, at: number, reason: 'status' | 'silent'): void {
    if (e.offlineSince !== null) return // one outage, one transition
    e.offlineSince = at
    e.offlineReason = reason
    this.emit({ source: e.info, online: false, at, reason })
  }

  private emit(t: SourceTransition): void {
    for (const l of this.listeners) l(t)
  }

  private toView(e: Entry, now: number): SourceView {
    const { info } = e
    // an unregistered device id is not a device we know: no online state to claim for it
    const connects = e.registered && (info.kind === 'device' || info.kind === 'simulator' || !!info.expectedIntervalMs)
    return {
      id: info.id,
      kind: info.kind,
      label: info.label,
      registered: e.registered,
      scope: info.scope ?? null,
      channel: info.channel ?? null,
      expectedIntervalSec: info.expectedIntervalMs ? Math.round(info.expectedIntervalMs / 1000) : null,
      messagesPerMin: Math.round(e.window.total(now) * 60_000 / this.windowMs),
      accepted: e.accepted,
      rejected: e.rejected,
      rejects: Object.fromEntries(e.rejects),
      lastSeenAt: e.lastSeen === null ? null : new Date(e.lastSeen).toISOString(),
      // a device never heard from is not online (and not yet in an outage: no alarm until its interval runs out)
      online: connects ? e.offlineSince === null && e.lastSeen !== null : null,
      offlineSince: e.offlineSince === null ? null : new Date(e.offlineSince).toISOString(),
      offlineReason: e.offlineReason,
    }
  }
}
