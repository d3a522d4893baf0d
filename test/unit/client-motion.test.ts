import { describe, expect, it } from 'vitest'
import { isSoftwareRenderer, untilCalmDraw } from '../../client/motion.js'
import { PULSE_MS, PulseRings } from '../../client/map/pulse-rings.js'
import type { IncidentSummary } from '../../shared/incident.js'

describe('motion: calm on software renderers', () => {
  it('recognises the software rasterisers by the names their drivers give', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true)
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true)
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(true)
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false)
    expect(isSoftwareRenderer('Mali-G78')).toBe(false)
  })

  it('draws calm updates once a second, half a second off the clock tick', () => {
    expect(untilCalmDraw(10_000)).toBe(500)
    expect(untilCalmDraw(10_499)).toBe(1)
    expect(untilCalmDraw(10_500)).toBe(1000)
    expect(untilCalmDraw(10_900)).toBe(600)
  })
})

describe('pulse rings', () => {
  const arrival = (id: string, severity: IncidentSummary['severity']) => ({ id, lon: 104, lat: 30.6, severity }) as IncidentSummary

  it('reports a change only when rings come or go, and drops them after PULSE_MS', () => {
    const rings = new PulseRings()
    expect(rings.expire(0)).toBe(false)
    rings.add([arrival('a', 'critical'), arrival('b', 'normal')], 1000)
    expect(rings.expire(1000)).toBe(true)
    expect(rings.take().features.map(f => f.properties!.severity)).toEqual(['critical', 'normal'])
    expect(rings.expire(1000 + PULSE_MS)).toBe(false) // still within its time: nothing to redraw
    rings.add([arrival('c', 'high')], 2000)
    expect(rings.newestAt).toBe(2000)
    expect(rings.expire(1001 + PULSE_MS)).toBe(true)
    expect(rings.take().features).toHaveLength(1)
    expect(rings.expire(2001 + PULSE_MS)).toBe(true)
    expect(rings.size).toBe(0)
  })

  it('keeps at most 200 rings, the newest', () => {
    const rings = new PulseRings()
    rings.add(Array.from({ length: 150 }, (_, k) => arrival(`a${k}`, 'normal')), 0)
    rings.add(Array.from({ length: 150 }, (_, k) => arrival(`b${k}`, 'high')), 10)
    expect(rings.size).toBe(200)
    expect(rings.take().features.filter(f => f.properties!.severity === 'high')).toHaveLength(150)
  })
})
