/** The app shell: who is logged in, the top bar, and the page for the current path. */
import { useEffect, useState } from 'react';
import { api, type MeOut } from '../api/endpoints';
import { ApiError, onUnauthorized, setCsrfToken } from '../api/http';
import { Link } from './components/Link';
import { LoginForm } from './pages/LoginForm';
import { Routes } from './Routes';
import { navigate } from './router';
import { UserContext } from './userContext';

type Auth = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'user'; user: MeOut; expired: boolean };

export function App() {
  const [auth, setAuth] = useState<Auth>({ kind: 'loading' });
  // who the user is and what to offer them (e.g. whether they may create projects): read
  // from /api/auth/me at start and after every login
  const showUser = (user: MeOut) => setAuth({ kind: 'user', user, expired: false });
  const loadMe = () => api.me().then(showUser,
    (err: unknown) => setAuth(err instanceof ApiError && err.status === 401 ? { kind: 'anonymous' } : { kind: 'anonymous' }));
  useEffect(() => {
    void loadMe();
    // a 401 later keeps the page (and its unsaved work) and asks to log in again on top of it
    return onUnauthorized(() => setAuth((a) => (a.kind === 'user' ? { ...a, expired: true } : a)));
  }, []);

  if (auth.kind === 'loading') return <div className="center muted">Loading…</div>;
  if (auth.kind === 'anonymous') {
    return <div className="login-page"><LoginForm onLogin={() => void loadMe()} /></div>;
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
            {/* on a failure the dialog stays, and the page with its unsaved work under it */}
            <LoginForm onLogin={() => void api.me().then(showUser, () => undefined)} />
          </div>
        </div>
      )}
    </UserContext.Provider>
  );
}
