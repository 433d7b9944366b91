import { createStore } from '../lib/store';
import { effectCounters } from './counters';

/**
 * The game's sounds, synthesised with the Web Audio API (oscillators and a
 * noise buffer: nothing is downloaded). The AudioContext is created only
 * once the page has had a user gesture (a click, a key, a touch: browsers
 * refuse to start audio before one) and never while muted; the mute choice
 * is kept per device in localStorage.
 */

export type SoundName = 'hit' | 'wall' | 'goal' | 'tick' | 'go' | 'win' | 'lose';

const MUTE_KEY = 'pong.muted';

function storedMute(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

/** True while sounds are off; `setMuted` changes it (and remembers it on this device). */
export const muted = createStore<boolean>(storedMute());

export function setMuted(value: boolean): void {
  muted.set(value);
  try {
    if (value) localStorage.setItem(MUTE_KEY, '1');
    else localStorage.removeItem(MUTE_KEY);
  } catch {
    // Private browsing without storage: the choice lasts for this page.
  }
  if (value) void context?.suspend().catch(() => {});
  // Unmuting is a click: the context may be created (or resumed) right now.
  else unlock();
}

let context: AudioContext | null = null;
let master: GainNode | null = null;
let noise: AudioBuffer | null = null;
/**
 * A gesture was seen on this page (any page of the app: the click on "Play" counts). Only a flag:
 * `navigator.userActivation` is not used, as automated browsers report navigations as gestures.
 */
let gestured = false;
for (const name of ['pointerdown', 'keydown', 'touchend'] as const) {
  window.addEventListener(name, (event) => {
    if (event.isTrusted) gestured = true;
  }, { capture: true, passive: true });
}

function audioContext(): AudioContext | null {
  if (muted.get() || !gestured) return null;
  if (!context) {
    const Constructor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Constructor) return null;
    try {
      context = new Constructor();
    } catch {
      return null;
    }
    master = context.createGain();
    master.gain.value = 0.35;
    const limiter = context.createDynamicsCompressor();
    master.connect(limiter).connect(context.destination);
  }
  if (context.state === 'suspended') void context.resume().catch(() => {});
  return context;
}

/** Called from a gesture (iOS Safari starts audio only inside one): creates or resumes the context unless muted. */
function unlock(): void {
  gestured = true;
  audioContext();
}

/**
 * Listens for the first gestures on a game screen; returns the stop function.
 * The listener creates nothing before a gesture, and nothing at all while muted.
 */
export function listenForAudioUnlock(): () => void {
  const events = ['pointerdown', 'keydown', 'touchend'] as const;
  // The sound switch itself decides (a click that mutes must not start audio).
  const handler = (event: Event) => {
    if (event.isTrusted && !(event.target instanceof Element && event.target.closest('.mute-button'))) unlock();
  };
  for (const name of events) window.addEventListener(name, handler, { capture: true, passive: true });
  return () => {
    for (const name of events) window.removeEventListener(name, handler, { capture: true });
  };
}

function noiseBuffer(ctx: AudioContext): AudioBuffer {
  if (noise) return noise;
  const length = Math.floor(ctx.sampleRate * 0.5);
  noise = ctx.createBuffer(1, length, ctx.sampleRate);
  const data = noise.getChannelData(0);
  // A fixed-seed generator: the same noise every time.
  let seed = 0x2545f491;
  for (let i = 0; i < length; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    data[i] = ((seed >>> 0) / 0xffffffff) * 2 - 1;
  }
  return noise;
}

/** The output of one sound: panned towards `pan` (-1 left, 1 right) where the browser can. */
function output(ctx: AudioContext, pan: number): AudioNode {
  if (pan === 0 || typeof ctx.createStereoPanner !== 'function') return master!;
  const panner = ctx.createStereoPanner();
  panner.pan.value = Math.max(-1, Math.min(1, pan));
  panner.connect(master!);
  return panner;
}

/** One enveloped oscillator note from `at` (context seconds). */
function tone(ctx: AudioContext, to: AudioNode, type: OscillatorType, from: number, toFreq: number, at: number, length: number, volume: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.setValueAtTime(from, at);
  if (toFreq !== from) osc.frequency.exponentialRampToValueAtTime(toFreq, at + length);
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(volume, at + 0.006);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
  osc.connect(gain).connect(to);
  osc.start(at);
  osc.stop(at + length + 0.02);
}

function burst(ctx: AudioContext, to: AudioNode, at: number, length: number, volume: number, fromHz: number, toHz: number): void {
  const source = ctx.createBufferSource();
  source.buffer = noiseBuffer(ctx);
  const filter = ctx.createBiquadFilter();
  filter.type = 'bandpass';
  filter.Q.value = 1.2;
  filter.frequency.setValueAtTime(fromHz, at);
  filter.frequency.exponentialRampToValueAtTime(toHz, at + length);
  const gain = ctx.createGain();
  gain.gain.setValueAtTime(volume, at);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
  source.connect(filter).connect(gain).connect(to);
  source.start(at);
  source.stop(at + length + 0.02);
}

export interface SoundOptions {
  /** -1 (left) to 1 (right): where on the screen it happened. */
  pan?: number;
  /** 0 (serve speed) to 1 (top speed): a faster ball hits higher. */
  intensity?: number;
  /** Countdown step (3, 2, 1). */
  step?: number;
}

/** Plays a sound now, unless muted or before any gesture. */
export function play(name: SoundName, options: SoundOptions = {}): void {
  const ctx = audioContext();
  if (!ctx || ctx.state === 'closed') return;
  const at = ctx.currentTime + 0.005;
  const to = output(ctx, options.pan ?? 0);
  const intensity = Math.max(0, Math.min(1, options.intensity ?? 0));
  switch (name) {
    case 'hit': {
      const base = 420 * (1 + intensity * 0.9);
      tone(ctx, to, 'square', base, base * 0.72, at, 0.09, 0.32);
      tone(ctx, to, 'sine', base * 2, base * 1.5, at, 0.05, 0.18);
      break;
    }
    case 'wall':
      tone(ctx, to, 'triangle', 250, 190, at, 0.07, 0.4);
      break;
    case 'goal':
      burst(ctx, to, at, 0.42, 0.55, 2400, 300);
      tone(ctx, to, 'sine', 180, 55, at, 0.38, 0.6);
      break;
    case 'tick':
      tone(ctx, to, 'sine', 620 + (3 - (options.step ?? 3)) * 40, 620 + (3 - (options.step ?? 3)) * 40, at, 0.09, 0.35);
      break;
    case 'go':
      tone(ctx, to, 'triangle', 990, 990, at, 0.16, 0.4);
      tone(ctx, to, 'sine', 1485, 1485, at, 0.12, 0.15);
      break;
    case 'win':
      [523.25, 659.25, 783.99, 1046.5].forEach((freq, i) => tone(ctx, to, 'triangle', freq, freq, at + i * 0.11, i === 3 ? 0.45 : 0.14, 0.38));
      [523.25, 659.25, 783.99, 1046.5].forEach((freq, i) => tone(ctx, to, 'square', freq / 2, freq / 2, at + i * 0.11, 0.1, 0.06));
      break;
    case 'lose':
      [392, 329.63, 261.63, 196].forEach((freq, i) => tone(ctx, to, 'triangle', freq, freq * (i === 3 ? 0.94 : 1), at + i * 0.17, i === 3 ? 0.55 : 0.2, 0.36));
      break;
  }
  effectCounters().sounds[name] += 1;
}
