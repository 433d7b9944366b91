import { useLayoutEffect, useState, type RefObject } from 'react';
import type { Geometry } from './draw';

/** Room kept above and below a turned field for the names and the score. */
const BAND_PX = 40;
/** Turn the field only when that makes it clearly bigger. */
const ROTATE_GAIN = 1.15;
/** Below this much of the window's height from the top, the field starts where it is; further down, the page scrolls to it. */
const MAX_TOP_SHARE = 0.12;

export interface FitInput {
  /** Field size in units. */
  width: number;
  height: number;
  /** Width available to the canvas (CSS px). */
  availableWidth: number;
  /** Height for an upright (landscape) field: the window less what the page keeps around it, as before. */
  landscapeHeight: number;
  /** Height for a turned field: the window below the header. */
  portraitHeight: number;
}

/**
 * The field's place on the canvas. A landscape screen gets the field at
 * its size, never above 1:1 (desktop: as before). A screen held upright (a
 * phone) gets the field turned a quarter, the canvas filling the width and
 * the height below the header, the names and score above and below it.
 */
export function fitField({ width, height, availableWidth, landscapeHeight, portraitHeight }: FitInput): Geometry {
  const flat = Math.max(0.05, Math.min(1, availableWidth / width, landscapeHeight / height));
  const turned = Math.min(1, availableWidth / height, (portraitHeight - 2 * BAND_PX) / width);
  if (portraitHeight > availableWidth * 1.1 && turned > flat * ROTATE_GAIN) {
    const cssWidth = Math.floor(availableWidth);
    const cssHeight = Math.floor(portraitHeight);
    return {
      cssWidth,
      cssHeight,
      rotated: true,
      scale: turned,
      left: (cssWidth - height * turned) / 2,
      top: (cssHeight - width * turned) / 2,
      width,
      height,
    };
  }
  return { cssWidth: Math.round(width * flat), cssHeight: Math.round(height * flat), rotated: false, scale: flat, left: 0, top: 0, width, height };
}

/** The geometry, and whether the window has room beside the field (for the sound switch). */
export interface Placement extends Geometry {
  roomBeside: boolean;
}

function measure(stage: HTMLElement | null, width: number, height: number, reservedPx: number, belowPx: number): Placement {
  const container = stage?.parentElement;
  const availableWidth = Math.max(200, container ? container.clientWidth : window.innerWidth - 16);
  const top = stage ? stage.getBoundingClientRect().top + window.scrollY : 70;
  const portraitHeight = window.innerHeight - Math.min(top, window.innerHeight * MAX_TOP_SHARE) - 10 - belowPx;
  const geometry = fitField({ width, height, availableWidth: Math.min(availableWidth, window.innerWidth - 16), landscapeHeight: Math.max(120, window.innerHeight - reservedPx), portraitHeight });
  return { ...geometry, roomBeside: !geometry.rotated && (window.innerWidth - geometry.cssWidth) / 2 >= 64 };
}

const same = (a: Placement, b: Placement) =>
  a.cssWidth === b.cssWidth && a.cssHeight === b.cssHeight && a.rotated === b.rotated && a.width === b.width && a.height === b.height && a.roomBeside === b.roomBeside;

/** The geometry for the stage element, following the window's size and orientation. */
export function useFieldGeometry(stage: RefObject<HTMLElement | null>, width: number, height: number, reservedPx: number, belowPx = 0): Placement {
  const [geometry, setGeometry] = useState(() => measure(null, width, height, reservedPx, belowPx));
  useLayoutEffect(() => {
    const update = () => setGeometry((current) => {
      const next = measure(stage.current, width, height, reservedPx, belowPx);
      return same(current, next) ? current : next;
    });
    update();
    window.addEventListener('resize', update);
    window.addEventListener('orientationchange', update);
    const observer = typeof ResizeObserver === 'function' && stage.current?.parentElement ? new ResizeObserver(update) : null;
    if (observer && stage.current?.parentElement) observer.observe(stage.current.parentElement);
    return () => {
      window.removeEventListener('resize', update);
      window.removeEventListener('orientationchange', update);
      observer?.disconnect();
    };
  }, [stage, width, height, reservedPx, belowPx]);

  // A turned field fills the screen below the header (less `belowPx`): bring all of it, and that room, into view.
  useLayoutEffect(() => {
    const node = stage.current;
    if (!geometry.rotated || !node) return;
    const box = node.getBoundingClientRect();
    const bottom = box.bottom + belowPx;
    if (bottom > window.innerHeight + 1) window.scrollBy({ top: bottom - window.innerHeight + 4 });
  }, [stage, geometry, belowPx]);
  return geometry;
}
