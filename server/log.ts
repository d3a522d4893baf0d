export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface Logger {
  debug: (msg: string, extra?: object) => void
  info: (msg: string, extra?: object) => void
  warn: (msg: string, extra?: object) => void
  error: (msg: string, extra?: object) => void
}

/** One JSON line per message on stderr: greppable, and silent in tests. */
export function createLogger(level: LogLevel, name = 'citybrain'): Logger {
  const at = (l: Exclude<LogLevel, 'silent'>) => (msg: string, extra?: object) => {
    if (ORDER[l] < ORDER[level]) return
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level: l, name, msg, ...extra })}\n`)
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
