import { createHmac } from 'node:crypto';
import { ConfigError } from './config.ts';
import type { MasterKey, SecretBox } from './crypto.ts';
import type { Db } from './db/schema.ts';

/**
 * Keys that index stored data: an HMAC under one of them is how a row is found again (the central
 * de logs' user-key search, the sessions of one person, limit counters). Deriving them from the
 * current master key would orphan every indexed row at a master-key rotation, so each is made once,
 * kept in `chaves_derivadas` sealed under the master key, and re-sealed by `ponte keys reseal`
 * like any other secret: the key itself never changes.
 */
export const stableKeyNames = ['log-center:chave-usuario', 'app-sessions:pessoa', 'limites', 'recuperacao'] as const;
export type StableKeyName = (typeof stableKeyNames)[number];
export type StableKeys = Record<StableKeyName, Buffer>;

export const stableKeyAad = (nome: string) => `chave-derivada:${nome}`;

/**
 * The value a key gets when first stored: what earlier versions derived from the master key in
 * force, so data indexed before this table existed is still found after the upgrade.
 */
const firstValue = (nome: StableKeyName, currentMaster: MasterKey) => createHmac('sha256', currentMaster.key).update(`ponte:${nome}`).digest();

/**
 * Reads (creating on first use) every stable key. Two nodes starting together agree: the insert
 * does nothing when the row is already there, and both read the row that won.
 */
export async function loadStableKeys(deps: { db: Db; secretBox: SecretBox; masterKeys: MasterKey[]; now: number }): Promise<StableKeys> {
  const stored = await deps.db.selectFrom('chaves_derivadas').select(['nome', 'chave_selada']).execute();
  const missing = stableKeyNames.filter((nome) => !stored.some((row) => row.nome === nome));
  if (missing.length > 0) {
    await deps.db
      .insertInto('chaves_derivadas')
      .values(
        missing.map((nome) => ({
          nome,
          chave_selada: deps.secretBox.seal(firstValue(nome, deps.masterKeys[0]!).toString('base64'), stableKeyAad(nome)),
          criada_em: deps.now,
        })),
      )
      .onConflict((oc) => oc.column('nome').doNothing())
      .execute();
  }
  const rows = missing.length > 0 ? await deps.db.selectFrom('chaves_derivadas').select(['nome', 'chave_selada']).execute() : stored;
  const keys: Partial<StableKeys> = {};
  for (const nome of stableKeyNames) {
    const row = rows.find((candidate) => candidate.nome === nome);
    try {
      keys[nome] = Buffer.from(deps.secretBox.open(row!.chave_selada, stableKeyAad(nome)), 'base64');
    } catch {
      throw new ConfigError([
        `chaves_derivadas: a chave "${nome}" foi selada com uma chave mestra que não está em PONTE_MASTER_KEYS. ` +
          'Devolva a chave antiga à lista (depois da nova) e rode "ponte keys reseal" antes de removê-la.',
      ]);
    }
  }
  return keys as StableKeys;
}
