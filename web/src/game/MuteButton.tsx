import { useEffect } from 'react';
import { useStore } from '../lib/store';
import { muted, setMuted } from './sound';

/** The game screens' sound switch (also the M key); remembered on this device. */
export function MuteButton() {
  const off = useStore(muted);
  useEffect(() => {
    const key = (event: KeyboardEvent) => {
      if (event.key !== 'm' && event.key !== 'M') return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest?.('input, textarea, select, [contenteditable="true"]')) return;
      setMuted(!muted.get());
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);
  return (
    <button
      type="button"
      className="mute-button"
      aria-label="Mute sounds"
      aria-pressed={off}
      title={off ? 'Sounds are off (M)' : 'Sounds are on (M)'}
      data-testid="mute-button"
      onClick={() => setMuted(!off)}
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
        {off ? (
          <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
        ) : (
          <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
        )}
      </svg>
    </button>
  );
}
