import { api, errorText, refreshTokens, whenSessionLost, type ApiResult } from '../api/client';
import { accessTtlSeconds, currentTokens, setTokens } from '../api/tokens';
import type { Me } from '../api/types';
import { navigate } from '../lib/router';
import { storedGameEvent, storedLobbyCode, storedTournamentCode } from '../lib/storage';
import { createStore } from '../lib/store';
import { showAlert } from '../ui/alerts';
import { clearToasts } from '../ui/toasts';
import { closeStream, isStreamOpen, on, openStream } from './events';
import { showWelcome } from './welcome';

/**
 * Who is using the tab: everybody starts as a guest;
 * login, register, logout and deletion change the identity, which reopens
 * the live stream and closes any game socket.
 */
export const me = createStore<Me | null>(null);
/** Bumped on every identity change so that pages reload their data. */
export const identity = createStore(0);

const gameSocketClosers = new Set<() => void>();

/** Game sockets register here so an identity change closes them. */
export function trackGameSocket(close: () => void): () => void {
  gameSocketClosers.add(close);
  return () => gameSocketClosers.delete(close);
}

function closeGameSockets(): void {
  for (const close of [...gameSocketClosers]) close();
}

/** A valid access token, refreshed first when it is about to expire. */
export async function freshAccessToken(): Promise<string | null> {
  if (!currentTokens()) return null;
  if (accessTtlSeconds() < 30 && !(await refreshTokens())) {
    await becomeNewGuest('Your session expired: you are now playing as a guest.');
  }
  return currentTokens()?.access ?? null;
}

async function createGuest(): Promise<boolean> {
  const created = await api<{ access: string; refresh: string }>('POST', '/api/auth/guest/', undefined, { anonymous: true });
  if (!created.ok) return false;
  setTokens({ access: created.data.access, refresh: created.data.refresh });
  return true;
}

export async function reloadMe(): Promise<Me | null> {
  const result = await api<Me>('GET', '/api/users/me/');
  if (result.ok) {
    me.set(result.data);
    return result.data;
  }
  return null;
}

/** A brand-new guest, with an alert saying why. */
async function becomeNewGuest(reason: string | null): Promise<void> {
  closeStream();
  closeGameSockets();
  setTokens(null);
  if (await createGuest()) {
    await reloadMe();
    identity.set((n) => n + 1);
    void openStream(freshAccessToken);
  }
  if (reason) showAlert(reason, 'info', 8000);
}

whenSessionLost(() => becomeNewGuest('Your session could not be renewed: you are now playing as a guest.'));

/** First load: reuse the stored session or create a guest, load Me, open the stream. */
export async function bootstrap(): Promise<void> {
  if (!currentTokens() && !(await createGuest())) return;
  const result = await api<Me>('GET', '/api/users/me/');
  if (result.ok) me.set(result.data);
  else if ((result.data as { code?: string } | null)?.code === 'user_not_found' || result.status === 401) {
    await becomeNewGuest('Your previous account or guest profile could not be found: a new guest profile is used.');
    return;
  }
  void openStream(freshAccessToken);
}

async function adoptTokens(result: ApiResult<{ access: string; refresh: string }>): Promise<void> {
  closeGameSockets();
  closeStream();
  setTokens({ access: result.data.access, refresh: result.data.refresh });
  await reloadMe();
  identity.set((n) => n + 1);
  void openStream(freshAccessToken);
}

export interface FormErrors {
  username?: string;
  password?: string;
}

function formErrors(result: ApiResult<any>): FormErrors {
  const username = result.data?.username?.[0];
  const password = result.data?.password?.[0];
  if (username || password) return { username, password };
  return { password: errorText(result, [], 'Unable to sign in.') };
}

/** Login: `POST /api/auth/login/` without the Authorization header. */
export async function login(username: string, password: string): Promise<FormErrors | null> {
  const result = await api('POST', '/api/auth/login/', { username, password }, { anonymous: true });
  if (!result.ok) return formErrors(result);
  await adoptTokens(result);
  return null;
}

/**
 * Register: converts the current guest. The account stays the same user, so the live stream stays
 * open: the "Register" picture unlock the server sends while it answers reaches this tab (closing
 * it for a new one would open a gap where that event is lost). And a welcome, by name.
 */
export async function register(username: string, password: string): Promise<FormErrors | null> {
  const result = await api<{ access: string; refresh: string }>('PUT', '/api/auth/register/guest/', { username, password });
  if (!result.ok) return formErrors(result);
  closeGameSockets();
  setTokens({ access: result.data.access, refresh: result.data.refresh });
  showWelcome(username.trim());
  await reloadMe();
  identity.set((n) => n + 1);
  if (!isStreamOpen()) void openStream(freshAccessToken);
  return null;
}

function forgetPlaces(): void {
  storedGameEvent.clear();
  storedLobbyCode.clear();
  storedTournamentCode.clear();
}

/** Log out: a new guest, a clean slate, back home. */
export async function logout(reason: string | null = null): Promise<void> {
  forgetPlaces();
  clearToasts();
  navigate('/', { force: true });
  await becomeNewGuest(reason);
}

/** Account deletion: `DELETE /api/users/me/` with the password; the stream is closed first and reopened on failure. */
export async function deleteAccount(password: string): Promise<string | null> {
  closeStream();
  const result = await api('DELETE', '/api/users/me/', { password });
  if (!result.ok) {
    void openStream(freshAccessToken);
    return errorText(result, ['password'], 'Unable to delete the account.');
  }
  await logout('Your account was deleted. A guest account is now used.');
  return null;
}

on('delete-user', () => {
  void logout('Your account was deleted on another client: a guest account is now used.');
});

export function adjustBadge(kind: 'friend_requests' | 'chats', delta: number | 'reset'): void {
  me.set((user) => {
    if (!user) return user;
    const current = user.notifications[kind];
    const value = delta === 'reset' ? 0 : Math.max(0, current + delta);
    return { ...user, notifications: { ...user.notifications, [kind]: value } };
  });
}
