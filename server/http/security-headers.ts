import helmet from 'helmet'
import type { RequestHandler } from 'express'

/**
 * Response headers of every answer (helmet; docs/SECURITY.md "Hardening"). The Content-Security-Policy allows what the
 * built client needs and nothing inline:
 * - scripts only from our origin (Vite emits module files; index.html has no inline script);
 * - `worker-src blob:`: MapLibre starts its workers from a blob URL;
 * - `style-src 'self'` for the CSS files, `style-src-attr 'unsafe-inline'` for style attributes only: ECharts' HTML
 *   tooltips carry their colour markers as `style="…"` in markup; a `<style>` element stays forbidden;
 * - `img-src data: blob:`: ECharts' "save image" and MapLibre's images; `connect-src 'self'`: the API, the PMTiles
 *   archive and the socket (CSP 3 `'self'` covers ws:/wss: of our host);
 * - a basemap style on another host (BASEMAP_STYLE_URL) adds its origin to connect-src and img-src;
 * - `frame-ancestors 'none'` + `X-Frame-Options: DENY`: the console's one-key shortcuts make clickjacking real.
 * No `upgrade-insecure-requests`: a control room may serve plain HTTP on its LAN.
 */
export function securityHeaders(opts: { basemapStyleUrl: string | null }): RequestHandler {
  const extra = opts.basemapStyleUrl ? [new URL(opts.basemapStyleUrl).origin] : []
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...extra],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...extra],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' }, // a display link's token is in the wall's URL: never sent onwards
    strictTransportSecurity: false, // the deployment decides (TLS terminates at its proxy, if any)
  })
}
