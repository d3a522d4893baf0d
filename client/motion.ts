import { ref } from 'vue'

/**
 * How much the screen moves. "full": rings pulse, numerals glide, charts animate, the map redraws as data arrives.
 * "calm": the same information with still rings, jumping numerals, no chart transitions, and the map redrawn at
 * most once a second. Calm is for machines that draw WebGL in software (a wall PC without a GPU, a VM): there every
 * drawn frame costs 50–150 ms, so animations that redraw at 60 Hz would keep the screen and the CPU saturated.
 */
export type Motion = 'full' | 'calm'

function fromUrl(): Motion | null {
  if (typeof location === 'undefined') return null
  const v = new URLSearchParams(location.search).get('motion')
  return v === 'full' || v === 'calm' ? v : null
}

const forced = fromUrl()
const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches

/** The page's motion: `?motion=full|calm` wins; otherwise calm for reduced-motion users and software renderers. */
export const motion = ref<Motion>(forced ?? (reduced ? 'calm' : 'full'))

/** WebGL renderer names of software rasterisers (Chromium's SwiftShader, Mesa's llvmpipe/softpipe, Windows' WARP). */
export function isSoftwareRenderer(name: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(name)
}

/** The renderer behind a WebGL context, as the driver names it (empty when the browser hides it). */
export function rendererName(gl: WebGLRenderingContext | WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '')
}

/** Called with the map's own context once it exists (no second context is created to find out). */
export function noteRenderer(gl: WebGLRenderingContext | WebGL2RenderingContext | null): void {
  if (forced || !gl) return
  if (isSoftwareRenderer(rendererName(gl))) motion.value = 'calm'
}

/** Milliseconds until the next whole second (the clock's tick). */
export function untilNextSecond(now = Date.now()): number {
  return 1000 - (now % 1000)
}

/**
 * Milliseconds until the next calm map draw: once a second, half a second after the clock's tick. On a software
 * renderer two changes in one frame make one long frame; apart, two short ones (measured: lumping the live
 * updates onto the tick gave more frames over 100 ms, not fewer).
 */
export function untilCalmDraw(now = Date.now()): number {
  return 1000 - ((now + 500) % 1000)
}
