import { useEffect, useRef } from 'react';
import type { Direction } from '@shared/engine/index.js';

/** Two keys → a direction: one alone moves, both or neither stop. */
export function directionOf(up: boolean, down: boolean): Direction {
  return up === down ? 0 : up ? -1 : 1;
}

export interface KeyBinding {
  up: string[];
  down: string[];
  onChange(direction: Direction): void;
}

/**
 * Keyboard bindings: one key of a pair moves, both or neither stop. Touch is
 * the canvas' own (GameCanvas: drag the paddle).
 */
export function usePaddleInput(bindings: KeyBinding[]): void {
  const latest = useRef(bindings);
  latest.current = bindings;
  useEffect(() => {
    const pressed = new Set<string>();
    const update = () => {
      for (const binding of latest.current) {
        binding.onChange(directionOf(binding.up.some((k) => pressed.has(k)), binding.down.some((k) => pressed.has(k))));
      }
    };
    const isBound = (key: string) => latest.current.some((b) => b.up.includes(key) || b.down.includes(key));
    const keydown = (event: KeyboardEvent) => {
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (!isBound(key) || (event.target as HTMLElement)?.closest?.('input, textarea')) return;
      event.preventDefault();
      if (pressed.has(key)) return;
      pressed.add(key);
      update();
    };
    const keyup = (event: KeyboardEvent) => {
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (!pressed.delete(key)) return;
      update();
    };
    const blur = () => {
      if (pressed.size === 0) return;
      pressed.clear();
      update();
    };
    window.addEventListener('keydown', keydown);
    window.addEventListener('keyup', keyup);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', keydown);
      window.removeEventListener('keyup', keyup);
      window.removeEventListener('blur', blur);
    };
  }, []);
}
