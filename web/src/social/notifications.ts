import { api } from '../api/client';
import type { ChatMessage, LiveEvent, Target } from '../api/types';
import { navigate } from '../lib/router';
import { on } from '../session/events';
import { adjustBadge, reloadMe } from '../session/session';
import { openPanel } from '../ui/panels';
import { showToast, type ToastAction } from '../ui/toasts';
import { isChatVisible, openChat } from './chatStore';
import { peopleText } from './eventTexts';
import { socialChanged } from './socialEvents';

/**
 * Live events handled on every page:
 * toasts whose buttons are the event's targets, and badge updates.
 */
function targetAction(target: Target, after?: () => void): ToastAction {
  const method = (target.method ?? 'GET').toUpperCase();
  const label = target.display_name ?? (method === 'POST' ? 'accept' : method === 'DELETE' ? 'decline' : 'open');
  const icon = target.display_icon ? (method === 'DELETE' ? 'decline' : 'accept') : null;
  return {
    label,
    icon,
    async run() {
      if (target.type === 'url' || target.url.startsWith('/')) {
        navigate(target.url.startsWith('/profile') ? '/profile' : target.url);
        return;
      }
      await api(method as 'POST', `/${target.url}`);
      after?.();
    },
  };
}

const actionsOf = (event: LiveEvent, after?: () => void) => (event.target ?? []).map((target) => targetAction(target, after));

export function installGlobalNotifications(isRequestsTabVisible: () => boolean): void {
  on('receive-friend-request', (event) => {
    socialChanged.emit('requests');
    if (isRequestsTabVisible()) return;
    adjustBadge('friend_requests', 1);
    showToast({
      title: 'friend request',
      message: event.message ?? '',
      actions: actionsOf(event, () => {
        adjustBadge('friend_requests', -1);
        socialChanged.emit('friends');
        socialChanged.emit('requests');
      }),
      onOpen: () => openPanel.set({ kind: 'friends', tab: 'requests' }),
    });
  });
  on('accept-friend-request', (event) => {
    socialChanged.emit('friends');
    socialChanged.emit('requests');
    if (openPanel.get()?.kind !== 'friends') showToast({ title: 'friend request', message: event.message ?? '', actions: [] });
  });
  on('cancel-friend-request', () => {
    adjustBadge('friend_requests', -1);
    socialChanged.emit('requests');
  });
  on('reject-friend-request', () => socialChanged.emit('requests'));
  on('delete-friend', () => socialChanged.emit('friends'));

  on('receive-message', (event: LiveEvent<ChatMessage & { chat_id: number }>) => {
    const chatId = event.data?.chat_id;
    if (typeof chatId === 'number' && isChatVisible(chatId)) return;
    adjustBadge('chats', 1);
    showToast({
      title: 'message received',
      message: event.message ?? '',
      actions: [],
      onOpen: () => typeof chatId === 'number' && void openChat(chatId),
    });
  });

  for (const code of ['invite-clash', 'invite-1v1', 'invite-3v3', 'invite-tournament'] as const) {
    on(code, (event) => showToast({ title: event.service || 'invite', message: peopleText(event), actions: actionsOf(event) }));
  }

  on('profile-picture-unlocked', (event) => {
    showToast({
      title: 'achievement',
      message: event.message ?? 'You have unlocked a new profile picture!',
      icon: event.data?.small ?? null,
      actions: actionsOf(event, () => {
        void reloadMe();
        socialChanged.emit('pictures');
      }),
    });
  });

  on('tournament-finish', (event) => {
    showToast({ title: 'tournament finished', message: peopleText(event), actions: [] });
  });
}

