import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deviceCommand } from '../../server/cli/device-command.js'
import { verifyPassword } from '../../server/sources/mqtt/passwords.js'
import type { IncidentRepository } from '../../server/store/repository.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'

describe('npm run user -- device …', () => {
  let repo: IncidentRepository
  let out: string[]
  let err: string[]
  const run = (...args: string[]) => deviceCommand(args, { repo, out: l => out.push(l), err: l => err.push(l), now: () => Date.parse('2026-12-07T06:00:00Z') })
  beforeEach(() => {
    repo = createSqliteRepository({ dataDir: ':memory:' })
    out = []
    err = []
  })
  afterEach(() => repo.close())

  it('adds a device, prints its password once and stores only a scrypt hash of it', async () => {
    expect(await run('add', 'wl-0001', '--kind', 'water-level', '--scope', 'district:510104', '--lon', '104.08', '--lat', '30.65', '--interval', '60')).toBe(0)
    const password = out.find(l => l.startsWith('MQTT password: '))!.slice('MQTT password: '.length)
    expect(password).toMatch(/^[\w-]{24}$/)
    const stored = await repo.deviceWithHash('wl-0001')
    expect(stored?.device).toMatchObject({ kind: 'water-level', scope: 'district:510104', intervalS: 60, lon: 104.08, lat: 30.65 })
    expect(stored?.passwordHash).toMatch(/^scrypt\$/)
    expect(stored?.passwordHash).not.toContain(password)
    expect(await verifyPassword(password, stored!.passwordHash)).toBe(true)

    out = []
    expect(await run('list')).toBe(0)
    expect(out).toEqual([expect.stringMatching(/^wl-0001\twater-level\tdistrict:510104\tevery 60 s at 104.08,30.65\tenabled$/)])
    expect(out.join('\n')).not.toContain(password)
  })

  it('disables a device', async () => {
    await run('add', 'gas-1', '--kind', 'gas', '--scope', 'city')
    expect(await run('disable', 'gas-1')).toBe(0)
    expect((await repo.deviceWithHash('gas-1'))?.device.disabledAt).toBe('2026-12-07T06:00:00.000Z')
    expect(await run('disable', 'nope')).toBe(2)
    expect(err).toEqual(['disable: no device "nope"'])
  })

  it('names what is wrong and exits 2', async () => {
    expect(await run('add', 'x/1', '--kind', 'gas', '--scope', 'city')).toBe(2)
    expect(await run('add', 'x1', '--kind', 'toaster', '--scope', 'city')).toBe(2)
    expect(await run('add', 'x1', '--kind', 'gas', '--scope', 'province')).toBe(2)
    expect(await run('add', 'x1', '--kind', 'gas')).toBe(2)
    expect(await run('add', 'x1', '--kind', 'gas', '--scope', 'city', '--colour', 'red')).toBe(2)
    expect(await run('frobnicate')).toBe(2)
    expect(err.slice(0, 3)).toEqual([
      expect.stringMatching(/^deviceId: /), expect.stringMatching(/^kind: one of water-level, manhole, gas, camera, footfall-counter/), expect.stringMatching(/^scope: /),
    ])
    await run('add', 'x1', '--kind', 'gas', '--scope', 'city')
    expect(await run('add', 'x1', '--kind', 'gas', '--scope', 'city')).toBe(2)
    expect(err.at(-1)).toBe('deviceId: "x1" is already registered')
    expect(await repo.listDevices()).toHaveLength(1)
  })
})
