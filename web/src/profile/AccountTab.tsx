import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, errorText } from '../api/client';
import type { ChatPolicy, Me } from '../api/types';
import { deleteAccount, logout, reloadMe } from '../session/session';
import { resetChatPanel } from '../social/chatStore';
import { showAlert } from '../ui/alerts';
import { Avatar } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { openPanel } from '../ui/panels';
import { PictureGallery } from './PictureGallery';

/** The longest username the server accepts (registration and renaming alike). */
export const USERNAME_INPUT_MAX = 30;

function Rename({ user }: { user: Me }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(user.username);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const save = async () => {
    const username = value.trim();
    if (username === user.username) return setEditing(false);
    const result = await api('PATCH', '/api/users/me/', { username });
    if (!result.ok) return setError(errorText(result, ['username']));
    setEditing(false);
    setError(null);
    await reloadMe();
    showAlert('Username changed.', 'success');
  };
  const keys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') void save();
    if (event.key === 'Escape') {
      setEditing(false);
      setValue(user.username);
    }
  };
  if (!editing) {
    return (
      <button type="button" className="username-button" title="Click to rename" onClick={() => { setValue(user.username); setEditing(true); }}>
        <h1>{user.username}</h1>
        <span aria-hidden="true">✎</span>
      </button>
    );
  }
  return (
    <div className="rename">
      <label htmlFor={id} className="visually-hidden">New username</label>
      <input
        id={id}
        autoFocus
        maxLength={USERNAME_INPUT_MAX}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={keys}
        onBlur={() => {
          setEditing(false);
          setError(null);
        }}
      />
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

function ChatPreference({ user }: { user: Me }) {
  const choices: Array<[ChatPolicy, string]> = [['none', 'No one'], ['friends_only', 'Friends'], ['everyone', 'Everyone']];
  return (
    <div className="setting">
      <span id="chat-pref">Accept chats from</span>
      <div className="segmented" role="group" aria-labelledby="chat-pref">
        {choices.map(([value, label]) => (
          <button
            key={value}
            type="button"
            aria-pressed={user.accept_chat_from === value}
            onClick={async () => {
              if ((await api('PATCH', '/api/users/me/', { accept_chat_from: value })).ok) await reloadMe();
            }}
          >
            {label}
          </button>
        ))}
      </div>
    </div>
  );
}

function FriendRequestSwitch({ user }: { user: Me }) {
  const id = useId();
  return (
    <div className="setting">
      <label htmlFor={id}>Accept friend requests</label>
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="switch"
        checked={user.accept_friend_request}
        onChange={async (event) => {
          if ((await api('PATCH', '/api/users/me/', { accept_friend_request: event.target.checked })).ok) await reloadMe();
        }}
      />
    </div>
  );
}

function PasswordModal({ onClose }: { onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [old, setOld] = useState('');
  const [errors, setErrors] = useState<{ password?: string; old_password?: string }>({});
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api('PATCH', '/api/users/me/', { password, old_password: old });
    if (!result.ok) {
      const fields = { password: result.data?.password?.[0], old_password: result.data?.old_password?.[0] };
      return setErrors(fields.password || fields.old_password ? fields : { old_password: errorText(result) });
    }
    onClose();
    showAlert('Password changed.', 'success');
  };
  return (
    <Modal title="Change password" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label htmlFor={`${id}-n`}>New password</label>
        <input id={`${id}-n`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        {errors.password && <p className="field-error">{errors.password}</p>}
        <label htmlFor={`${id}-o`}>Current password</label>
        <input id={`${id}-o`} type="password" autoComplete="current-password" value={old} onChange={(e) => setOld(e.target.value)} required />
        {errors.old_password && <p className="field-error">{errors.old_password}</p>}
        <button type="submit" className="primary">Change password</button>
      </form>
    </Modal>
  );
}

function DeleteModal({ onClose }: { onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const failed = await deleteAccount(password);
    if (failed) return setError(failed);
    resetChatPanel();
  };
  return (
    <Modal title="Delete my account" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <p>Deleting your account is permanent: your profile, friends, messages and statistics are erased.</p>
        <label htmlFor={id}>Password</label>
        <input id={id} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        {error && <p className="field-error">{error}</p>}
        <button type="submit" className="danger">Delete my account</button>
      </form>
    </Modal>
  );
}

/** Personal data: the export, saved under the server's file name. */
async function downloadData(): Promise<void> {
  const result = await api<Blob>('GET', '/api/users/me/download-data/', undefined, { blob: true });
  if (!result.ok) {
    showAlert(errorText(result, [], 'Unable to download your data.'), 'error');
    return;
  }
  const disposition = result.headers?.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'your_data.json';
  const url = URL.createObjectURL(result.data);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Profile → Account. */
export function AccountTab({ user }: { user: Me }) {
  const [dialog, setDialog] = useState<'pictures' | 'password' | 'delete' | null>(null);
  const close = () => setDialog(null);
  const registered = !user.is_guest;
  return (
    <div className="account">
      <div className="banner-card">
        <button type="button" className="picture-button" aria-label="Change profile picture" onClick={() => setDialog('pictures')} data-testid="change-picture">
          <Avatar user={user} size="medium" px={120} />
        </button>
        <Rename user={user} />
      </div>
      {registered && (
        <div className="settings">
          <ChatPreference user={user} />
          <FriendRequestSwitch user={user} />
          <div className="row wrap">
            <button type="button" onClick={() => openPanel.set({ kind: 'blocked' })}>Show blocked users</button>
            <button type="button" onClick={() => setDialog('password')}>Change password</button>
            <button type="button" onClick={() => void downloadData()} data-testid="download-data">Download my data</button>
            <button type="button" onClick={() => void logout()}>Log out</button>
            <button type="button" className="danger" onClick={() => setDialog('delete')}>Delete my account</button>
          </div>
        </div>
      )}
      {!registered && (
        <p className="hint">You are playing as a guest. Register from the Login menu to keep your progress, make friends and chat.</p>
      )}
      {dialog === 'pictures' && <PictureGallery onClose={close} />}
      {dialog === 'password' && <PasswordModal onClose={close} />}
      {dialog === 'delete' && <DeleteModal onClose={close} />}
    </div>
  );
}
