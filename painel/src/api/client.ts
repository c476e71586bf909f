/**
 * The one way the painel talks to Ponte: `/painel/api/…` with the session cookie, JSON both ways,
 * and the `X-CSRF-Token` header (from `GET /painel/api/auth/sessao`) on every request that changes
 * something. Failures become `ApiError` with the API's code and per-field details.
 */

export type ErrorDetail = { field?: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const API_BASE = '/painel/api';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Set from the session; sent on every mutating request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 outside the login itself (the session ended). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export async function apiRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Não foi possível falar com o servidor. Verifique sua conexão e tente novamente.');
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }

  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: ErrorDetail[]; requestId?: string } } | undefined)?.error;
    const apiError = new ApiError(
      response.status,
      error?.code ?? 'HTTP_' + response.status,
      error?.message ?? `O servidor respondeu ${response.status}.`,
      error?.details ?? [],
      error?.requestId,
    );
    if (response.status === 401 && path !== '/auth/login' && path !== '/auth/sessao') onUnauthenticated?.();
    throw apiError;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => apiRequest<T>('GET', path),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, body),
  delete: <T = void>(path: string) => apiRequest<T>('DELETE', path),
};

/** `?a=1&b=x` from the defined entries only. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
