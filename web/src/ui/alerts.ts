import { createStore } from '../lib/store';

/** The alert banner at the top of the page. */
export interface Alert {
  id: number;
  text: string;
  kind: 'info' | 'error' | 'success';
}

export const alerts = createStore<Alert[]>([]);
let nextId = 1;

/** Shows `text` for `ms`; answers its id (for `dismissAlert`), or null when the same text is already shown. */
export function showAlert(text: string, kind: Alert['kind'] = 'info', ms = 5000): number | null {
  // The same text twice in a row (e.g. several failing calls) shows once.
  if (alerts.get().some((alert) => alert.text === text)) return null;
  const id = nextId++;
  alerts.set((list) => [...list, { id, text, kind }]);
  setTimeout(() => dismissAlert(id), ms);
  return id;
}

export function dismissAlert(id: number): void {
  alerts.set((list) => list.filter((alert) => alert.id !== id));
}
