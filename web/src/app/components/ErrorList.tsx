/** An API error with its per-field problems. */
import { ApiError } from '../../api/http';

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export function ErrorList({ error }: { error: unknown }) {
  if (!error) return null;
  const fields = error instanceof ApiError ? error.errors : [];
  return (
    <div className="error" role="alert">
      <strong>{errorText(error)}</strong>
      {fields.length > 0 && (
        <ul>{fields.slice(0, 50).map((f, i) => <li key={i}><code>{f.loc.join(' › ')}</code>: {f.msg}</li>)}</ul>
      )}
    </div>
  );
}
