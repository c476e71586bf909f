import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { loadKeyring } from './keyring.ts';

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data dir that does not exist yet, inside a fresh temp folder. */
function freshDataDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'ponte-keys-'));
  tempDirs.push(root);
  return join(root, 'data');
}

const b64 = (bytes: number) => randomBytes(bytes).toString('base64');

function keyringProblems(env: Record<string, string>): string[] {
  try {
    loadKeyring(loadConfig({ PONTE_DATA_DIR: freshDataDir(), ...env }));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(Object.keys(env))} to be rejected`);
}

describe('loadKeyring in production', () => {
  it('refuses to start without keys, naming both variables, and generates nothing', () => {
    const dataDir = freshDataDir();
    let problems: string[] = [];
    try {
      loadKeyring(loadConfig({ NODE_ENV: 'production', PONTE_DATA_DIR: dataDir }));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems.map((line) => line.split(':')[0])).toEqual(['PONTE_MASTER_KEYS', 'PONTE_JWT_KEYS']);
    expect(existsSync(join(dataDir, 'keys.json'))).toBe(false);
  });

  it('names only the missing variable', () => {
    const problems = keyringProblems({ NODE_ENV: 'production', PONTE_MASTER_KEYS: `v1:${b64(32)}` });
    expect(problems.map((line) => line.split(':')[0])).toEqual(['PONTE_JWT_KEYS']);
  });

  it('uses explicit keys, the first of each list first, without touching the data dir', () => {
    const [m2, m1, j2, j1] = [b64(32), b64(32), b64(48), b64(32)];
    const dataDir = freshDataDir();
    const keyring = loadKeyring(
      loadConfig({ NODE_ENV: 'production', PONTE_DATA_DIR: dataDir, PONTE_MASTER_KEYS: `v2:${m2}, v1:${m1}`, PONTE_JWT_KEYS: `k2:${j2},k1:${j1}` }),
    );
    expect(keyring.masterKeys.map((k) => [k.version, k.key.toString('base64')])).toEqual([
      ['v2', m2],
      ['v1', m1],
    ]);
    expect(keyring.jwtKeys.map((k) => [k.kid, k.secret.toString('base64')])).toEqual([
      ['k2', j2],
      ['k1', j1],
    ]);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('loadKeyring in development', () => {
  it('generates keys.json once (mode 0600) and loads the same keys afterwards', () => {
    const dataDir = freshDataDir();
    const config = loadConfig({ NODE_ENV: 'development', PONTE_DATA_DIR: dataDir });
    const first = loadKeyring(config);
    const file = join(dataDir, 'keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const written = readFileSync(file, 'utf8');

    expect(first.masterKeys).toHaveLength(1);
    expect(first.masterKeys[0]!.key).toHaveLength(32);
    expect(first.jwtKeys).toHaveLength(1);
    expect(first.jwtKeys[0]!.secret.length).toBeGreaterThanOrEqual(32);

    const second = loadKeyring(config);
    expect(second).toEqual(first);
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('gives each data dir its own keys', () => {
    const a = loadKeyring(loadConfig({ NODE_ENV: 'development', PONTE_DATA_DIR: freshDataDir() }));
    const b = loadKeyring(loadConfig({ NODE_ENV: 'development', PONTE_DATA_DIR: freshDataDir() }));
    expect(a.masterKeys[0]!.key.equals(b.masterKeys[0]!.key)).toBe(false);
    expect(a.jwtKeys[0]!.secret.equals(b.jwtKeys[0]!.secret)).toBe(false);
  });

  it('prefers an explicit variable over the generated key', () => {
    const master = b64(32);
    const keyring = loadKeyring(loadConfig({ NODE_ENV: 'development', PONTE_DATA_DIR: freshDataDir(), PONTE_MASTER_KEYS: `m1:${master}` }));
    expect(keyring.masterKeys.map((k) => [k.version, k.key.toString('base64')])).toEqual([['m1', master]]);
    expect(keyring.jwtKeys).toHaveLength(1);
  });
});

describe('malformed key lists', () => {
  const goodMaster = `v1:${b64(32)}`;
  const goodJwt = `k1:${b64(32)}`;

  // Each case: the variable, the bad list, and the key material that must not be echoed.
  const cases: [string, string, string, string][] = (() => {
    const m = b64(32);
    const j = b64(32);
    const short16 = b64(16);
    const long33 = b64(33);
    const jwt31 = b64(31);
    const zeros32 = Buffer.alloc(32).toString('base64');
    return [
      ['master key id with a space', 'PONTE_MASTER_KEYS', `v 1:${m}`, m],
      ['master key without an id', 'PONTE_MASTER_KEYS', m, m],
      ['master key with an empty id', 'PONTE_MASTER_KEYS', `:${m}`, m],
      ['duplicate master key id', 'PONTE_MASTER_KEYS', `v1:${m},v1:${b64(32)}`, m],
      ['master key of 16 bytes', 'PONTE_MASTER_KEYS', `v1:${short16}`, short16],
      ['master key of 33 bytes', 'PONTE_MASTER_KEYS', `v1:${long33}`, long33],
      ['JWT key with a bad id', 'PONTE_JWT_KEYS', `k/1:${j}`, j],
      ['duplicate JWT kid', 'PONTE_JWT_KEYS', `k1:${j},k1:${b64(40)}`, j],
      ['JWT key of 31 bytes', 'PONTE_JWT_KEYS', `k1:${jwt31}`, jwt31],
      ['all-zero master key', 'PONTE_MASTER_KEYS', `v1:${zeros32}`, zeros32],
      ['master key of one repeated byte', 'PONTE_MASTER_KEYS', `v1:${Buffer.alloc(32, 0x41).toString('base64')}`, Buffer.alloc(32, 0x41).toString('base64')],
      ['JWT key of a short repeated pattern', 'PONTE_JWT_KEYS', `k1:${Buffer.from('abcd'.repeat(10)).toString('base64')}`, Buffer.from('abcd'.repeat(10)).toString('base64')],
    ];
  })();

  it.each(cases)('rejects a %s with one line naming %s and not the key', (_name, variable, list, material) => {
    const env = {
      PONTE_MASTER_KEYS: goodMaster,
      PONTE_JWT_KEYS: goodJwt,
      [variable]: list,
    };
    for (const nodeEnv of ['development', 'production']) {
      const problems = keyringProblems({ ...env, NODE_ENV: nodeEnv });
      expect(problems).toHaveLength(1);
      expect(problems[0]!.startsWith(`${variable}:`)).toBe(true);
      expect(problems[0]).not.toContain(material);
      expect(problems[0]).not.toContain(material.slice(0, 12));
    }
  });

  it('reports problems in both variables together', () => {
    const problems = keyringProblems({ PONTE_MASTER_KEYS: `v1:${b64(16)}`, PONTE_JWT_KEYS: `k1:${b64(8)}` });
    expect(problems.map((line) => line.split(':')[0])).toEqual(['PONTE_MASTER_KEYS', 'PONTE_JWT_KEYS']);
  });
});
