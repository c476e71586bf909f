import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

/** A real pino logger built by `createLogger`, writing its lines into memory. */
function memoryLogger() {
  const lines: string[] = [];
  const logger = createLogger({ logLevel: 'info', nodeEnv: 'test' }, { destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

// Every sensitive field, each with a value that cannot appear in a log line by accident.
const secrets = {
  senha: 'SEGREDO-senha-7f3a',
  token: 'SEGREDO-ptk_token-91c2',
  cpf: 'SEGREDO-cpf-123.456.789-09',
  dataNascimento: 'SEGREDO-nascimento-1980-02-29',
  contato: 'SEGREDO-contato-pessoa@exemplo.com.br',
  authorization: 'SEGREDO-authorization-Bearer-ab12',
  cookie: 'SEGREDO-cookie-ponte_sessao=cd34',
};

describe('logger redaction', () => {
  it('writes ordinary fields as they are (the stream really receives the log)', () => {
    const { logger, entries } = memoryLogger();
    logger.info({ clienteId: 'cli_visivel', nested: { rota: '/healthz' } }, 'hello');
    expect(entries()).toEqual([expect.objectContaining({ clienteId: 'cli_visivel', nested: { rota: '/healthz' }, msg: 'hello', service: 'ponte' })]);
  });

  it.each([
    ['top level', (fields: object) => fields],
    ['nested one level', (fields: object) => ({ body: fields })],
    ['nested two levels', (fields: object) => ({ body: { beneficiario: fields } })],
  ])('censors senha, token, cpf, dataNascimento, contato, authorization and cookie at %s', (_label, wrap) => {
    const { logger, lines, entries } = memoryLogger();
    logger.info({ ...wrap({ ...secrets }), keep: 'valor-comum' }, 'with secrets');

    expect(lines).toHaveLength(1);
    for (const value of Object.values(secrets)) expect(lines[0]).not.toContain(value);
    const censored = Object.fromEntries(Object.keys(secrets).map((key) => [key, '[redacted]']));
    expect(entries()[0]).toMatchObject({ ...wrap(censored), keep: 'valor-comum' });
  });

  it('censors the authorization and cookie request headers and keeps the others', () => {
    const { logger, lines, entries } = memoryLogger();
    const req = {
      method: 'POST',
      url: '/clientes/auth/temp-authorization',
      headers: { authorization: secrets.authorization, cookie: secrets.cookie, 'user-agent': 'app-teste/1.0' },
    };
    logger.info({ req }, 'request');

    expect(lines[0]).not.toContain(secrets.authorization);
    expect(lines[0]).not.toContain(secrets.cookie);
    expect(entries()[0]).toMatchObject({
      req: { method: 'POST', headers: { authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'app-teste/1.0' } },
    });
  });

  it('censors the set-cookie response header', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ res: { statusCode: 200, headers: { 'set-cookie': secrets.cookie } } }, 'response');
    expect(lines[0]).not.toContain(secrets.cookie);
    expect(lines[0]).toContain('"set-cookie":"[redacted]"');
  });
});
