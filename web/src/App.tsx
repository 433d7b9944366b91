import { useEffect, useLayoutEffect } from 'react';
import { Header } from './layout/Header';
import { LeaveConfirm } from './layout/LeaveConfirm';
import { PrivacyPolicy } from './layout/PrivacyPolicy';
import { useLocation } from './lib/router';
import { useStore } from './lib/store';
import { GamePage } from './pages/GamePage';
import { HomePage } from './pages/HomePage';
import { LocalGamePage } from './pages/LocalGamePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SpectatePage } from './pages/SpectatePage';
import { leavePlacesFor } from './play/exits';
import { LobbyPage } from './play/LobbyPage';
import { TournamentPage } from './play/TournamentPage';
import { PlayerPage } from './profile/PlayerPage';
import { ProfilePage } from './profile/ProfilePage';
import { ReplayPage } from './replay/ReplayPage';
import { playedInAnotherTab, resumableGame } from './session/gameStarts';
import { identity, me } from './session/session';
import { BlockedModal } from './social/BlockedModal';
import { ChatListModal } from './social/ChatListModal';
import { ChatPanel } from './social/ChatPanel';
import { FriendsModal } from './social/FriendsModal';
import { AlertBanner } from './ui/Alerts';
import { Spinner } from './ui/bits';
import { openPanel } from './ui/panels';
import { ToastArea } from './ui/Toasts';

/** The routes: path → page. */
function Page({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean);
  const code = parts[1];
  switch (parts[0] ?? '') {
    case '':
      return <HomePage />;
    case 'profile':
      return parts.length === 1 ? <ProfilePage /> : <NotFoundPage />;
    case 'game':
      if (parts.length !== 2) return <NotFoundPage />;
      if (code === 'local') return <LocalGamePage />;
      if (code === 'duel' || code === 'ranked' || code === 'tournament' || code === '1v1' || code === '3v3' || code === 'computer') return <GamePage mode={code} />;
      return <NotFoundPage />;
    case 'spectate':
      return code && /^\d+$/.test(code) && parts.length === 2 ? <SpectatePage code={code} /> : <NotFoundPage />;
    case 'players':
      return code && /^\d+$/.test(code) && parts.length === 2 ? <PlayerPage key={code} userId={Number(code)} /> : <NotFoundPage />;
    case 'replay':
      return code && /^\d+$/.test(code) && parts.length === 2 ? <ReplayPage matchId={Number(code)} /> : <NotFoundPage />;
    case 'lobby':
      return parts.length <= 2 && (!code || /^\d+$/.test(code)) ? <LobbyPage code={code ?? null} /> : <NotFoundPage />;
    case 'tournament':
      return parts.length <= 2 && (!code || /^\d+$/.test(code)) ? <TournamentPage code={code ?? null} /> : <NotFoundPage />;
    default:
      return <NotFoundPage />;
  }
}

function GlobalPanels() {
  const panel = useStore(openPanel);
  const user = useStore(me);
  if (!panel) return null;
  if (panel.kind === 'privacy') return <PrivacyPolicy onClose={() => openPanel.set(null)} />;
  if (!user || user.is_guest) return null;
  if (panel.kind === 'friends') return <FriendsModal tab={panel.tab} />;
  if (panel.kind === 'chats') return <ChatListModal />;
  if (panel.kind === 'blocked') return <BlockedModal />;
  return null;
}

/** The address the site was opened at, until the first navigation. */
let openingPath: string | null = location.pathname;

export function App() {
  const { path } = useLocation();
  const user = useStore(me);
  const session = useStore(identity);
  useEffect(() => openPanel.set(null), [path]);
  // Before the new page's effects: leave the lobby or tournament this path is not part of. Not when the site
  // opens on its way back into a game (resumeStoredGame): the game's lobby or tournament is where he still is.
  useLayoutEffect(() => {
    if (path === openingPath && resumableGame()) return;
    openingPath = null;
    // Nor while another tab plays: its game's lobby or tournament is his, whatever this tab shows.
    if (!playedInAnotherTab()) leavePlacesFor(path);
  }, [path]);
  const inGame = path.startsWith('/game/') || path.startsWith('/spectate/');
  return (
    <>
      <a href="#main" className="skip-link">Skip to content</a>
      <Header />
      <AlertBanner />
      <main id="main" className={inGame ? 'main game-main' : 'main'} tabIndex={-1}>
        {user ? <Page key={session} path={path} /> : <Spinner label="Loading…" />}
      </main>
      <footer className="site-footer">
        <button type="button" className="link" onClick={() => openPanel.set({ kind: 'privacy' })}>
          Privacy policy
        </button>
      </footer>
      <ChatPanel />
      <ToastArea />
      <GlobalPanels />
      <LeaveConfirm />
    </>
  );
}
