import { describe, expect, it } from 'vitest';
import { identifierField, identifierOf, normalizedIdentifier } from './forms.identifier.ts';
import type { Campo } from './forms.schemas.ts';

const campo = (nome: string, tipo: Campo['tipo'], extra: Partial<Campo> = {}): Campo => ({ nome, rotulo: nome, tipo, obrigatorio: true, ...extra });

describe('identifierField', () => {
  it('is the marked field, else the cpf field, else the first field that is not a senha — never a senha', () => {
    const senha = campo('senha', 'senha');
    expect(identifierField([campo('a', 'text'), campo('b', 'email', { identificador: true }), campo('cpf', 'cpf')])?.nome).toBe('b');
    expect(identifierField([campo('a', 'text'), campo('cpf', 'cpf'), senha])?.nome).toBe('cpf');
    expect(identifierField([senha, campo('matricula', 'text')])?.nome).toBe('matricula');
    expect(identifierField([{ ...senha, identificador: true }, campo('email', 'email')])?.nome).toBe('email');
    expect(identifierField([senha])).toBeUndefined();
  });
});

describe('normalizedIdentifier', () => {
  it.each([
    ['cpf', '100.200.301-69', '10020030169'],
    ['cpf', '100200301-69', '10020030169'],
    ['cpf', ' 100.200.30169 ', '10020030169'],
    ['text', '100.200.301-69', '10020030169'],
    ['text', '100 200 301/69', '10020030169'],
    ['text', '  MAT   0042  ', 'mat 0042'],
    ['text', 'ＭＡＴ-42', 'mat-42'],
    ['email', '  Ana@Exemplo.COM.br ', 'ana@exemplo.com.br'],
    ['telefone', '+55 (11) 98765-4321', '11987654321'],
    ['telefone', '(11) 98765-4321', '11987654321'],
  ] as const)('%s %j → %j', (tipo, raw, expected) => {
    expect(normalizedIdentifier({ tipo }, raw)).toBe(expected);
  });

  it('reads numbers as text, anything else as nothing, and at most 1 000 characters', () => {
    expect(normalizedIdentifier({ tipo: 'text' }, 10020030169)).toBe('10020030169');
    expect(normalizedIdentifier({ tipo: 'text' }, { login: 'x' })).toBe('');
    expect(normalizedIdentifier({ tipo: 'text' }, undefined)).toBe('');
    expect(normalizedIdentifier({ tipo: 'text' }, 'a'.repeat(5_000))).toHaveLength(1_000);
  });
});

describe('identifierOf', () => {
  it('reads only the identifier field of the raw submission, never the password nor the whole body', () => {
    const campos = [campo('cpf', 'cpf'), campo('senha', 'senha')];
    expect(identifierOf(campos, { cpf: '100.200.301-69', senha: 'uma' })).toBe(identifierOf(campos, { cpf: '10020030169', senha: 'outra' }));
    expect(identifierOf(campos, { senha: 'uma' })).toBe('');
    expect(identifierOf(campos, 'nao-e-objeto')).toBe('');
    expect(identifierOf(campos, Object.create({ cpf: 'herdado' }))).toBe('');
  });
});
