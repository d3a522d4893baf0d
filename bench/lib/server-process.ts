import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { BENCH_ADMIN_PASSWORD, provisionBenchAuth } from './bench-auth.js'

export interface ServerProcess {
  url: string
  dataDir: string
  child: ChildProcess
  /** The tail of the server's stderr so far (its JSON log lines). */
  stderrTail: () => string
  stop: () => Promise<void>
}

// Enough of the server's stderr to show why it died, without growing with a long run's output.
const STDERR_TAIL = 8_192

/**
 * The real server (or another server `script`, e.g. a bare baseline) in its own process, so the load generator
 * does not share its event loop. Resolves when it logs "listening" (the URL is taken from that line).
 */
export async function startServerProcess(env: Record<string, string> = {}, script = 'server/index.ts', startTimeoutMs = 60_000): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citybrain-bench-'))
  // BENCH_PROF_DIR=<dir>: the server writes V8 CPU profiles there (one per thread), to compare two commits' hot paths
  const profile = process.env.BENCH_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF_DIR] : []
  // BENCH_SERVER_NODE_ARGS (e.g. --trace-gc) and BENCH_SERVER_STDOUT=<file>: diagnostics of where a stall came from
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const stdout = process.env.BENCH_SERVER_STDOUT ? openSync(process.env.BENCH_SERVER_STDOUT, 'a') : 'ignore'
  const child = spawn(process.execPath, [...profile, ...extra, '--import', 'tsx', script], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'info', ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, ...env },
    stdio: ['ignore', stdout, 'pipe'],
  })
  let buf = ''
  let stopping = false
  // A server that dies mid-run says so (a bench would otherwise only see timeouts), and `stop` must not wait for it.
  const exited = new Promise<void>(resolve => child.once('exit', (code, signal) => {
    if (!stopping) console.error(`${script} exited unexpectedly (${code ?? signal}):\n${buf}`)
    resolve()
  }))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopping = true // not left running behind a bench that gave up on it
      child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
      reject(new Error(`server did not start within ${startTimeoutMs / 1000} s:\n${buf}`))
    }, startTimeoutMs)
    let listening = false
    child.stderr!.on('data', (chunk: Buffer) => {
      buf = (buf + chunk.toString()).slice(-STDERR_TAIL)
      const m = listening ? null : /"msg":"listening","url":"([^"]+)"/.exec(buf)
      if (m) {
        listening = true
        clearTimeout(timer)
        resolve(m[1]!.replace('localhost', '127.0.0.1'))
      }
    })
    void exited.then(() => reject(new Error(`server exited before listening:\n${buf}`)))
  })
  // the real server needs credentials (issue #14): an admin session and an API key, made as an operator would
  if (script === 'server/index.ts') await provisionBenchAuth(url, dataDir)
  return {
    url, dataDir, child,
    stderrTail: () => buf,
    async stop() {
      stopping = true
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      // A shutdown stuck on an open connection must not hang the bench.
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(kill)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
