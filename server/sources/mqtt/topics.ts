/** What a device publishes under its own prefix `city/{cityCode}/device/{deviceId}/`. */
export const CHANNELS = ['event', 'reading', 'status'] as const
export type Channel = typeof CHANNELS[number]

export function devicePrefix(cityCode: string, deviceId: string): string {
  return `city/${cityCode}/device/${deviceId}/`
}

/** What the server subscribes to on an external broker (QoS 1). */
export function allDevicesFilter(cityCode: string): string {
  return `city/${cityCode}/device/+/+`
}

export type ParsedTopic = { ok: true, deviceId: string, channel: Channel } | { ok: false, deviceId: string | null }

/** `city/{cityCode}/device/{deviceId}/{event|reading|status}`; anything else is not ours (deviceId kept for counting). */
export function parseTopic(cityCode: string, topic: string): ParsedTopic {
  const parts = topic.split('/')
  const deviceId = parts[0] === 'city' && parts[2] === 'device' && parts[3] ? parts[3] : null
  if (parts.length !== 5 || parts[1] !== cityCode || !deviceId) return { ok: false, deviceId }
  const channel = parts[4] as Channel
  return CHANNELS.includes(channel) ? { ok: true, deviceId, channel } : { ok: false, deviceId }
}

/** A subscription a device may make: only topic filters inside its own prefix (no wildcard reaches another's). */
export function mayDeviceSubscribe(cityCode: string, deviceId: string, filter: string): boolean {
  const prefix = devicePrefix(cityCode, deviceId)
  return filter.startsWith(prefix) || filter === prefix.slice(0, -1)
}
