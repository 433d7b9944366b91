import { createStore } from '../lib/store';

/** The alert banner at the top of the page. */
export interface Alert {
  id: number;
  text: string;
  kind: 'info' | 'error' | 'success';
}

export const alerts = createStore<Alert[]>([]);
let nextId = 1;

export function showAlert(text: string, kind: Alert['kind'] = 'info', ms = 5000): void {
  // The same text twice in a row (e.g. several failing calls) shows once.
  if (alerts.get().some((alert) => alert.text === text)) return;
  const id = nextId++;
  alerts.set((list) => [...list, { id, text, kind }]);
  setTimeout(() => dismissAlert(id), ms);
}

export function dismissAlert(id: number): void {
  alerts.set((list) => list.filter((alert) => alert.id !== id));
}
