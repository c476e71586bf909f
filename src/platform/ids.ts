import { randomBytes } from 'node:crypto';

/**
 * Every identifier Ponte mints carries a prefix naming what it identifies, so a value pasted
 * into a ticket or a log tells its kind at a glance. The table is closed: add new kinds here.
 */
export const idPrefixes = {
  cliente: 'cli',
  instancia: 'ins',
  painelUser: 'usr',
  painelSession: 'ses',
  clientToken: 'tok',
  auditEvent: 'aud',
  integracao: 'int',
  grupo: 'grp',
  outboundLog: 'log',
  formulario: 'frm',
  funcionalidade: 'fun',
  origem: 'org',
  appSession: 'asn',
  chavePasse: 'cps',
  recuperacao: 'rec',
  mensagem: 'msg',
  convite: 'cnv',
  request: 'req',
} as const;

export type IdKind = keyof typeof idPrefixes;

const ID_BYTES = 12;
/**
 * Random bytes drawn from the CSPRNG 4 KiB at a time and handed out in slices, as
 * `crypto.randomUUID` does: one `randomBytes(12)` call per id was a measurable part of every
 * request (each request gets an id). Never reused: each slice is handed out once.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** A new random id such as `cli_8f3a…` (96 random bits, lowercase hex). */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${randomHex(ID_BYTES)}`;
}

export function hasIdPrefix(value: string, kind: IdKind): boolean {
  return value.startsWith(`${idPrefixes[kind]}_`);
}
