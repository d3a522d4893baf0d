/**
 * Plane geometry for the demo greenway network, in km east/north of a centre (equirectangular, fixed factors):
 * smooth paths through control points, noisy ellipses, parallel offsets, meanders, clipping to the city and
 * splitting into segments. Approximate by design — the output is labelled 示意 (approximate) everywhere.
 */
export type Xy = [number, number]

export interface Frame { lon0: number, lat0: number, kx: number, ky: number }

export const toLonLat = (f: Frame, [x, y]: Xy): Xy => [f.lon0 + x / f.kx, f.lat0 + y / f.ky]
export const toXy = (f: Frame, [lon, lat]: readonly number[]): Xy => [(lon! - f.lon0) * f.kx, (lat! - f.lat0) * f.ky]

export function polylineKm(p: readonly Xy[]): number {
  let s = 0
  for (let k = 1; k < p.length; k++) s += Math.hypot(p[k]![0] - p[k - 1]![0], p[k]![1] - p[k - 1]![1])
  return s
}

/** Uniform Catmull–Rom spline through the control points, sampled every ≈ `stepKm`. */
export function smoothPath(ctrl: readonly Xy[], stepKm: number): Xy[] {
  const out: Xy[] = []
  for (let k = 0; k < ctrl.length - 1; k++) {
    const p0 = ctrl[Math.max(0, k - 1)]!
    const p1 = ctrl[k]!
    const p2 = ctrl[k + 1]!
    const p3 = ctrl[Math.min(ctrl.length - 1, k + 2)]!
    const n = Math.max(2, Math.ceil(Math.hypot(p2[0] - p1[0], p2[1] - p1[1]) / stepKm))
    for (let i = 0; i < n; i++) {
      const t = i / n
      const t2 = t * t
      const t3 = t2 * t
      const c = (a: number, b: number, cc: number, d: number) => 0.5 * (2 * b + (-a + cc) * t + (2 * a - 5 * b + 4 * cc - d) * t2 + (-a + 3 * b - 3 * cc + d) * t3)
      out.push([c(p0[0], p1[0], p2[0], p3[0]), c(p0[1], p1[1], p2[1], p3[1])])
    }
  }
  out.push([...ctrl.at(-1)!])
  return out
}

/**
 * A closed ellipse (semi-axes a east–west, b north–south) whose radius varies by a few low harmonics with seeded
 * phases: a smoothed, irregular ring. Returns a closed polyline (first point repeated at the end).
 */
export function noisyRing(centre: Xy, a: number, b: number, noise: number, rng: () => number, stepKm: number): Xy[] {
  const harmonics = [2, 3, 4, 5, 6].map(k => ({ k, amp: noise * (0.35 + 0.3 * rng()) / Math.sqrt(k - 1), phase: rng() * 2 * Math.PI }))
  const n = Math.ceil((2 * Math.PI * Math.max(a, b)) / stepKm)
  const out: Xy[] = []
  for (let i = 0; i < n; i++) {
    const th = (2 * Math.PI * i) / n
    const f = 1 + harmonics.reduce((s, h) => s + h.amp * Math.sin(h.k * th + h.phase), 0)
    out.push([centre[0] + a * f * Math.cos(th), centre[1] + b * f * Math.sin(th)])
  }
  out.push([...out[0]!])
  return out
}

function normals(p: readonly Xy[], closed: boolean): Xy[] {
  return p.map((_, k) => {
    const prev = p[k > 0 ? k - 1 : closed ? p.length - 2 : 0]!
    const next = p[k < p.length - 1 ? k + 1 : closed ? 1 : p.length - 1]!
    const dx = next[0] - prev[0]
    const dy = next[1] - prev[1]
    const len = Math.hypot(dx, dy) || 1
    return [-dy / len, dx / len] // left of the direction of travel
  })
}

/** Offsets every point sideways by `lateral(s)` km at arc length s (positive: left of the direction of travel). */
export function offsetBy(p: readonly Xy[], lateral: (s: number) => number, closed = false): Xy[] {
  const n = normals(p, closed)
  let s = 0
  return p.map((pt, k) => {
    if (k > 0) s += Math.hypot(pt[0] - p[k - 1]![0], pt[1] - p[k - 1]![1])
    const o = lateral(s)
    return [pt[0] + o * n[k]![0], pt[1] + o * n[k]![1]]
  })
}

