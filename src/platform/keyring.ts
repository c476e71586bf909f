import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import type { MasterKey } from './crypto.ts';

export type JwtKey = { kid: string; secret: Buffer };

/** Keys in force: the first of each list is used to seal or sign; the rest only open or verify. */
export type Keyring = { masterKeys: MasterKey[]; jwtKeys: JwtKey[] };

const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `id:base64,id:base64,…`. Master keys must be exactly 32 bytes; JWT secrets at least 32.
 * Problems are returned as lines for `ConfigError`, naming the variable but never the key.
 */
function parseKeyList(variable: string, raw: string, exactBytes?: number): { id: string; bytes: Buffer }[] | string[] {
  const problems: string[] = [];
  const keys: { id: string; bytes: Buffer }[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of raw.split(',').map((part) => part.trim()).entries()) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const bytes = Buffer.from(entry.slice(separator + 1), 'base64');
    if (separator <= 0 || !keyIdPattern.test(id)) {
      problems.push(`${variable}: a entrada ${index + 1} deve ter a forma <id>:<chave em base64>, com id de letras, números, _ ou -`);
    } else if (seen.has(id)) {
      problems.push(`${variable}: o id "${id}" aparece mais de uma vez`);
    } else if (exactBytes !== undefined ? bytes.length !== exactBytes : bytes.length < 32) {
      const expected = exactBytes !== undefined ? `exatamente ${exactBytes}` : 'ao menos 32';
      problems.push(`${variable}: a chave "${id}" deve ter ${expected} bytes (tem ${bytes.length})`);
    } else if (new Set(bytes).size < 8) {
      // A real key has ~30 distinct bytes in 32; all zeros or a repeated pattern is a placeholder.
      problems.push(`${variable}: a chave "${id}" tem entropia baixa demais (bytes repetidos); gere uma com: openssl rand -base64 32`);
    } else {
      seen.add(id);
      keys.push({ id, bytes });
    }
  }
  return problems.length > 0 ? problems : keys;
}

const isProblems = (value: unknown[]): value is string[] => typeof value[0] === 'string';

type StoredDevKeys = { masterKeys: string; jwtKeys: string };

/**
 * Development and test keys live in `<dataDir>/keys.json`, generated on first start so a restart
 * can still open what it sealed. Production never generates: it refuses to start instead.
 */
function developmentKeys(dataDir: string): StoredDevKeys {
  const file = join(dataDir, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredDevKeys;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stored: StoredDevKeys = {
    masterKeys: `dev1:${randomBytes(32).toString('base64')}`,
    jwtKeys: `dev1:${randomBytes(32).toString('base64')}`,
  };
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return stored;
}

export function loadKeyring(config: Config): Keyring {
  let masterRaw = config.masterKeys;
  let jwtRaw = config.jwtKeys;
  if (config.nodeEnv === 'production') {
    const missing = [
      masterRaw ? undefined : 'PONTE_MASTER_KEYS: obrigatória em produção (gere com: openssl rand -base64 32 e use v1:<valor>); para desenvolver localmente, use NODE_ENV=development ou ponte --dev',
      jwtRaw ? undefined : 'PONTE_JWT_KEYS: obrigatória em produção (gere com: openssl rand -base64 32 e use k1:<valor>); para desenvolver localmente, use NODE_ENV=development ou ponte --dev',
    ].filter((line): line is string => line !== undefined);
    if (missing.length > 0) throw new ConfigError(missing);
  } else if (!masterRaw || !jwtRaw) {
    const generated = developmentKeys(config.dataDir);
    masterRaw ??= generated.masterKeys;
    jwtRaw ??= generated.jwtKeys;
  }
  const master = parseKeyList('PONTE_MASTER_KEYS', masterRaw as string, 32);
  const jwt = parseKeyList('PONTE_JWT_KEYS', jwtRaw as string);
  const problems = [...(isProblems(master) ? master : []), ...(isProblems(jwt) ? jwt : [])];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    masterKeys: (master as { id: string; bytes: Buffer }[]).map(({ id, bytes }) => ({ version: id, key: bytes })),
    jwtKeys: (jwt as { id: string; bytes: Buffer }[]).map(({ id, bytes }) => ({ kid: id, secret: bytes })),
  };
}

/** Fresh random keys, for tests and for `ponte keys generate`-style tooling. */
export function randomKeyring(): Keyring {
  return {
    masterKeys: [{ version: 'k1', key: randomBytes(32) }],
    jwtKeys: [{ kid: 'k1', secret: randomBytes(32) }],
  };
}
