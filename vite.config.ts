import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

const API = `http://localhost:${process.env.PORT ?? 3000}`

// The client lives in client/ and builds to dist/client, which the server serves (SPA fallback).
export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1800,
    // bench/wall-bundle.ts reads the manifest to add up exactly what /wall loads
    manifest: true,
  },
  server: {
    proxy: {
      '/api': API,
      '/socket.io': { target: API, ws: true },
    },
  },
})
