import type { FastifyInstance } from 'fastify';

/**
 * Browser-facing hardening for the painel and the demo app (`/painel`, `/demo`): no script that
 * isn't a file of ours (no `unsafe-inline` for scripts; Mantine needs inline styles), never framed
 * by another site, no MIME sniffing, no referrer leaving the page, HSTS in production. The demo
 * app frames the operators' WebView pages, so frames may come from any http(s) origin.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { production: boolean }): void {
  const contentSecurityPolicy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    'frame-src http: https:',
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
  const browserHeaders: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    ...(options.production ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
  app.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    if (url.startsWith('/painel') || url.startsWith('/demo')) reply.headers(browserHeaders);
    else reply.header('x-content-type-options', 'nosniff');
    done();
  });
}
