/** Username and password; the server sets the session cookie. */
import { useState, type FormEvent } from 'react';
import { api, type UserOut } from '../../api/endpoints';
import { setCsrfToken } from '../../api/http';
import { ErrorList } from '../components/ErrorList';

export function LoginForm({ onLogin }: { onLogin: (user: UserOut) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    api.login(username, password).then((out) => {
      setCsrfToken(out.csrf_token);
      onLogin(out.user);
    }, (err: unknown) => setError(err)).finally(() => setBusy(false));
  };
  return (
    <form className="login card" onSubmit={submit}>
      <h1>Postil</h1>
      <label>Username<input name="username" autoComplete="username" value={username} autoFocus
        onChange={(e) => setUsername(e.target.value)} /></label>
      <label>Password<input name="password" type="password" autoComplete="current-password" value={password}
        onChange={(e) => setPassword(e.target.value)} /></label>
      <button type="submit" className="primary" disabled={busy}>Log in</button>
      <ErrorList error={error} />
    </form>
  );
}
