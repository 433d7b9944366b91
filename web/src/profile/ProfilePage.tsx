import { useEffect } from 'react';
import { navigate, useLocation } from '../lib/router';
import { useStore } from '../lib/store';
import { me, reloadMe } from '../session/session';
import { AccountTab } from './AccountTab';
import { HistoryTab } from './HistoryTab';
import { RankedTab } from './RankedTab';
import { StatsTab } from './StatsTab';

type Tab = 'account' | 'ranked' | 'stats' | 'history';
const TABS: Array<[Tab, string, boolean]> = [
  ['account', 'Account', true],
  ['ranked', 'Ranked', false],
  ['stats', 'Statistics', false],
  ['history', 'Match History', true],
];

/** The profile page: tabs, the registered-only ones hidden for guests. */
export function ProfilePage() {
  const user = useStore(me);
  // The tab is in the address (?tab=history), so that Back from a replay opened here comes back to it.
  const { search } = useLocation();
  const tab = (search.get('tab') ?? 'account') as Tab;
  const setTab = (value: Tab) => navigate(value === 'account' ? '/profile' : `/profile?tab=${value}`, { replace: true });
  useEffect(() => {
    void reloadMe();
  }, []);
  if (!user) return null;
  const tabs = TABS.filter(([, , forGuests]) => forGuests || !user.is_guest);
  const current = tabs.some(([t]) => t === tab) ? tab : 'account';
  return (
    <section className="page profile">
      <div className="tabs" role="tablist" aria-label="Profile">
        {tabs.map(([value, label]) => (
          <button key={value} type="button" role="tab" id={`tab-${value}`} aria-selected={current === value} aria-controls="profile-panel" onClick={() => setTab(value)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="profile-panel" aria-labelledby={`tab-${current}`}>
        {current === 'account' && <AccountTab user={user} />}
        {current === 'ranked' && <RankedTab />}
        {current === 'stats' && <StatsTab />}
        {current === 'history' && <HistoryTab myId={user.id} />}
      </div>
    </section>
  );
}
