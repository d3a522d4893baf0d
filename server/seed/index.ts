/**
 * `npm run seed -- --days 365 [--seed 20261124] [--end 2026-11-29T00:00:00+08:00]`: a deterministic history of
 * simulated incidents in DATA_DIR (see server/seed/history.ts). Stop the server on that DATA_DIR first: one process
 * writes the database. Progress on stderr (a bar on a terminal, a line per 10 % otherwise).
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createAnalysis, ANALYSIS_SNAPSHOT } from '../analysis/index.js'
import { CalendarFileError, loadConfiguredCalendar } from '../calendar/index.js'
import { ConfigError, loadConfig } from '../config.js'
import { loadCityGeo } from '../geo/city-geo.js'
import { createSqliteRepository } from '../store/sqlite/sqlite-repository.js'
import { type SeedProgress, seedHistory, seedKey } from './history.js'

const MINUTE = 60_000
const USAGE = 'usage: npm run seed -- [--days N (1–1100, default 365)] [--seed N] [--end ISO-8601 instant (default: now, to the minute)]'

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

function progressPrinter(): (p: SeedProgress) => void {
  const tty = process.stderr.isTTY
  const started = performance.now()
  let lastTenth = -1
  return (p) => {
    const share = (p.doneMs - p.fromMs) / (p.toMs - p.fromMs)
    const seconds = (performance.now() - started) / 1000
    const rate = p.stored / Math.max(seconds, 1e-3)
    const eta = share > 0 ? seconds * (1 - share) / share : 0
    const text = `${(share * 100).toFixed(1).padStart(5)}% · ${new Date(p.doneMs).toISOString().slice(0, 10)} · ${p.stored.toLocaleString('en-US')} incidents · ${Math.round(rate).toLocaleString('en-US')}/s · ETA ${Math.round(eta)} s`
    if (tty) {
      const width = 30
      const filled = Math.round(share * width)
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}   `)
      if (share >= 1) process.stderr.write('\n')
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10)
      process.stderr.write(`seed: ${text}\n`)
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { days: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' } }, strict: true })
  const config = loadConfig()
  const days = Number(values.days ?? 365)
  if (!Number.isInteger(days) || days < 1 || days > 1100) fail(`--days: expected a whole number of days from 1 to 1100, got ${values.days}`)
  const seed = values.seed === undefined ? config.simulator.seed : Number(values.seed)
  if (!Number.isInteger(seed)) fail(`--seed: expected an integer, got ${values.seed}`)
  const endParsed = values.end === undefined ? Math.floor(Date.now() / MINUTE) * MINUTE : Date.parse(values.end)
  if (Number.isNaN(endParsed)) fail(`--end: expected an ISO 8601 instant, got ${values.end}`)

  try {
    // deadlines of the history count the configured office hours and holiday files, like the server's
    loadConfiguredCalendar(config, (msg, data) => process.stderr.write(`seed: ${msg} ${JSON.stringify(data)}\n`))
  } catch (err) {
    if (err instanceof CalendarFileError) fail(err.message)
    throw err
  }
  const geo = loadCityGeo(config.city)
  const repo = createSqliteRepository({ dataDir: config.dataDir, cacheMb: 512, bulk: true })
  let open = true
  const close = async () => {
    if (open) await repo.close()
    open = false
  }
  // resuming an interrupted run keeps its range, whatever "now" is today
  const previous = await repo.historyCheckpoint(seedKey(seed))
  const saved = previous ? JSON.parse(previous.params) as { fromMs: number, toMs: number, city: string } : null
  const resume = saved !== null && values.end === undefined && values.days === undefined && saved.city === geo.info.id
  const toMs = resume ? saved.toMs : endParsed
  const fromMs = resume ? saved.fromMs : toMs - days * 86_400_000
  process.stderr.write(`seed ${seed}: ${geo.info.name}, reports from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} into ${config.dataDir}\n`)
  try {
    const outcome = await seedHistory({ geo, repo, seed, fromMs, toMs, duplicateRule: config.rules.duplicate, worker: true, onProgress: progressPrinter(),
      onBuilt: (name, ms, left) => process.stderr.write(`seed: built ${name} in ${(ms / 1000).toFixed(1)} s${left > 0 ? ` (${left} to go)` : ''}\n`) })
    switch (outcome.kind) {
      case 'refused':
        process.stderr.write(`seed: refused: ${outcome.reason}\n`)
        process.exitCode = 1
        return
      case 'already-seeded':
        process.stderr.write(`seed: already done (${outcome.rows.toLocaleString('en-US')} incidents); nothing to do\n`)
        return
      case 'seeded': {
        // the drill-down's cube, written where the server reads it at its first start (else it reads the rollup table
        // for a while: ~13 s for a year)
        const t0 = performance.now()
        const drill = await createAnalysis({ geo, repo, now: Date.now, snapshotFile: path.join(config.dataDir, ANALYSIS_SNAPSHOT) })
        await drill.warm
        await drill.close()
        process.stderr.write(`seed: drill-down cube of ${drill.cube.rows.toLocaleString('en-US')} rows written for the server's first start in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
        await close() // checkpoints the WAL into the file measured below
        const mb = Math.round(statSync(path.join(config.dataDir, 'citybrain.sqlite')).size / 1e6)
        const s = outcome.ms / 1000
        process.stderr.write(`seed: ${outcome.stored.toLocaleString('en-US')} incidents and ${outcome.events.toLocaleString('en-US')} workflow steps in ${s.toFixed(1)} s`
          + ` (${Math.round(outcome.stored / s).toLocaleString('en-US')} incidents/s; rows written in ${(outcome.writtenMs / 1000).toFixed(1)} s, indexes and rollups built in ${((outcome.ms - outcome.writtenMs) / 1000).toFixed(1)} s)${outcome.resumedFromMs === null ? '' : `, resumed from ${new Date(outcome.resumedFromMs).toISOString()}`}`
          + `; ${outcome.rejected} rejected; database ${mb.toLocaleString('en-US')} MB\n`)
      }
    }
  } finally {
    await close()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `seed failed: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exit(1)
})
