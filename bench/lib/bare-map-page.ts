import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A bare MapLibre page (no app, no charts): the city's districts and one GeoJSON point layer — the in-run limit the
 * wall's map is compared with. Served from its own tiny HTTP server with maplibre-gl from node_modules.
 */
export async function serveBareMapPage(districts: unknown, bbox: [number, number, number, number]): Promise<{ url: string, close: () => Promise<void> }> {
  const js = readFileSync('node_modules/maplibre-gl/dist/maplibre-gl.js')
  const css = readFileSync('node_modules/maplibre-gl/dist/maplibre-gl.css')
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/maplibre-gl.css">
<style>html,body,#map{margin:0;width:100%;height:100%;background:#040b16}</style></head><body><div id="map"></div>
<script src="/maplibre-gl.js"></script><script>
const map = new maplibregl.Map({ container: 'map', bounds: ${JSON.stringify(bbox)}, fitBoundsOptions: { padding: 24 }, attributionControl: false,
  style: { version: 8, sources: { districts: { type: 'geojson', data: '/districts.json' }, points: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
    layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#040b16' } },
      { id: 'fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#0c2340', 'fill-opacity': 0.8 } },
      { id: 'line', type: 'line', source: 'districts', paint: { 'line-color': '#4aa3e8', 'line-width': 1.2 } },
      { id: 'points', type: 'circle', source: 'points', paint: { 'circle-radius': 2.5, 'circle-color': ['match', ['get', 'severity'], 'critical', '#ff3b5c', 'high', '#f5a623', 'low', '#5ad17a', '#3fb6ff'] } }] } })
map.on('load', () => { window.__bareMap = map })
</script></body></html>`
  const body = JSON.stringify(districts)
  const server: Server = createServer((req, res) => {
    const [type, content] = req.url === '/maplibre-gl.js' ? ['text/javascript', js] : req.url === '/maplibre-gl.css' ? ['text/css', css] : req.url === '/districts.json' ? ['application/json', body] : ['text/html', html]
    res.writeHead(200, { 'content-type': type }).end(content)
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise<void>(r => server.close(() => r())) }
}
