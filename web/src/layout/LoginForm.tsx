import { useId, useState, type FormEvent } from 'react';
import { login, register, type FormErrors } from '../session/session';
import { openPanel } from '../ui/panels';

/** One form, "login" or "register" mode (register converts the current guest). */
export function LoginForm({ onDone }: { onDone?: () => void }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const failed = await (mode === 'login' ? login(username, password) : register(username, password));
    setBusy(false);
    if (failed) setErrors(failed);
    else onDone?.();
  }

  // A failed login does not say which of the two is wrong; a refused registration names its field.
  const loginFailed = mode === 'login' && Boolean(errors.username || errors.password);
  const usernameInvalid = loginFailed || Boolean(errors.username);
  const passwordInvalid = loginFailed || Boolean(errors.password);
  return (
    <form className="login-form" onSubmit={submit} noValidate>
      <div className="segmented" role="tablist" aria-label="Sign in or create an account">
        <button type="button" role="tab" aria-selected={mode === 'login'} onClick={() => setMode('login')}>
          Log in
        </button>
        <button type="button" role="tab" aria-selected={mode === 'register'} onClick={() => setMode('register')}>
          Register
        </button>
      </div>
      <label htmlFor={`${id}-u`}>Username</label>
      <input
        id={`${id}-u`}
        name="username"
        autoComplete="username"
        value={username}
        aria-invalid={usernameInvalid}
        aria-describedby={mode === 'register' ? `${id}-uh` : undefined}
        onChange={(event) => setUsername(event.target.value)}
        required
      />
      {errors.username && <p className="field-error">{errors.username}</p>}
      {mode === 'register' && (
        <p className="hint" id={`${id}-uh`}>3 to 30 letters (a–z, A–Z), digits, _ or -.</p>
      )}
      <label htmlFor={`${id}-p`}>Password</label>
      <input
        id={`${id}-p`}
        name="password"
        type="password"
        autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
        value={password}
        aria-invalid={passwordInvalid}
        onChange={(event) => setPassword(event.target.value)}
        required
      />
      {errors.password && <p className="field-error">{errors.password}</p>}
      {mode === 'register' && (
        <p className="hint">
          By registering you accept the{' '}
          <button type="button" className="link" onClick={() => openPanel.set({ kind: 'privacy' })}>
            privacy policy
          </button>
          .
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {mode === 'login' ? 'Log in' : 'Create account'}
      </button>
    </form>
  );
}
