import { parseArgs } from 'node:util'
import { ROLES } from '../../shared/access.js'
import { SOURCES } from '../../shared/enums.js'
import { AuthInputError } from '../auth/errors.js'
import type { Auth } from '../auth/index.js'
import { randomPassword } from '../auth/passwords.js'
import type { DeviceStore } from '../store/repository.js'
import { DEVICE_USAGE, deviceCommand } from './device-command.js'

/** What a subcommand gets: the auth services on DATA_DIR, a printer, and stdin's text (for --password-stdin). */
export interface CliContext {
  auth: Auth
  /** The MQTT device registry's tables (issue #15). */
  devices: DeviceStore
  err: (line: string) => void
  out: (line: string) => void
  readStdin: () => Promise<string>
}

export interface Command {
  usage: string
  run: (args: string[], ctx: CliContext) => Promise<void>
}

/** Recorded as the actor of every change made from the command line. */
const CLI_ACTOR = 'system:cli'

const parse = (args: string[], options: Record<string, { type: 'string' | 'boolean' }>) => parseArgs({ args, options, allowPositionals: true, strict: true })

/** A string option's value (parseArgs types every option of a table entry as string | boolean). */
const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined)

function need(value: string | boolean | undefined, what: string): string {
  if (typeof value !== 'string') value = undefined
  if (!value) throw new AuthInputError([{ path: what, message: `${what}: required` }])
  return value
}

/** A password from stdin (first line) with --password-stdin, else a random one printed once. */
async function newPassword(values: { 'password-stdin'?: string | boolean }, ctx: CliContext): Promise<{ password: string, generated: boolean }> {
  if (values['password-stdin'] === true) return { password: (await ctx.readStdin()).split(/\r?\n/)[0] ?? '', generated: false }
  return { password: randomPassword(), generated: true }
}

const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => [...(r[i] ?? '')].length)))
  return rows.map(r => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())
}

const keyCommands: Record<string, Command> = {
  add: {
    usage: `key add <name> --sources ${SOURCES.join(',')} [--scope city|district:<code>|street:<code>] [--rate <reports a minute>]`,
    async run(args, ctx) {
      const { values, positionals } = parse(args, { sources: { type: 'string' }, scope: { type: 'string' }, rate: { type: 'string' } })
      const key = await ctx.auth.keys.create({
        name: need(positionals[0], 'name'),
        sources: need(values.sources, 'sources').split(',').map(s => s.trim()).filter(Boolean),
        ...(str(values.scope) && { scope: str(values.scope) }),
        ...(str(values.rate) && { ratePerMin: Number(values.rate) }),
      }, CLI_ACTOR)
      ctx.out(`key ${key.id} for ${key.name}: sources ${key.sources.join(',')}, scope ${key.scope}, ${key.ratePerMin} reports a minute`)
      ctx.out(`token (shown once, stored only hashed): ${key.token}`)
    },
  },
  list: {
    usage: 'key list',
    async run(_args, ctx) {
      const keys = await ctx.auth.keys.list()
      ctx.out(table([['ID', 'NAME', 'SOURCES', 'SCOPE', 'RATE/MIN', 'CREATED', 'REVOKED'], ...keys.map(k => [k.id, k.name, k.sources.join(','), k.scope, String(k.ratePerMin), k.createdAt, k.revokedAt ?? ''])]).join('\n'))
    },
  },
  revoke: {
    usage: 'key revoke <id>',
    async run(args, ctx) {
      const id = need(parse(args, {}).positionals[0], 'id')
      const key = await ctx.auth.keys.revoke(id, CLI_ACTOR)
      if (!key) throw new AuthInputError([{ path: 'id', message: `id: no key ${id}` }], 404)
      ctx.out(`key ${id} (${key.name}) revoked`)
    },
  },
}

/**
 * `npm run user -- <command>`: one entry per subcommand. Each changes users and keys through the same services the
 * server uses (validation, hashing, session revocation, audit).
 */
