/**
 * Header names nobody may configure or have Ponte send on their behalf: hop-by-hop and framing
 * headers (RFC 7230 §6.1, §3.3) and the ones the HTTP client owns.
 */
export const forbiddenHeaderNames: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** RFC 7230 `token`: the characters a header name may have. */
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const MAX_HEADER_NAME_LENGTH = 128;
export const MAX_HEADER_VALUE_LENGTH = 8192;

export function isValidHeaderName(name: string): boolean {
  return name.length <= MAX_HEADER_NAME_LENGTH && tokenPattern.test(name);
}

export function isForbiddenHeaderName(name: string): boolean {
  return forbiddenHeaderNames.has(name.toLowerCase());
}

/** Header values may not carry CR, LF or NUL (header injection). */
export function isValidHeaderValue(value: string): boolean {
  return value.length <= MAX_HEADER_VALUE_LENGTH && !/[\r\n\0]/.test(value);
}
