import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, destinationAad, newSecretToken, originOf, safeEqual, sha256Hex, type MasterKey } from './crypto.ts';

const key = (version: string): MasterKey => ({ version, key: randomBytes(32) });

describe('secret box', () => {
  it('opens what it sealed, and each seal is different', () => {
    const box = createSecretBox([key('v1')]);
    const sealed = box.seal('senha da operadora ✓', 'integracao:123');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('senha');
    expect(box.open(sealed, 'integracao:123')).toBe('senha da operadora ✓');
    expect(box.seal('senha da operadora ✓', 'integracao:123')).not.toBe(sealed);
  });

  it('refuses to open with different associated data', () => {
    const box = createSecretBox([key('v1')]);
    const sealed = box.seal('segredo', 'integracao:123');
    expect(() => box.open(sealed, 'integracao:456')).toThrow();
    expect(() => box.open(sealed)).toThrow();
  });

  it('refuses a tampered ciphertext, iv or version', () => {
    const box = createSecretBox([key('v1'), key('v0')]);
    const sealed = box.seal('segredo');
    const [version, iv, body] = sealed.split('.') as [string, string, string];
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      return bytes.toString('base64url');
    };
    expect(() => box.open(`${version}.${iv}.${flip(body)}`)).toThrow();
    expect(() => box.open(`${version}.${flip(iv)}.${body}`)).toThrow();
    expect(() => box.open(`v0.${iv}.${body}`)).toThrow();
    expect(() => box.open(`${version}.${iv}`)).toThrow();
    expect(() => box.open(`${version}.${iv}.${body.slice(0, 10)}`)).toThrow();
  });

  it('keeps old values readable after rotation, and stops once the old key is removed', () => {
    const v1 = key('v1');
    const v2 = key('v2');
    const sealedOld = createSecretBox([v1]).seal('antigo', 'ctx');

    const rotated = createSecretBox([v2, v1]);
    expect(rotated.open(sealedOld, 'ctx')).toBe('antigo');
    expect(rotated.needsRotation(sealedOld)).toBe(true);
    const sealedNew = rotated.seal('novo', 'ctx');
    expect(sealedNew.startsWith('v2.')).toBe(true);
    expect(rotated.needsRotation(sealedNew)).toBe(false);
    const resealed = rotated.seal(rotated.open(sealedOld, 'ctx'), 'ctx');
    expect(rotated.needsRotation(resealed)).toBe(false);

    const retired = createSecretBox([v2]);
    expect(retired.open(sealedNew, 'ctx')).toBe('novo');
    expect(retired.open(resealed, 'ctx')).toBe('antigo');
    expect(() => retired.open(sealedOld, 'ctx')).toThrow();
  });

  it('needs at least one key', () => {
    expect(() => createSecretBox([])).toThrow();
  });
});

describe('sha256Hex', () => {
  it('matches the known vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('safeEqual', () => {
  it('is true only for equal strings, whatever their lengths', () => {
    expect(safeEqual('ptk_abc', 'ptk_abc')).toBe(true);
    expect(safeEqual('ptk_abc', 'ptk_abd')).toBe(false);
    expect(safeEqual('ptk_abc', 'ptk_abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('newSecretToken', () => {
  it('is the prefix, an underscore and 43 base64url characters (256 bits)', () => {
    const token = newSecretToken('ptk');
    expect(token).toMatch(/^ptk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1_000 }, () => newSecretToken('ptk')));
    expect(tokens.size).toBe(1_000);
  });
});

describe('binding a secret to its destination', () => {
  it('originOf: scheme, host and a non-default port; path, query, credentials and letter case do not matter', () => {
    expect(originOf('https://API.Operadora.com.br/mobile/login?x=1')).toBe('https://api.operadora.com.br');
    expect(originOf('https://api.operadora.com.br:443/a')).toBe('https://api.operadora.com.br');
    expect(originOf('https://api.operadora.com.br:8443/a')).toBe('https://api.operadora.com.br:8443');
    expect(originOf('http://api.operadora.com.br/a')).toBe('http://api.operadora.com.br');
    expect(originOf('https://user:pw@api.operadora.com.br/a')).toBe('https://api.operadora.com.br');
    expect(originOf('  https://api.operadora.com.br  ')).toBe('https://api.operadora.com.br');
    expect(originOf('api.operadora.com.br/login')).toBeUndefined();
    expect(originOf('data:text/plain,x')).toBeUndefined();
  });

  it('a secret sealed for some origins opens for the same set in any order, and for no other set', () => {
    const box = createSecretBox([key('v1')]);
    const sealed = box.seal('segredo', destinationAad('integracao:c:1:x-api', ['https://b.example', 'https://a.example']));
    expect(box.open(sealed, destinationAad('integracao:c:1:x-api', ['https://a.example', 'https://b.example', 'https://a.example']))).toBe('segredo');
    expect(() => box.open(sealed, destinationAad('integracao:c:1:x-api', ['https://a.example']))).toThrow();
    expect(() => box.open(sealed, destinationAad('integracao:c:1:x-api', ['https://a.example', 'https://evil.example']))).toThrow();
    expect(() => box.open(sealed, destinationAad('integracao:c:2:x-api', ['https://a.example', 'https://b.example']))).toThrow();
    expect(() => box.open(sealed, 'integracao:c:1:x-api')).toThrow();
  });
});
