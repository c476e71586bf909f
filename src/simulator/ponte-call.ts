import { request } from 'undici';

/**
 * How the demo operator's backend (the WebView page, the portal do beneficiário) calls Ponte's
 * `/clientes` API: the token do cliente in `Authorization`, 5 s for headers and for the body, and
 * the `/clientes` envelope read leniently — a body that is not JSON is `envelope` undefined.
 * Network failures throw (undici's errors); callers decide what the person sees.
 */

const PONTE_TIMEOUT_MS = 5_000;

/** The `/clientes` envelope as far as the demo pages read it. */
export type PonteEnvelope = { status?: boolean; data?: unknown; message?: unknown; critical?: { campo?: string; mensagem?: string }[] };

export async function callPonte(url: URL, options: { method: 'GET' | 'POST'; token: string; body?: unknown }): Promise<{ status: number; envelope: PonteEnvelope | undefined }> {
  const response = await request(url, {
    method: options.method,
    headers: {
      authorization: options.token,
      accept: 'application/json',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    headersTimeout: PONTE_TIMEOUT_MS,
    bodyTimeout: PONTE_TIMEOUT_MS,
  });
  const text = await response.body.text();
  try {
    return { status: response.statusCode, envelope: JSON.parse(text) as PonteEnvelope };
  } catch {
    return { status: response.statusCode, envelope: undefined };
  }
}
