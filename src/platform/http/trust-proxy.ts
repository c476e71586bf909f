import type { TrustProxy } from '../config.ts';

/**
 * Fastify's `trustProxy` for `PONTE_TRUST_PROXY`. Fastify 5 turns a bare number into "trust
 * nothing" (it cannot tell a proxy from a client that writes `X-Forwarded-For` itself), so a hop
 * count becomes the rule it used to mean: the socket peer and the `hops - 1` addresses before it
 * are proxies, and `request.ip` is the next one back — the address the outermost of the operator's
 * own proxies saw. That is only sound when nothing reaches Ponte except through those proxies;
 * otherwise list their addresses instead (README, Configuração).
 */
export function trustProxyOption(value: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value;
}
