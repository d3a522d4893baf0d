let ctx: AudioContext | null = null
let lastAt = 0

/**
 * A short two-tone chime from Web Audio (no audio file to ship or load). Rate-limited so a burst of alarms makes one
 * sound, not a din. Browsers only allow sound after the page got a user gesture; before that it is silently skipped.
 */
export function playAlarmTone(): void {
  const now = Date.now()
  if (now - lastAt < 1500) return
  lastAt = now
  try {
    ctx ??= new AudioContext()
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined)
    const t = ctx.currentTime
    for (const [k, freq] of [[0, 880], [1, 660]] as const) {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, t + k * 0.22)
      gain.gain.exponentialRampToValueAtTime(0.25, t + k * 0.22 + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + k * 0.22 + 0.2)
      osc.connect(gain).connect(ctx.destination)
      osc.start(t + k * 0.22)
      osc.stop(t + k * 0.22 + 0.21)
    }
  } catch {
    // no audio device (a wall PC, a test browser): the banner and the marker still show the alarm
  }
}
