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

/**
 * RFC 7230 `field-value`: tab, visible ASCII, space and obs-text. CR/LF would inject headers; other
 * control characters and anything above U+00FF (U+2028 included) make every call fail at the client.
 */
const fieldValuePattern = /^[\t\x20-\x7e\x80-\xff]*$/;

export function isValidHeaderValue(value: string): boolean {
  return value.length <= MAX_HEADER_VALUE_LENGTH && fieldValuePattern.test(value);
}
