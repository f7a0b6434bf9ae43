/** Sign-in: the organisation's login (AWS, Cognito) or a pasted staff token. */
import { useEffect, useState } from 'preact/hooks';
import { loginSettings, startLogin } from '../api/login.js';
import { session } from '../api/client.js';
import { Problem } from '../ui/parts.js';

export function Login(props: { onSignedIn: () => void; error?: string }) {
  const [sso, setSso] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    void loginSettings().then((s) => setSso(!!s));
    document.getElementById('login-h')?.focus();
  }, []);
  return (
    <section id="login" aria-labelledby="login-h" class="narrow">
      <h1 id="login-h" tabIndex={-1}>
        Sign in
      </h1>
      <Problem error={props.error ?? error} />
      <p>
        Open the dashboard link that <code>npm start</code> prints (locally), or sign in through
        your organisation's login page (AWS). You can also paste a staff token here.
      </p>
      {sso ? (
        <p>
          <button
            type="button"
            class="primary"
            onClick={() => startLogin().catch((e: Error) => setError(e.message))}
          >
            Sign in with your organisation account
          </button>
        </p>
      ) : null}
      <form
        id="login-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          const t = value.trim();
          if (!t) {
            setError('Paste the staff token first.');
            return;
          }
          session.set(t);
          props.onSignedIn();
        }}
      >
        <label for="token-input">Staff token</label>
        <input
          id="token-input"
          name="token"
          autocomplete="off"
          spellcheck={false}
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
