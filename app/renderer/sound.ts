// Countdown beeps and the shutter, synthesised with WebAudio (no audio files).
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  // A browser that will not resume audio (no user gesture yet) just stays silent.
  if (context.state === 'suspended') context.resume().catch(() => {});
  return context;
}

/** A short sine beep. */
export function beep(frequency = 880, durationMs = 150): void {
  const ctx = audio();
  if (!ctx) return;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  const now = ctx.currentTime;
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.4, now + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + durationMs / 1000);
  osc.connect(gain).connect(ctx.destination);
  osc.start(now);
  osc.stop(now + durationMs / 1000 + 0.02);
}

/** A camera shutter: a burst of filtered noise and a low click. */
export function shutter(): void {
  const ctx = audio();
  if (!ctx) return;
  const now = ctx.currentTime;
  const length = Math.floor(ctx.sampleRate * 0.12);
  const buffer = ctx.createBuffer(1, length, ctx.sampleRate);
  const data = buffer.getChannelData(0);
  for (let i = 0; i < length; i++) data[i] = (Math.random() * 2 - 1) * (1 - i / length) ** 2;
  const noise = ctx.createBufferSource();
  noise.buffer = buffer;
  const filter = ctx.createBiquadFilter();
  filter.type = 'bandpass';
  filter.frequency.value = 2500;
  const gain = ctx.createGain();
  gain.gain.value = 0.8;
  noise.connect(filter).connect(gain).connect(ctx.destination);
  noise.start(now);
  const click = ctx.createOscillator();
  const clickGain = ctx.createGain();
  click.frequency.setValueAtTime(180, now);
  click.frequency.exponentialRampToValueAtTime(60, now + 0.08);
  clickGain.gain.setValueAtTime(0.5, now);
  clickGain.gain.exponentialRampToValueAtTime(0.0001, now + 0.1);
  click.connect(clickGain).connect(ctx.destination);
  click.start(now);
  click.stop(now + 0.12);
}
