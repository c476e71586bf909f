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
  request: 'req',
} as const;

export type IdKind = keyof typeof idPrefixes;

/** A new random id such as `cli_8f3a…` (96 random bits, lowercase hex). */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${randomBytes(12).toString('hex')}`;
}

export function hasIdPrefix(value: string, kind: IdKind): boolean {
  return value.startsWith(`${idPrefixes[kind]}_`);
}
