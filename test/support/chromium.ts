import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Flags for headless Chromium on this kind of machine: no GPU, so WebGL goes through SwiftShader; no background
 * networking (the machine's closed network refuses those connections).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
]

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // playwright gives each launch a fresh temporary profile of its own
    args: [...CHROMIUM_ARGS, ...extraArgs],
  })
}
