import { useEffect, useRef, useState } from 'react';
import { drawField } from './draw';
import type { FieldSource } from './view';

declare global {
  interface Window {
    /** Frame intervals (ms) of the running game loop, for performance checks. */
    __pongFrameTimes?: number[];
  }
}

/** Fits the field under the header: never above 1:1. */
function useScale(width: number, height: number, reservedPx: number): number {
  const compute = () => Math.min(1, (window.innerWidth - 16) / width, Math.max(120, window.innerHeight - reservedPx) / height);
  const [scale, setScale] = useState(compute);
  useEffect(() => {
    const update = () => setScale(compute());
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [width, height, reservedPx]);
  return scale;
}

/** The game canvas: draws `source` at the display's frame rate. */
export function GameCanvas({ source, width, height, reservedPx = 220, label }: { source: FieldSource; width: number; height: number; reservedPx?: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const scale = useScale(width, height, reservedPx);
  const cssWidth = Math.round(width * scale);
  const cssHeight = Math.round(height * scale);

  useEffect(() => {
    const node = canvas.current!;
    const ratio = window.devicePixelRatio || 1;
    node.width = Math.round(cssWidth * ratio);
    node.height = Math.round(cssHeight * ratio);
    const ctx = node.getContext('2d', { alpha: false })!;
    const times: number[] = [];
    window.__pongFrameTimes = times;
    let last = performance.now();
    let handle = 0;
    const loop = (now: number) => {
      times.push(now - last);
      if (times.length > 2000) times.splice(0, 1000);
      last = now;
      ctx.setTransform(node.width / width, 0, 0, node.height / height, 0, 0);
      drawField(ctx, source.frame(now));
      handle = requestAnimationFrame(loop);
    };
    handle = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(handle);
  }, [source, cssWidth, cssHeight, width, height]);

  return <canvas ref={canvas} className="game-canvas" role="img" aria-label={label} style={{ width: cssWidth, height: cssHeight }} data-testid="game-canvas" />;
}
