import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { conviteEmail, painelUrlFrom, redefinicaoEmail, type PainelMail } from './painel-mail.ts';

const sender: PainelMail['sender'] = { send: async () => undefined };
const convite = { to: 'x@y.com.br', token: 'pconv_abc', clienteNome: 'Operadora', papel: 'editor' as const, convidadoPor: 'admin@y.com.br', validadeHoras: 72 };

describe('painel e-mails', () => {
  it('links start with PONTE_PUBLIC_URL (trailing slash or not), with the token after #', () => {
    const mail = { sender, painelUrl: painelUrlFrom({ publicUrl: 'https://ponte.operadora.com.br/', nodeEnv: 'production', port: 3000 }) };
    expect(conviteEmail(mail, convite).text).toContain('https://ponte.operadora.com.br/painel/convite#pconv_abc\n');
    expect(redefinicaoEmail(mail, { to: 'x@y.com.br', token: 'psenha_abc', validadeMinutos: 60 }).text).toContain('https://ponte.operadora.com.br/painel/redefinir-senha#psenha_abc\n');
  });

  it('outside production without PONTE_PUBLIC_URL: this machine; in production: refused, naming the variable', () => {
    expect(painelUrlFrom({ publicUrl: undefined, nodeEnv: 'development', port: 4321 })).toBe('http://localhost:4321/painel');
    const production = { sender, painelUrl: painelUrlFrom({ publicUrl: undefined, nodeEnv: 'production', port: 3000 }) };
    expect(() => conviteEmail(production, convite)).toThrow(AppError);
    expect(() => conviteEmail(production, convite)).toThrow(/PONTE_PUBLIC_URL/);
  });
});
