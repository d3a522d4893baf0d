import { createApp } from './app.js'
import { CalendarFileError } from './calendar/index.js'
import { ConfigError, loadConfig } from './config.js'

/** The only place that reads the environment and listens. */
async function main(): Promise<void> {
  const config = loadConfig()
  const app = await createApp(config)
  await app.listen()
  const shutdown = (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`)
    app.close().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`shutdown failed: ${String(err)}\n`)
      process.exit(1)
    })
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  process.stderr.write(err instanceof ConfigError || err instanceof CalendarFileError ? `${err.message}\n` : `fatal: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exit(1)
})
