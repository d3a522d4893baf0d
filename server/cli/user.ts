/**
 * `npm run user -- <command> …`: users, roles, passwords and API keys on DATA_DIR's database (the subcommands:
 * server/cli/user-commands.ts; `npm run user -- help`). Safe while the server runs: each change is one SQLite
 * write, and a revoked session stops working at the server's next request (its sockets within 30 s).
 */
import path from 'node:path'
import { ConfigError, loadConfig } from '../config.js'
import { loadCityGeo } from '../geo/city-geo.js'
import { AuthInputError } from '../auth/errors.js'
import { createAuth } from '../auth/index.js'
import { parseScope } from '../../shared/scope.js'
import { authQueries } from '../store/sqlite/auth-queries.js'
import { deviceQueries } from '../store/sqlite/device-queries.js'
import { openDatabase } from '../store/sqlite/sqlite-repository.js'
import { COMMANDS } from './user-commands.js'

export function usage(): string {
  return `usage: npm run user -- <command>\n  ${Object.values(COMMANDS).map(c => c.usage).join('\n  ')}`
}

/** Runs one command; resolves to the exit code. Only the auth tables are opened (no rollups, no server state). */
export async function runUserCli(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void, readStdin: () => Promise<string>): Promise<number> {
  const command = COMMANDS[argv[0] ?? '']
  if (!command) {
    err(usage())
    return argv[0] === 'help' || argv[0] === undefined ? 0 : 2
  }
  const config = loadConfig(env)
  const geo = loadCityGeo(config.city)
  const scopeExists = (scope: string) => {
    const p = parseScope(scope)
    return p !== null && (p.level === 'city' || geo.units.get(p.code!)?.level === p.level)
  }
  const db = openDatabase(config.dataDir === ':memory:' ? ':memory:' : path.join(config.dataDir, 'citybrain.sqlite'))
  try {
    const auth = createAuth({ store: authQueries(db), config: config.auth, now: Date.now, scopeExists, onSessionsRevoked: () => {} })
    await command.run(argv.slice(1), { auth, devices: deviceQueries(db), out, err, readStdin })
    return 0
  } catch (e) {
    if (e instanceof AuthInputError) {
      err(e.message)
      return e.status === 404 ? 3 : 2
    }
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`${(e as Error).message}\n${command.usage}`)
      return 2
    }
    throw e
  } finally {
    db.close()
  }
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runUserCli(process.argv.slice(2), process.env, l => process.stdout.write(`${l}\n`), l => process.stderr.write(`${l}\n`), readAll)
    .then(code => process.exit(code), (e: unknown) => {
      process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `fatal: ${(e as Error)?.stack ?? String(e)}\n`)
      process.exit(1)
    })
}
