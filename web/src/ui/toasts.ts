import { createStore } from '../lib/store';

/** Toasts: at most 3 shown, the rest queued; 5 s unless clicked. */
export const MAX_VISIBLE_TOASTS = 3;
export const TOAST_MS = 5000;
export const TOAST_BODY_MAX = 200;

export interface ToastAction {
  label: string;
  icon?: 'accept' | 'decline' | null;
  run(): void | Promise<void>;
}

export interface Toast {
  id: number;
  title: string;
  message: string;
  icon?: string | null;
  actions: ToastAction[];
  /** Clicking the body (not an action). */
  onOpen?: () => void;
}

export interface ToastState {
  visible: Toast[];
  queued: Toast[];
}

export const toasts = createStore<ToastState>({ visible: [], queued: [] });
const timers = new Map<number, ReturnType<typeof setTimeout>>();
let nextId = 1;

export function cutToast(text: string): string {
  return text.length > TOAST_BODY_MAX ? `${text.slice(0, TOAST_BODY_MAX)}…` : text;
}

function arm(id: number): void {
  timers.set(id, setTimeout(() => closeToast(id), TOAST_MS));
}

export function showToast(toast: Omit<Toast, 'id'>): number {
  const full: Toast = { ...toast, id: nextId++, message: cutToast(toast.message) };
  toasts.set((state) => {
    if (state.visible.length < MAX_VISIBLE_TOASTS) {
      arm(full.id);
      return { ...state, visible: [...state.visible, full] };
    }
    return { ...state, queued: [...state.queued, full] };
  });
  return full.id;
}

/** A clicked toast stays until closed. */
export function pinToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
}

export function closeToast(id: number): void {
  pinToast(id);
  toasts.set((state) => {
    if (!state.visible.some((toast) => toast.id === id)) return { ...state, queued: state.queued.filter((toast) => toast.id !== id) };
    const visible = state.visible.filter((toast) => toast.id !== id);
    const [next, ...queued] = state.queued;
    if (next) {
      arm(next.id);
      visible.push(next);
    }
    return { visible, queued };
  });
}

export function clearToasts(): void {
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
  toasts.set({ visible: [], queued: [] });
}
