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
 * Keyboard bindings plus touch on the element: touching its upper half
 * means up, the lower half down, lifting stops; page scrolling by touch is
 * disabled meanwhile.
 */
export function usePaddleInput(bindings: KeyBinding[], touchTarget: React.RefObject<HTMLElement | null>, touchBinding = 0): void {
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
      pressed.clear();
      update();
    };
    window.addEventListener('keydown', keydown);
    window.addEventListener('keyup', keyup);
    window.addEventListener('blur', blur);

    const node = touchTarget.current;
    const touch = (event: TouchEvent) => {
      const binding = latest.current[touchBinding];
      if (!binding) return;
      event.preventDefault();
      const point = event.touches[0];
      if (!point) return binding.onChange(0);
      const rect = (node ?? document.body).getBoundingClientRect();
      binding.onChange(point.clientY < rect.top + rect.height / 2 ? -1 : 1);
    };
    node?.addEventListener('touchstart', touch, { passive: false });
    node?.addEventListener('touchmove', touch, { passive: false });
    node?.addEventListener('touchend', touch, { passive: false });
    node?.addEventListener('touchcancel', touch, { passive: false });
    return () => {
      window.removeEventListener('keydown', keydown);
      window.removeEventListener('keyup', keyup);
      window.removeEventListener('blur', blur);
      node?.removeEventListener('touchstart', touch);
      node?.removeEventListener('touchmove', touch);
      node?.removeEventListener('touchend', touch);
      node?.removeEventListener('touchcancel', touch);
    };
  }, [touchTarget, touchBinding]);
}
