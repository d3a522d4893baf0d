import { parseArgs } from 'node:util'
import type { DeviceStore } from '../store/repository.js'
import { DEVICE_KIND_NAMES } from '../sources/mqtt/device-kinds.js'
import { createDeviceRegistry, DEFAULT_INTERVAL_S, DeviceError } from '../sources/mqtt/device-registry.js'

export interface DeviceCommandContext {
  repo: DeviceStore
  /** Standard output and standard error, one line each call. */
  out: (line: string) => void
  err: (line: string) => void
  now?: () => number
}

export const DEVICE_USAGE = `usage:
  device add <deviceId> --kind <${DEVICE_KIND_NAMES.join('|')}> --scope <city|district:<code>|street:<code>>
             [--interval <seconds, default ${DEFAULT_INTERVAL_S}>] [--lon <lon> --lat <lat>] [--segment <greenway segment id>]
  device list
  device disable <deviceId>`

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v))

/**
 * `npm run user -- device …` (issue #15): registers MQTT devices. `add` prints the generated password once — it is
 * stored only as a scrypt hash. Resolves to the exit code. The caller opens (and closes) the store.
 */
export async function deviceCommand(args: readonly string[], ctx: DeviceCommandContext): Promise<number> {
  const registry = createDeviceRegistry(ctx.repo, ctx.now)
  const [sub, ...rest] = args
  try {
    if (sub === 'add') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: { kind: { type: 'string' }, scope: { type: 'string' }, interval: { type: 'string' }, lon: { type: 'string' }, lat: { type: 'string' }, segment: { type: 'string' } },
      })
      const [id] = positionals
      if (!id || !values.kind || !values.scope || positionals.length > 1) throw new DeviceError('add: <deviceId>, --kind and --scope are required')
      const { device, password } = await registry.add({
        id, kind: values.kind, scope: values.scope,
        ...(values.interval !== undefined && { intervalS: num(values.interval)! }),
        ...(values.lon !== undefined && { lon: num(values.lon)! }), ...(values.lat !== undefined && { lat: num(values.lat)! }),
        ...(values.segment !== undefined && { segment: values.segment }),
      })
      ctx.out(`device ${device.id} registered (${device.kind}, ${device.scope}, reports every ${device.intervalS} s)`)
      ctx.out(`MQTT username: ${device.id}`)
      ctx.out(`MQTT password: ${password}`)
      ctx.out('The password is shown only now; it is stored hashed. Lost: disable this device and add a new one.')
      return 0
    }
    if (sub === 'list' && rest.length === 0) {
      const devices = await registry.list()
      if (devices.length === 0) ctx.out('no devices registered')
      for (const d of devices) {
        const where = d.lon !== undefined ? ` at ${d.lon},${d.lat}` : ''
        ctx.out(`${d.id}\t${d.kind}\t${d.scope}\tevery ${d.intervalS} s${where}${d.segment ? ` segment ${d.segment}` : ''}\t${d.disabledAt ? `disabled ${d.disabledAt}` : 'enabled'}`)
      }
      return 0
    }
    if (sub === 'disable' && rest.length === 1) {
      const device = await registry.disable(rest[0]!)
      if (!device) throw new DeviceError(`disable: no device "${rest[0]}"`)
      ctx.out(`device ${device.id} disabled (${device.disabledAt}); it can no longer log in`)
      return 0
    }
    ctx.err(DEVICE_USAGE)
    return 2
  } catch (err) {
    if (!(err instanceof DeviceError) && !(err instanceof TypeError)) throw err
    ctx.err(err.message)
    if (err instanceof TypeError) ctx.err(DEVICE_USAGE) // parseArgs: an unknown or incomplete option
    return 2
  }
}
