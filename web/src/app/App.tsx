/** The app shell: who is logged in, the top bar, and the page for the current path. */
import { useEffect, useState } from 'react';
import { api, type UserOut } from '../api/endpoints';
import { ApiError, onUnauthorized, setCsrfToken } from '../api/http';
import { Link } from './components/Link';
import { LoginForm } from './pages/LoginForm';
import { Routes } from './Routes';
import { navigate } from './router';
import { UserContext } from './userContext';

type Auth = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'user'; user: UserOut; expired: boolean };

export function App() {
  const [auth, setAuth] = useState<Auth>({ kind: 'loading' });
  useEffect(() => {
    api.me().then((user) => setAuth({ kind: 'user', user, expired: false }),
      (err: unknown) => setAuth(err instanceof ApiError && err.status === 401 ? { kind: 'anonymous' } : { kind: 'anonymous' }));
    // a 401 later keeps the page (and its unsaved work) and asks to log in again on top of it
    return onUnauthorized(() => setAuth((a) => (a.kind === 'user' ? { ...a, expired: true } : a)));
  }, []);

  if (auth.kind === 'loading') return <div className="center muted">Loading…</div>;
  if (auth.kind === 'anonymous') {
    return <div className="login-page"><LoginForm onLogin={(user) => setAuth({ kind: 'user', user, expired: false })} /></div>;
  }
  const logout = () => {
    api.logout().finally(() => {
      setCsrfToken(null);
      setAuth({ kind: 'anonymous' });
      navigate('/');
    });
  };
  return (
    <UserContext.Provider value={auth.user}>
      <header className="topbar">
        <Link to="/" className="brand">Postil</Link>
        <span className="spacer" />
        <span className="muted">{auth.user.username}</span>
        <button type="button" className="link" onClick={logout}>Log out</button>
      </header>
      <main className="page"><Routes /></main>
      {auth.expired && (
        <div className="modal-backdrop">
          <div className="modal">
            <p>Your session expired. Log in again; your work on this page is kept.</p>
            <LoginForm onLogin={(user) => setAuth({ kind: 'user', user, expired: false })} />
          </div>
        </div>
      )}
    </UserContext.Provider>
  );
}
