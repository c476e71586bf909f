import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/**
 * Server-side request forgery guard (docs/ESPECIFICACAO.md §7). Operator URLs are typed by people in the painel,
 * so every outbound call is checked twice: the URL when it is saved and before each call, and the
 * address actually connected to, at connect time, through the socket's DNS lookup — a name that
 * resolves to a private address (or rebinds to one later) is refused there.
 */

export type CidrList = [ipaddr.IPv4 | ipaddr.IPv6, number][];

/** Parses `127.0.0.0/8,::1/128`; `none` or empty means no exception. Throws on a bad entry. */
export function parseCidrList(raw: string): CidrList {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed === 'none') return [];
  return trimmed.split(',').map((entry) => {
    const value = entry.trim();
    return value.includes('/') ? ipaddr.parseCIDR(value) : ([ipaddr.parse(value), ipaddr.parse(value).kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
  });
}

export const LOOPBACK_CIDRS = '127.0.0.0/8,::1/128';

const rangeLabels: Record<string, string> = {
  loopback: 'loopback',
  private: 'rede privada (RFC 1918)',
  linkLocal: 'link-local (inclui o endereço de metadados de nuvem 169.254.169.254)',
  carrierGradeNat: 'CGNAT (100.64.0.0/10)',
  unspecified: 'endereço não especificado (0.0.0.0 / ::)',
  broadcast: 'broadcast',
  multicast: 'multicast',
  reserved: 'faixa reservada',
  uniqueLocal: 'rede privada IPv6 (fc00::/7)',
  ipv4Mapped: 'IPv4 mapeado em IPv6',
  ipv4Compatible: 'IPv4 compatível em IPv6 (::/96)',
};

/** `::a.b.c.d` (::/96, deprecated IPv4-compatible IPv6): some stacks route it to the IPv4 address inside. */
function isIpv4Compatible(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.kind() === 'ipv6' && address.match(ipaddr.parseCIDR('::/96')) && !['unspecified', 'loopback'].includes(address.range());
}

function normalize(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/**
 * Why Ponte must not connect to `ip`, or undefined when it may. Only globally routable unicast
 * addresses pass, unless the deployment allowlist names the address.
 */
export function addressProblem(ip: string, allowlist: CidrList): string | undefined {
  if (!ipaddr.isValid(ip)) return `"${ip}" não é um endereço IP`;
  const address = normalize(ipaddr.parse(ip));
  if (allowlist.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits))) return undefined;
  const range = isIpv4Compatible(address) ? 'ipv4Compatible' : address.range();
  if (range === 'unicast') return undefined;
  return `o endereço ${address.toString()} pertence a uma faixa interna ou especial (${rangeLabels[range] ?? range}) e chamadas para ela são bloqueadas`;
}

export class OutboundAddressBlocked extends Error {
  readonly code = 'PONTE_SSRF_BLOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundAddressBlocked';
  }
}

/**
 * Checks what can be known before connecting: scheme, credentials, query string and fragment, and
 * IP literals (which never go through DNS). `requireHttps` is on for the Produção instância.
 *
 * Operator URLs carry no query string: the seeds support no "tokens de autenticação na URL", and a
 * method's suffix is joined to the path (`joinSuffix`, modules/integracoes/integracao-url.ts), which a query
 * would leave dangling. A fragment never reaches the server at all. Checked when a URL is saved and
 * again before every call, so a row stored before this rule is refused instead of called.
 */
export function urlProblem(rawUrl: string, options: { requireHttps: boolean; allowlist: CidrList }): string | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return `"${rawUrl.slice(0, 200)}" não é uma URL válida`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'a URL deve começar com https://';
  if (options.requireHttps && url.protocol !== 'https:') return 'em Produção a URL deve usar https://';
  if (url.username || url.password) return 'a URL não pode conter usuário ou senha; use headers estáticos ou um grupo de autorização';
  // The serialized URL keeps an empty "?" or "#" too; in the path they would have been percent-encoded.
  if (url.href.includes('?')) {
    return 'a URL não pode ter query string (o trecho a partir de "?"): a Ponte não envia tokens nem parâmetros na URL; use headers estáticos ou um grupo de autorização';
  }
  if (url.href.includes('#')) return 'a URL não pode ter fragmento (o trecho a partir de "#"), que nunca chega ao servidor da operadora';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return addressProblem(host, options.allowlist);
  // RFC 6761: `localhost` and its subdomains are loopback wherever they resolve; refuse them up front.
  if (host === 'localhost' || host.endsWith('.localhost')) return addressProblem('127.0.0.1', options.allowlist);
  if (/^[0-9.]+$/.test(host) || /^0x/i.test(host)) return `"${host}" não é um nome de host válido`;
  return undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for `net.connect`/`tls.connect` that refuses blocked addresses at connect time. */
export function createGuardedLookup(allowlist: CidrList) {
  return function guardedLookup(hostname: string, options: { family?: number; all?: boolean } | number, callback: LookupCallback): void {
    const family = typeof options === 'number' ? options : (options.family ?? 0);
    const wantsAll = typeof options === 'object' && options.all === true;
    const lookupOptions: LookupAllOptions = { all: true, family: family as 0 | 4 | 6 };
    dnsLookup(hostname, lookupOptions, (error, addresses) => {
      if (error) return callback(error, '');
      const blocked = addresses.map((a) => addressProblem(a.address, allowlist)).find((problem) => problem !== undefined);
      if (blocked) return callback(new OutboundAddressBlocked(`${hostname}: ${blocked}`) as NodeJS.ErrnoException, '');
      if (wantsAll) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname}: nenhum endereço encontrado`), { code: 'ENOTFOUND' }), '');
      return callback(null, first.address, first.family);
    });
  };
}
