import { useCallback, useRef } from 'react';

/**
 * Runs an action at most once at a time: a double click (or Enter pressed
 * twice) while it is on its way does nothing, instead of sending a chat
 * message twice or creating two lobbies.
 */
export function useSingleFlight(): (action: () => Promise<void>) => Promise<void> {
  const busy = useRef(false);
  return useCallback(async (action) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await action();
    } finally {
      busy.current = false;
    }
  }, []);
}
