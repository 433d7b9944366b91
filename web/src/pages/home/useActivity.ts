import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { ActivityFigures, LiveMatch, Page } from '../../api/types';
import { on } from '../../session/events';

/** How many live matches the home page lists; the rest are counted. */
export const LIVE_SHOWN = 10;

export interface LiveList {
  matches: LiveMatch[];
  /** All the matches the caller may watch, listed or not. */
  count: number;
}

/**
 * The home page's figures and live matches, kept current by `activity-update`
 * (docs/events.md, Activity): the figures come in the event itself, the live
 * list is read again only when the event's `live_version` moved.
 */
export function useActivity(): { figures: ActivityFigures | null; live: LiveList | null } {
  const [figures, setFigures] = useState<ActivityFigures | null>(null);
  const [live, setLive] = useState<LiveList | null>(null);
  const version = useRef<number | null>(null);
  // Answers may come back out of order: only the newest request may set the list.
  const request = useRef(0);

  useEffect(() => {
    let alive = true;
    const loadLive = async () => {
      const mine = ++request.current;
      const result = await api<Page<LiveMatch>>('GET', `/api/game/live/?limit=${LIVE_SHOWN}`);
      if (alive && mine === request.current && result.ok) setLive({ matches: result.data.results, count: result.data.count });
    };
    // A stream that opens gets the next change, not the current figures: read them once.
    void api<ActivityFigures>('GET', '/api/activity/').then((result) => {
      if (alive && result.ok) setFigures((current) => current ?? result.data);
    });
    void loadLive();
    const off = on('activity-update', (event) => {
      const { live_version: liveVersion, online, playing, live_matches, open_tournaments } = event.data as ActivityFigures & { live_version: number };
      setFigures({ online, playing, live_matches, open_tournaments });
      if (liveVersion === version.current) return;
      version.current = liveVersion;
      void loadLive();
    });
    return () => {
      alive = false;
      off();
    };
  }, []);

  return { figures, live };
}