export const COMMANDS: Record<string, Command> = {
  add: {
    usage: `add <username> --role ${ROLES.join('|')} [--scope city|district:<code>|street:<code>] [--name <display name>] [--password-stdin]`,
    async run(args, ctx) {
      const { values, positionals } = parse(args, { role: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } })
      const { password, generated } = await newPassword(values, ctx)
      const user = await ctx.auth.users.add({ username: need(positionals[0], 'username'), role: need(values.role, 'role'), password, ...(str(values.scope) && { scope: str(values.scope) }), ...(str(values.name) && { displayName: str(values.name) }) }, CLI_ACTOR)
      ctx.out(`user ${user.username} added: ${user.role}, ${user.scope}`)
      if (generated) ctx.out(`password (shown once): ${password}`)
    },
  },
  list: {
    usage: 'list',
    async run(_args, ctx) {
      const users = await ctx.auth.users.list()
      ctx.out(table([['USERNAME', 'NAME', 'ROLE', 'SCOPE', 'STATUS'], ...users.map(u => [u.username, u.displayName, u.role, u.scope, u.disabled ? 'disabled' : 'active'])]).join('\n'))
    },
  },
  disable: {
    usage: 'disable <username>',
    async run(args, ctx) {
      const user = await ctx.auth.users.setDisabled(need(parse(args, {}).positionals[0], 'username'), true, CLI_ACTOR)
      ctx.out(`user ${user.username} disabled; their sessions are revoked`)
    },
  },
  enable: {
    usage: 'enable <username>',
    async run(args, ctx) {
      const user = await ctx.auth.users.setDisabled(need(parse(args, {}).positionals[0], 'username'), false, CLI_ACTOR)
      ctx.out(`user ${user.username} enabled`)
    },
  },
  passwd: {
    usage: 'passwd <username> [--password-stdin]',
    async run(args, ctx) {
      const { values, positionals } = parse(args, { 'password-stdin': { type: 'boolean' } })
      const username = need(positionals[0], 'username')
      const { password, generated } = await newPassword(values, ctx)
      await ctx.auth.users.setPassword(username, password, CLI_ACTOR)
      ctx.out(`password of ${username} changed; their sessions are revoked`)
      if (generated) ctx.out(`new password (shown once): ${password}`)
    },
  },
  role: {
    usage: `role <username> <${ROLES.join('|')}> [--scope city|district:<code>|street:<code>]`,
    async run(args, ctx) {
      const { values, positionals } = parse(args, { scope: { type: 'string' } })
      const user = await ctx.auth.users.setRole(need(positionals[0], 'username'), need(positionals[1], 'role'), CLI_ACTOR, str(values.scope))
      ctx.out(`user ${user.username} is now ${user.role}, ${user.scope}; their sessions are revoked`)
    },
  },
  revoke: {
    usage: 'revoke <username>   (ends all their sessions)',
    async run(args, ctx) {
      const user = await ctx.auth.users.byName(need(parse(args, {}).positionals[0], 'username'))
      const ids = await ctx.auth.sessions.revokeUser(user.id)
      await ctx.auth.audit.record({ action: 'session.revoke', actor: CLI_ACTOR, target: user.username, detail: { sessions: ids.length } })
      ctx.out(`${ids.length} session(s) of ${user.username} revoked`)
    },
  },
  key: {
    usage: Object.values(keyCommands).map(c => c.usage).join('\n  '),
    async run(args, ctx) {
      const sub = keyCommands[args[0] ?? '']
      if (!sub) throw new AuthInputError([{ path: 'key', message: `key: one of ${Object.keys(keyCommands).join(', ')}` }])
      await sub.run(args.slice(1), ctx)
    },
  },
  audit: {
    usage: 'audit [--action login.failed] [--limit 50]',
    async run(args, ctx) {
      const { values } = parse(args, { action: { type: 'string' }, limit: { type: 'string' } })
      const rows = await ctx.auth.audit.list({ ...(str(values.action) && { action: str(values.action) }), limit: Number(str(values.limit) ?? 50) })
      ctx.out(table([['AT', 'ACTION', 'ACTOR', 'TARGET', 'IP'], ...rows.map(r => [r.at, r.action, r.actor, r.target ?? '', r.ip ?? ''])]).join('\n'))
    },
  },
  // MQTT devices (issue #15): `device add` prints the generated password once
  device: {
    usage: DEVICE_USAGE.replace(/^usage:\n\s*/, '').replace(/\n\s*/g, '\n  '),
    async run(args, ctx) {
      const code = await deviceCommand(args, { repo: ctx.devices, out: ctx.out, err: ctx.err })
      if (code !== 0) throw new AuthInputError([{ path: 'device', message: 'usage: npm run user -- help' }])
    },
  },
}
