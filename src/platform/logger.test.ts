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
    // (`beneficiario` itself is a personal key now: a wrapper under it would be censored whole.)
    ['nested two levels', (fields: object) => ({ body: { registro: fields } })],
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

describe('logger redaction of personal data (one vocabulary with the central de logs)', () => {
  // A seeded simulator person as Ponte would see it: the login form, the operator's answer, a family member.
  const person = {
    nome: 'Ana Beatriz Moreira',
    cpf: '10020030169',
    cpfFormatado: '100.200.301-69',
    email: 'ana.moreira@example.com',
    celular: '11990000001',
    nascimento: '1980-03-14',
    matricula: '0001001-00',
    familiar: 'Carlos Eduardo Moreira',
    senha: 'ana12345',
    token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2Vzc2FvLWRhLWFuYQ',
  };

  it('logs a realistic object through the real logger and no personal value reaches the line', () => {
    const { logger, lines, entries } = memoryLogger();
    const child = logger.child({ reqId: 'req_0123' });
    child.warn(
      {
        clienteId: 'cli_visivel',
        tokenId: 'tok_visivel',
        campos: { login: person.cpfFormatado, senha: person.senha },
        resposta: {
          usuarioLogado: {
            login: person.cpf,
            chaveUnica: person.cpf,
            nome: person.nome,
            contato: { email: person.email, telefoneCelular: person.celular },
            integracao: { matricula: person.matricula },
          },
          beneficiarios: [{ chaveUnica: person.cpf, dadosPessoais: { nome: person.familiar, dataNascimento: person.nascimento } }],
          seguranca: { auth: [{ chave: 'x-sessao-operadora', token: person.token }] },
        },
        convite: { email: person.email, nomeCartao: person.nome.toUpperCase() },
        headers: { Authorization: `Bearer ${person.token}`, 'set-cookie': 'ponte_sessao=abc' },
        err: Object.assign(new Error('duplicate key value violates unique constraint'), { detail: `Key (email)=(${person.email}) already exists.` }),
      },
      'tudo junto',
    );

    expect(lines).toHaveLength(1);
    for (const value of [...Object.values(person), person.nome.toUpperCase(), 'ponte_sessao=abc']) expect(lines[0]).not.toContain(value);
    const [entry] = entries();
    // What makes the line useful stays: ids, the structure, the error's message.
    expect(entry).toMatchObject({ reqId: 'req_0123', clienteId: 'cli_visivel', tokenId: 'tok_visivel', msg: 'tudo junto', err: { message: 'duplicate key value violates unique constraint', detail: '[redacted]' } });
    expect(entry!.resposta).toEqual({
      usuarioLogado: { login: '[redacted]', chaveUnica: '[redacted]', nome: '[redacted]', contato: '[redacted]', integracao: '[redacted]' },
      beneficiarios: '[redacted]',
      seguranca: { auth: [{ chave: 'x-sessao-operadora', token: '[redacted]' }] },
    });
  });
});

describe('console format by environment', () => {
  const capture = (nodeEnv: 'development' | 'production' | 'test') => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'info', nodeEnv }, { destination: { write: (line: string) => lines.push(line) } });
    return { logger, lines };
  };

  it('development: one readable Portuguese line per event, written during the call, with the request folded into the message', () => {
    const { logger, lines } = capture('development');
    logger.warn({ grupoId: 'grp_123', senha: 'SEGREDO-9' }, 'grupo de autorização: a renovação falhou');
    // Written synchronously: the line is there before anything else runs.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] AVISO: grupo de autorização: a renovação falhou \{.*"grupoId":"grp_123".*\}\n$/);
    expect(lines[0]).not.toContain('SEGREDO-9');
    expect(lines[0]).not.toContain('"service"');

    logger.info({ method: 'GET', route: '/painel/api/clientes', status: 200, ms: 3 }, 'requisição');
    expect(lines[1]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] INFO: requisição GET \/painel\/api\/clientes → 200 \(3 ms\)\n$/);
    logger.error({ err: new Error('falhou de verdade') }, 'erro não tratado');
    expect(lines[2]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] ERRO: erro não tratado/);
    expect(lines[2]).toContain('falhou de verdade');
  });

  it.each(['production', 'test'] as const)('%s: JSON, one object per line', (nodeEnv) => {
    const { logger, lines } = capture(nodeEnv);
    logger.warn({ grupoId: 'grp_123' }, 'grupo de autorização: a renovação falhou');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, grupoId: 'grp_123', msg: 'grupo de autorização: a renovação falhou', service: 'ponte' });
  });
});
