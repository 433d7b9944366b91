import { useSyncExternalStore, type AnchorHTMLAttributes, createElement, type MouseEvent } from 'react';
import { createStore } from './store';

/**
 * History-API routing with a leave guard for running
 * games: while a guard is set, navigating (links, Home, browser
 * Back) asks for confirmation first.
 */
const listeners = new Set<() => void>();
const snapshot = () => location.pathname + location.search;
let leavingTo: string | null = null;
let guardMessage: string | null = null;

/** A navigation waiting for the user's confirmation. */
export const pendingLeave = createStore<string | null>(null);

function emit(): void {
  for (const listener of [...listeners]) listener();
}

window.addEventListener('popstate', () => {
  const target = snapshot();
  if (guardMessage && guardedPath && target !== guardedPath) {
    history.pushState(null, '', guardedPath);
    pendingLeave.set(target);
    return;
  }
  pendingLeave.set(null);
  leavingTo = target;
  emit();
  leavingTo = null;
});

let guardedPath: string | null = null;
let onConfirmedLeave: (() => void) | null = null;

/**
 * A guard belongs to its game: when it is lifted, a confirmation it asked for
 * has nothing left to confirm. `onLeave` is what leaving on purpose does
 * besides navigating (the page that set the guard knows).
 */
export function setLeaveGuard(message: string | null, onLeave?: () => void): void {
  guardMessage = message;
  guardedPath = message ? snapshot() : null;
  onConfirmedLeave = message ? (onLeave ?? null) : null;
  if (!message) pendingLeave.set(null);
}

export function leaveGuardMessage(): string | null {
  return guardMessage;
}

/** The user confirmed leaving for `target`. */
export function confirmLeave(target: string): void {
  const onLeave = onConfirmedLeave;
  pendingLeave.set(null);
  onLeave?.();
  navigate(target, { force: true });
}

export interface NavigateOptions {
  replace?: boolean;
  /** Skip the leave guard (the user confirmed). */
  force?: boolean;
}

/** Whether this page was reached by a navigation inside the site (Back then stays on it). */
let navigatedHere = false;

export function cameFromThisSite(): boolean {
  return navigatedHere;
}

export function navigate(to: string, options: NavigateOptions = {}): void {
  if (guardMessage && !options.force && to !== snapshot()) {
    pendingLeave.set(to);
    return;
  }
  if (options.force) setLeaveGuard(null);
  pendingLeave.set(null);
  if (to === snapshot()) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  navigatedHere = true;
  leavingTo = to;
  emit();
  leavingTo = null;
  window.scrollTo(0, 0);
}

/** Changes the address bar without re-rendering (e.g. `/lobby` → `/lobby/0427`). */
export function fixUrl(to: string): void {
  if (to !== snapshot()) history.replaceState(null, '', to);
  if (guardedPath) guardedPath = to;
}

/** During a route change: where the user is going (cleanups use it for the side effects of leaving a page, see play/exits.ts). */
export function navigationTarget(): string {
  return leavingTo ?? snapshot();
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const value = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot,
    snapshot,
  );
  const [path, query = ''] = value.split('?');
  return { path, search: new URLSearchParams(query) };
}

/** `replace`: the page it leaves is not kept in the history (Back goes to the one before). */
export function Link({ href, onClick, replace, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; replace?: boolean }) {
  return createElement('a', {
    ...rest,
    href,
    onClick(event: MouseEvent<HTMLAnchorElement>) {
      onClick?.(event);
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(href, { replace });
    },
  });
}
