import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runUserCli } from '../../server/cli/user.js'

// `npm run user -- device …` (issue #15): the device subcommand lives in the one user CLI, on DATA_DIR's database
const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-cli-device-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runUserCli(argv, { DATA_DIR: dir }, l => out.push(l), l => err.push(l), async () => '')
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('npm run user -- device', () => {
  it('adds a device, printing its password once, and lists it', async () => {
    const added = await run('device', 'add', 'wl-001', '--kind', 'water-level', '--scope', 'district:510104')
    expect(added.code).toBe(0)
    expect(added.out).toMatch(/MQTT password: \S{16,}/)
    const listed = await run('device', 'list')
    expect(listed.out).toMatch(/wl-001\twater-level\tdistrict:510104/)
    expect(listed.out).not.toMatch(/password/i)
  })

  it('refuses an incomplete add with exit code 2 and says why', async () => {
    const bad = await run('device', 'add')
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/--kind and --scope are required/)
  })
})