/** The point at arc length s of a polyline and the unit normal to its left there. */
export function pointAt(p: readonly Xy[], s: number): { at: Xy, normal: Xy } {
  let acc = 0
  for (let k = 1; k < p.length; k++) {
    const a = p[k - 1]!
    const b = p[k]!
    const len = Math.hypot(b[0] - a[0], b[1] - a[1])
    if (acc + len >= s || k === p.length - 1) {
      const t = len > 0 ? Math.min(1, Math.max(0, (s - acc) / len)) : 0
      return { at: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], normal: [-(b[1] - a[1]) / (len || 1), (b[0] - a[0]) / (len || 1)] }
    }
    acc += len
  }
  return { at: [...p[0]!], normal: [0, 1] }
}

/** A straight line from a to b sampled every ≈ stepKm. */
export function straight(a: Xy, b: Xy, stepKm: number): Xy[] {
  const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / stepKm))
  return Array.from({ length: n + 1 }, (_, k) => [a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n] as Xy)
}

/** An irregular meander: a sine of wavelength λ whose amplitude itself swells and fades. */
export function meander(amplitude: number, wavelengthKm: number, phase: number, base = 0): (s: number) => number {
  return s => base + amplitude * Math.sin((2 * Math.PI * s) / wavelengthKm + phase) * (0.65 + 0.35 * Math.sin((2 * Math.PI * s) / (3.7 * wavelengthKm) + 2 * phase))
}

/**
 * Keeps the runs of consecutive points inside the city (`inside` per point), dropping runs shorter than `minKm`.
 * A closed line entirely inside stays one closed run; otherwise it is rotated to start outside first.
 */
export function clipRuns(p: readonly Xy[], inside: (pt: Xy) => boolean, minKm: number, closed = false): Xy[][] {
  const flags = p.map(inside)
  if (flags.every(Boolean)) return [p.map(q => [...q] as Xy)]
  let pts = p
  let fl = flags
  if (closed) {
    const start = flags.indexOf(false)
    pts = [...p.slice(start, -1), ...p.slice(0, start + 1)]
    fl = [...flags.slice(start, -1), ...flags.slice(0, start + 1)]
  }
  const runs: Xy[][] = []
  let cur: Xy[] = []
  pts.forEach((q, k) => {
    if (fl[k]) cur.push([...q] as Xy)
    else if (cur.length > 0) {
      runs.push(cur)
      cur = []
    }
  })
  if (cur.length > 0) runs.push(cur)
  return runs.filter(r => r.length >= 2 && polylineKm(r) >= minKm)
}

/** Splits a polyline into `pieces` parts of equal length (cut at the nearest sample; neighbours share the cut point). */
export function splitEqual(p: readonly Xy[], pieces: number): Xy[][] {
  if (pieces <= 1) return [p.map(q => [...q] as Xy)]
  const total = polylineKm(p)
  const out: Xy[][] = []
  let cur: Xy[] = [[...p[0]!]]
  let s = 0
  let next = total / pieces
  for (let k = 1; k < p.length; k++) {
    s += Math.hypot(p[k]![0] - p[k - 1]![0], p[k]![1] - p[k - 1]![1])
    cur.push([...p[k]!])
    if (s >= next && out.length < pieces - 1 && k < p.length - 1) {
      out.push(cur)
      cur = [[...p[k]!]]
      next += total / pieces
    }
  }
  out.push(cur)
  return out.filter(r => r.length >= 2)
}

/** The amplitude in [0, max] at which `lengthAt(amplitude)` reaches `target` within `toleranceKm` (bisection; lengths grow with it). */
export function amplitudeFor(target: number, max: number, lengthAt: (amplitude: number) => number, toleranceKm = 0.01): number {
  if (lengthAt(0) >= target) return 0
  let lo = 0
  let hi = max
  if (lengthAt(hi) <= target) return hi
  for (let k = 0; k < 30; k++) {
    const mid = (lo + hi) / 2
    const len = lengthAt(mid)
    if (Math.abs(len - target) < toleranceKm) return mid
    if (len < target) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
