/** The app shell: who is logged in, the top bar, and the page for the current path. */
import { useEffect, useState } from 'react';
import { api, type MeOut } from '../api/endpoints';
import { ApiError, onUnauthorized, setCsrfToken } from '../api/http';
import { Dialog } from './components/Dialog';
import { Link } from './components/Link';
import { LoginForm } from './pages/LoginForm';
import { Routes } from './Routes';
import { navigate } from './router';
import { UserContext } from './userContext';

/** `expired`: the session ended under the page ('dismissed': the login dialog was put aside). */
type Auth = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'user'; user: MeOut; expired: false | 'asking' | 'dismissed' };

export function App() {
  const [auth, setAuth] = useState<Auth>({ kind: 'loading' });
  // who the user is and what to offer them (e.g. whether they may create projects): read
  // from /api/auth/me at start and after every login
  const showUser = (user: MeOut) => setAuth({ kind: 'user', user, expired: false });
  const askLogin = (expired: 'asking' | 'dismissed') => setAuth((a) => (a.kind === 'user' ? { ...a, expired } : a));
  const loadMe = () => api.me().then(showUser,
    (err: unknown) => setAuth(err instanceof ApiError && err.status === 401 ? { kind: 'anonymous' } : { kind: 'anonymous' }));
  useEffect(() => {
    void loadMe();
    // a 401 later keeps the page (and its unsaved work) and asks to log in again on top of it
    // once put aside, the dialog waits for the top bar's button: autosave's retries would reopen it
    return onUnauthorized(() => setAuth((a) => (a.kind === 'user' && a.expired === false ? { ...a, expired: 'asking' } : a)));
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
        {auth.expired === 'dismissed' && (
          <button type="button" className="primary" onClick={() => askLogin('asking')}>Session expired: log in</button>
        )}
        <span className="muted">{auth.user.username}</span>
        <button type="button" className="link" onClick={logout}>Log out</button>
      </header>
      <main className="page"><Routes /></main>
      {auth.expired === 'asking' && (
        <Dialog label="Session expired" onClose={() => askLogin('dismissed')}>
          <p>Your session expired. Log in again; your work on this page is kept.</p>
          {/* on a failure the dialog stays, and the page with its unsaved work under it */}
          <LoginForm onLogin={() => void api.me().then(showUser, () => undefined)} />
        </Dialog>
      )}
    </UserContext.Provider>
  );
}
