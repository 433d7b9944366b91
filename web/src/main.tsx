import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installGameStartRouting, resumeStoredGame } from './session/gameStarts';
import { bootstrap } from './session/session';
import { installGlobalNotifications } from './social/notifications';
import { openPanel } from './ui/panels';
import './styles.css';

installGlobalNotifications(() => {
  const panel = openPanel.get();
  return panel?.kind === 'friends' && panel.tab === 'requests';
});
installGameStartRouting();
void bootstrap().then(resumeStoredGame);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
