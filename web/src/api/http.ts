/** The HTTP client: JSON in and out, the CSRF header on writes, typed errors, 401 broadcast. */

export interface FieldError {
  loc: (string | number)[];
  msg: string;
}

/** A failed request: the status (0 for a network failure) and the server's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly current: unknown = undefined,
  ) {
    super(message);
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

const unauthorizedListeners = new Set<() => void>();

/** Called whenever the server answers 401: the app shows the login page. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The token from login, else the readable cookie the server set with it. */
export function currentCsrfToken(): string {
  if (csrfToken) return csrfToken;
  const match = /(?:^|;\s*)postil_csrf=([^;]+)/.exec(typeof document === 'undefined' ? '' : document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}

export function writeHeaders(json: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'X-CSRF-Token': currentCsrfToken() };
  if (json) headers['Content-Type'] = 'application/json';
  return headers;
}

interface ErrorBody {
  detail?: unknown;
  errors?: FieldError[];
  current?: unknown;
}

export async function errorFrom(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = {};
  }
  const detail = typeof body.detail === 'string' ? body.detail : response.statusText || 'request failed';
  if (response.status === 401) unauthorizedListeners.forEach((l) => l());
  return new ApiError(response.status, detail, body.errors ?? [], body.current);
}

export interface RequestOptions {
  keepalive?: boolean;
  signal?: AbortSignal;
}

/** One request; resolves to the JSON body (undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, body?: unknown,
  options: RequestOptions = {}): Promise<T> {
  const isWrite = method !== 'GET' && method !== 'HEAD';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: isWrite ? writeHeaders(body !== undefined) : {},
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: options.keepalive ?? false,
      signal: options.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network error: the server cannot be reached');
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
