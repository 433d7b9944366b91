import { navigate } from '../lib/router';
import { showToast } from '../ui/toasts';

/** The welcome after a registration: by name, with the way to a first game. */
export function welcomeText(username: string): string {
  return `Welcome, ${username}! Your account is ready: ranked games, friends and chat are open to you. Pick a mode and press Play.`;
}

export function showWelcome(username: string): void {
  showToast({
    title: 'welcome',
    message: welcomeText(username),
    actions: [{ label: 'Play', run: () => navigate('/') }],
    onOpen: () => navigate('/'),
  });
}
