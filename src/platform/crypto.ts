import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** `<prefix>_<43 url-safe chars>`: 256 random bits behind a prefix that tells what it is. */
export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export type MasterKey = { version: string; key: Buffer };

/**
 * AES-256-GCM for secrets at rest. The ciphertext records the key version that sealed it
 * (`<version>.<iv>.<ciphertext+tag>`, base64url parts), so old values stay readable after a
 * new key is put first in the ring; `needsRotation` tells which values to re-seal.
 */
export function createSecretBox(keys: MasterKey[]) {
  const [current] = keys;
  if (!current) throw new Error('createSecretBox needs at least one master key');
  const byVersion = new Map(keys.map((k) => [k.version, k.key]));

  return {
    /** The version of the key that seals: what `ponte keys reseal` brings every value to. */
    currentVersion: current.version,
    seal(plaintext: string, associatedData = ''): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(associatedData));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${current.version}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    /** Throws when the value was tampered with, or sealed with a key no longer in the ring. */
    open(sealed: string, associatedData = ''): string {
      const [version, ivPart, bodyPart] = sealed.split('.');
      const key = version === undefined ? undefined : byVersion.get(version);
      if (!key || !ivPart || !bodyPart) throw new Error('sealed value has an unknown key version or shape');
      const body = Buffer.from(bodyPart, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivPart, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
    needsRotation(sealed: string): boolean {
      return !sealed.startsWith(`${current.version}.`);
    },
  };
}

export type SecretBox = ReturnType<typeof createSecretBox>;

/**
 * Where a secret may be sent: `scheme://host[:port]` of `url` as the URL standard computes it
 * (host lowercased, IDN in punycode, a default port left out, so `https://a.com` and
 * `https://A.com:443/x` are one origin). `undefined` when `url` is not an absolute URL.
 */
export function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url.trim()).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Additional authenticated data that binds a sealed secret to what it is (`context`, e.g.
 * `grupo:<id>`) and to the origins it may be sent to: opening it for another set of origins
 * fails exactly like a tampered ciphertext. The origins are de-duplicated and sorted, so the
 * order in which a configuration lists its URLs does not matter.
 */
export function destinationAad(context: string, origins: readonly string[]): string {
  return `${context}|destinos:${[...new Set(origins)].sort().join(' ')}`;
}
