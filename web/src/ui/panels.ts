import { createStore } from '../lib/store';

/** Global dialogs opened from the header, toasts and footer; all close on route change. */
export type Panel =
  | { kind: 'friends'; tab: 'list' | 'requests' }
  | { kind: 'chats' }
  | { kind: 'privacy' }
  | { kind: 'blocked' }
  | null;

export const openPanel = createStore<Panel>(null);
