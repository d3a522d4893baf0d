/** `npm run dev`: the API (with the simulator) on PORT plus Vite's dev server with HMR, which proxies /api and /socket.io to it. */
import { createServer } from 'vite'
import { createApp } from './app.js'
import { loadConfig } from './config.js'

const config = loadConfig()
const app = await createApp({ ...config, staticDir: null })
await app.listen()
const vite = await createServer({ server: { port: 5173 } })
await vite.listen()
vite.printUrls()
const stop = () => { void Promise.all([vite.close(), app.close()]).then(() => process.exit(0)) }
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
