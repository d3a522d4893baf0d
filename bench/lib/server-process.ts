import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface ServerProcess { url: string, dataDir: string, child: ChildProcess, stop: () => Promise<void> }

/**
 * The real server in its own process, so the load generator does not share its event loop.
 * Resolves when it logs "listening" (the URL is taken from that line).
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citybrain-bench-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${buf}`)), 60_000)
    child.stderr!.on('data', (chunk: Buffer) => {
      buf += chunk.toString()
      const m = /"msg":"listening","url":"([^"]+)"/.exec(buf)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!.replace('localhost', '127.0.0.1'))
      }
    })
    child.once('exit', code => reject(new Error(`server exited with ${code}:\n${buf}`)))
  })
  return {
    url, dataDir, child,
    async stop() {
      const exited = new Promise(r => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
