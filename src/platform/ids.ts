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
  envioMensagens: 'env',
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

let lastTimeOrderedMs = 0;
let timeOrderedSequence = 0;

/**
 * A new id that sorts by creation time, such as `aud_0193a1b2c3d4…`: 48 bits of epoch ms, a
 * 16-bit sequence that orders the ids one process mints within the same millisecond, and 32
 * random bits; the same length and alphabet as {@link newId}. For records read back in the order
 * they happened (the auditoria), where two events of one request share a millisecond.
 */
export function newTimeOrderedId(kind: IdKind, now: number = Date.now()): string {
  const ms = Math.max(now, lastTimeOrderedMs);
  timeOrderedSequence = ms === lastTimeOrderedMs ? (timeOrderedSequence + 1) & 0xffff : 0;
  lastTimeOrderedMs = ms;
  const time = ms.toString(16).padStart(12, '0').slice(-12);
  return `${idPrefixes[kind]}_${time}${timeOrderedSequence.toString(16).padStart(4, '0')}${randomHex(4)}`;
}

export function hasIdPrefix(value: string, kind: IdKind): boolean {
  return value.startsWith(`${idPrefixes[kind]}_`);
}
