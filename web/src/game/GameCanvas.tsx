import { useEffect, useMemo, useRef } from 'react';
import type { Direction } from '@shared/engine/index.js';
import { effectCounters } from './counters';
import { drawField, toField, type Geometry, type Hud } from './draw';
import { Effects, watchReducedMotion } from './effects';
import { useFieldGeometry } from './fit';
import { MuteButton } from './MuteButton';
import { listenForAudioUnlock } from './sound';
import type { FieldSource, FieldView, Side } from './view';
import './game.css';

declare global {
  interface Window {
    /** Frame intervals (ms) of the running game loop, for performance checks (bench/web.ts). */
    __pongFrameTimes?: number[];
    /** Set to an array by a test: every frame's ball as drawn (field units, the frame's time), to check it moves smoothly. */
    __pongBallTrace?: Array<{ t: number; x: number; y: number; countdown: boolean } | null>;
  }
}

/** A paddle a finger (or a mouse) can drag: the side's own paddle (`mine`, else the side's first). */
export interface TouchControl {
  side: Side;
  onDirection(direction: Direction): void;
}

/** Steering towards the finger: start beyond this many units away, stop within the smaller one (no dithering). */
const START_UNITS = 10;
const STOP_UNITS = 3;
/** Canvas pixels per CSS pixel at most (a phone's 3x costs more than it shows). */
const MAX_RATIO = 2;

const coarsePointer = () => typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches;

function controlledPaddle(view: FieldView, side: Side): number {
  const mine = view.paddles.findIndex((p) => p.mine && p.side === side);
  return mine >= 0 ? mine : view.paddles.findIndex((p) => p.side === side);
}

export interface GameCanvasProps {
  source: FieldSource;
  width: number;
  height: number;
  /** Height the page keeps around a landscape field (header, score bar, controls). */
  reservedPx?: number;
  /** Height kept below a turned field (a phone held upright) for controls that must stay on screen (a replay's). */
  belowPx?: number;
  label: string;
  /** Paddles driven by dragging on the field; with two, each drives its own half (a local game between friends). */
  controls?: TouchControl[];
  /** Names by side, drawn on the canvas when the field is turned (a phone held upright) and the score bar is hidden. */
  names?: { left: string; right: string } | null;
}

/** The game canvas: draws `source` at the display's frame rate, with its effects, sounds and touch controls. */
export function GameCanvas({ source, width, height, reservedPx = 220, belowPx = 0, label, controls = [], names = null }: GameCanvasProps) {
  const stage = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const geometry = useFieldGeometry(stage, width, height, reservedPx, belowPx);
  const effects = useMemo(() => new Effects(), [source]);
  const latest = useRef({ controls, names, geometry });
  latest.current = { controls, names, geometry };
  /** Fingers on the field: which control each drives, and the field y it points at. */
  const pointers = useRef(new Map<number, { control: number; y: number }>());
  const steering = useRef<Direction[]>([]);

  useEffect(() => watchReducedMotion((reduced) => {
    effects.reducedMotion = reduced;
    effectCounters().reducedMotion = reduced;
  }), [effects]);
  useEffect(() => listenForAudioUnlock(), []);

  useEffect(() => {
    const node = canvas.current!;
    const ratio = Math.min(MAX_RATIO, window.devicePixelRatio || 1);
    node.width = Math.round(geometry.cssWidth * ratio);
    node.height = Math.round(geometry.cssHeight * ratio);
    const ctx = node.getContext('2d', { alpha: false })!;
    const touch = coarsePointer();
    const times: number[] = [];
    window.__pongFrameTimes = times;
    effectCounters().rotated = geometry.rotated;
    let last = performance.now();
    let handle = 0;
    const loop = (now: number) => {
      times.push(now - last);
      if (times.length > 2000) times.splice(0, 1000);
      last = now;
      const view = source.frame(now);
      window.__pongBallTrace?.push(view.ball ? { t: now, x: view.ball.x, y: view.ball.y, countdown: view.countdown !== null } : null);
      effects.update(view, now);
      const hud = steer(view);
      drawField(ctx, geometry, ratio, view, effects, { ...hud, touch, names: latest.current.names }, now);
      handle = requestAnimationFrame(loop);
    };
    /** Moves each dragged paddle towards its finger, at paddle speed (the protocol's up / down / stop). */
    const steer = (view: FieldView): Hud => {
      const { controls: list } = latest.current;
      const { paddleHeight, height: fieldHeight } = view.layout;
      let hud: Hud = { controlled: null, touchTarget: null };
      list.forEach((control, index) => {
        const paddleIndex = controlledPaddle(view, control.side);
        const paddle = view.paddles[paddleIndex];
        if (!paddle) return;
        let target: number | null = null;
        for (const pointer of pointers.current.values()) if (pointer.control === index) target = pointer.y;
        const current = steering.current[index] ?? 0;
        let next: Direction = 0;
        let goal: number | null = null;
        if (target !== null) {
          goal = Math.max(0, Math.min(fieldHeight - paddleHeight, target - paddleHeight / 2));
          const diff = goal - paddle.y;
          if (current === 0) next = Math.abs(diff) > START_UNITS ? (diff > 0 ? 1 : -1) : 0;
          else next = Math.sign(diff) !== current || Math.abs(diff) < STOP_UNITS ? 0 : current;
        }
        if (next !== current) {
          steering.current[index] = next;
          control.onDirection(next);
        }
        if (index === 0) {
          hud = { controlled: paddleIndex, touchTarget: goal };
          effectCounters().controlled = paddle.y;
        }
      });
      return hud;
    };
    handle = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(handle);
  }, [source, geometry, effects]);

  // Dragging: a finger (or a pressed mouse) on the field pulls its paddle to it.
  const fieldPoint = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const g: Geometry = latest.current.geometry;
    return toField(g, event.clientX - box.left, event.clientY - box.top);
  };
  const pointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const list = latest.current.controls;
    if (list.length === 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const at = fieldPoint(event);
    const control = list.length === 1 ? 0 : Math.max(0, list.findIndex((c) => c.side === (at.x < width / 2 ? 'left' : 'right')));
    pointers.current.set(event.pointerId, { control, y: at.y });
  };
  const pointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const pointer = pointers.current.get(event.pointerId);
    if (pointer) pointer.y = fieldPoint(event).y;
  };
  const pointerUp = (event: React.PointerEvent<HTMLCanvasElement>) => {
    pointers.current.delete(event.pointerId);
  };

  return (
    <div
      className="game-stage"
      ref={stage}
      data-rotated={geometry.rotated ? 'true' : undefined}
      // The canvas shows the names and score (a turned field given names): the page's score bar can step aside.
      data-hud={geometry.rotated && names ? 'score' : undefined}
      // The sound switch goes beside the field when there is room, else in its top-right corner.
      data-tools={geometry.roomBeside ? 'beside' : 'inside'}
      style={{ width: geometry.cssWidth }}
    >
      <canvas
        ref={canvas}
        className="game-canvas"
        role="img"
        aria-label={label}
        style={{ width: geometry.cssWidth, height: geometry.cssHeight }}
        data-testid="game-canvas"
        onPointerDown={pointerDown}
        onPointerMove={pointerMove}
        onPointerUp={pointerUp}
        onPointerCancel={pointerUp}
      />
      <div className="game-tools">
        <MuteButton />
      </div>
    </div>
  );
}
