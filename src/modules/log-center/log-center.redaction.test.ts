import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cpfFrom, cpfs, seedIdentificacaoBody, validLogin } from '../../../test/support/contract-samples.ts';
import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import { CLEAR_FIELDS, CPF_MASK, EMAIL_MASK, JWT_MASK, MASK, MAX_NON_JSON_PREVIEW_BYTES, MAX_STORED_BODY_BYTES, nonJsonPreview, redactOperatorJson } from '../../platform/redaction.ts';
import type { FieldSpec } from '../contracts/contract-spec.ts';
import { contracts } from '../contracts/contracts.ts';
import { isValidCpf, type Violation } from '../contracts/validator.ts';
import { MAX_STORED_VIOLATIONS, PARTIAL_ROW_NOTE, hashChaveUsuario, maskChaveUsuario, minimalRow, reRedactStoredBody, toStoredRow } from './log-center.redaction.ts';
import type { OutboundCallRecord } from './log-center.types.ts';

const hashKey = randomBytes(32);
const formatCpf = (d: string) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;

const GRUPO_TOKEN = 'grp-secret-7f3c9a1be2d44f0c';
const SEGURANCA_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJiZW5lZmljaWFyaW8iLCJpYXQiOjE3MDAwMDAwMDB9.Qm9yaW5nU2lnbmF0dXJlRm9yVGVzdHM';
const SENHA = 'Senh@Forte#2024!';
const NOVA_SENHA = 'OutraSenh@#2025?';
const EMAIL = 'maria.souza@exemplo.com.br';
const CELULAR_FORMATADO = '(27) 99715-7620';

function response(body: unknown, status = 200): OutboundResult {
  return {
    kind: 'response',
    status,
    statusText: status === 200 ? 'OK' : 'Unauthorized',
    headers: { 'content-type': 'application/json' },
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    latencyMs: 37.6,
  };
}

function record(overrides: Partial<OutboundCallRecord>): OutboundCallRecord {
  return {
    clienteId: 'cli_teste',
    instancia: 1,
    operacao: 'login',
    url: 'https://operadora.example/api/login',
    requestHeaders: { 'content-type': 'application/json', accept: 'application/json' },
    requestBody: {},
    result: response({}),
    violations: [],
    outcome: 'sucesso',
    at: Date.UTC(2026, 0, 1),
    ...overrides,
  };
}

/** Every header a real login carries: static, grupo and the user's seguranca pair. */
const realisticHeaders = {
  'Content-Type': 'application/json',
  Accept: 'application/json',
  'X-Api-Key': 'static-key-0a1b2c3d4e5f',
  meutoken: GRUPO_TOKEN,
  'X-Sessao-Operadora': `JWT ${SEGURANCA_JWT}`,
};

const loginResponse = () => {
  const body = validLogin() as Record<string, any>;
  body.seguranca.auth[0].token = SEGURANCA_JWT;
  body.usuarioLogado.contato.email = EMAIL;
  // Personal data in free text and under names no list would guess.
  body.usuarioLogado.integracao.observacao = `Contato alternativo ${CELULAR_FORMATADO}, e-mail ${EMAIL}, CPF ${formatCpf(cpfs.outro)}`;
  body.usuarioLogado.integracao.documento = cpfs.dependente;
  body.usuarioLogado.integracao.cpfComoNumero = Number(cpfs.titular);
  return body;
};

/** Serializes the whole row and lists which of `secrets` appear in it. */
function survivors(row: unknown, secrets: string[]): string[] {
  const serialized = JSON.stringify(row);
  // Stored bodies are JSON inside the row's JSON: look with their quotes escaped and unescaped.
  const texts = [serialized, serialized.replaceAll('\\"', '"')];
  return secrets.filter((secret) => texts.some((text) => text.includes(secret)));
}

const cpfForms = (cpf: string) => [cpf, formatCpf(cpf)];

describe('toStoredRow: nothing personal or secret survives', () => {
  it('a login call: senha, CPFs, tokens, e-mails and phones are gone from every column', () => {
    const row = toStoredRow(
      record({
        url: `https://usuario:${SENHA}@operadora.example/api/login?token=${GRUPO_TOKEN}&cpf=${cpfs.titular}#${EMAIL}`,
        requestHeaders: realisticHeaders,
        requestBody: { login: formatCpf(cpfs.titular), senha: SENHA },
        result: response(loginResponse()),
        chaveUsuario: cpfs.titular,
        correlationId: 'req_0123456789abcdef01234567',
      }),
      { id: 'log_1', hashKey },
    );
    const secrets = [
      ...cpfForms(cpfs.titular),
      ...cpfForms(cpfs.dependente),
      ...cpfForms(cpfs.outro),
      SENHA,
      GRUPO_TOKEN,
      SEGURANCA_JWT,
      SEGURANCA_JWT.split('.')[1]!,
      'static-key-0a1b2c3d4e5f',
      'JWT abc.def.ghi',
      EMAIL,
      'maria@exemplo.com.br',
      '27997157620',
      '99715-7620',
      '2733334444',
      '1984-02-29',
      '2012-11-05',
      '0001234500012345',
    ];
    expect(survivors(row, secrets)).toEqual([]);
  });

  it('a recuperar senha — identificação call: CPF, data de nascimento, contacts and the seguranca token are gone', () => {
    const seed = JSON.parse(seedIdentificacaoBody) as { seguranca: { auth: { token: string }[] } };
    const row = toStoredRow(
      record({
        operacao: 'recuperarSenhaIdentificacao',
        requestHeaders: realisticHeaders,
        requestBody: { cpf: cpfs.titular, dataNascimento: '1984-02-29' },
        result: response(seedIdentificacaoBody),
        chaveUsuario: '10102',
      }),
      { id: 'log_2', hashKey },
    );
    const secrets = [
      ...cpfForms(cpfs.titular),
      '1984-02-29',
      'benef@gmail.com',
      'benef@outlook.com',
      '27997157620',
      seed.seguranca.auth[0]!.token,
      seed.seguranca.auth[0]!.token.slice(4, 40),
      GRUPO_TOKEN,
      '"10102"',
    ];
    expect(survivors(row, secrets)).toEqual([]);
  });

  it('trocar senha, nova senha and autorização calls: every senha and token is gone', () => {
    const calls = [
      record({ operacao: 'trocarSenha', requestBody: { chaveUnica: cpfs.titular, integracao: { id: 1 }, senhaAtual: SENHA, novaSenha: NOVA_SENHA } }),
      record({ operacao: 'recuperarSenhaNovaSenha', requestBody: { chaveUnica: cpfs.titular, integracao: {}, novaSenha: NOVA_SENHA } }),
      record({
        operacao: 'autorizacao',
        requestBody: { usuario: 'integracao-ponte', senha: SENHA },
        result: response({ auth: [{ token: GRUPO_TOKEN, chave: 'meutoken' }, { token: SEGURANCA_JWT, chave: 'X-Outro' }] }),
      }),
    ];
    for (const call of calls) {
      expect(survivors(toStoredRow(call, { id: 'log_3', hashKey }), [SENHA, NOVA_SENHA, GRUPO_TOKEN, SEGURANCA_JWT, ...cpfForms(cpfs.titular)])).toEqual([]);
    }
    // The autorização body is the grupo's configuration: its usuario stays, as in the grupos screen.
    const autorizacao = toStoredRow(calls[2]!, { id: 'log_3', hashKey });
    expect(JSON.parse(autorizacao.request_body_json!)).toEqual({ usuario: 'integracao-ponte', senha: MASK });
    expect(JSON.parse(autorizacao.response_body!)).toEqual({ auth: [{ token: MASK, chave: 'meutoken' }, { token: JWT_MASK, chave: 'X-Outro' }] });
  });

  it('a form field named outside every list is masked when the record names it sensitive', () => {
    const body = { usuarioApp: 'maria', pin: '948213', lembrar: true };
    const plain = toStoredRow(record({ requestBody: body }), { id: 'log_4', hashKey });
    const marked = toStoredRow(record({ requestBody: body, sensitiveFields: ['PIN'] }), { id: 'log_4', hashKey });
    // Outside the allow-list every value is masked anyway; a field the form marks secret loses even its shape.
    expect(JSON.parse(plain.request_body_json!)).toEqual({ usuarioApp: '*** (5)', pin: '******', lembrar: true });
    expect(JSON.parse(marked.request_body_json!)).toEqual({ usuarioApp: '*** (5)', pin: MASK, lembrar: true });
    // Form fields are named by the operator: a name the allow-list knows from responses means nothing in a request.
    const named = toStoredRow(record({ requestBody: { id: cpfs.titular, tipo: 'Maria', mensagem: 'oi' } }), { id: 'log_4', hashKey });
    expect(JSON.parse(named.request_body_json!)).toEqual({ id: '***********', tipo: '*** (5)', mensagem: '*** (2)' });
  });
});

describe('toStoredRow: what is kept, and in which shape', () => {
  const row = toStoredRow(
    record({
      url: `https://usuario:segredo@operadora.example:8443/api/v1/login?token=${GRUPO_TOKEN}#frag`,
      requestHeaders: realisticHeaders,
      requestBody: { login: formatCpf(cpfs.titular), senha: SENHA },
      result: response(loginResponse()),
      violations: [
        { caminho: 'contratos[0].tipo', tipo: 'valor_nao_permitido', criterio: 'M', esperado: 'String', recebido: 'String "outro"', mensagem: 'Corrija o tipo.' },
      ],
      outcome: 'violacao_contrato',
      chaveUsuario: formatCpf(cpfs.titular),
      correlationId: 'req_0123456789abcdef01234567',
    }),
    { id: 'log_5', hashKey },
  );

  it('keeps the URL without credentials, query string or fragment', () => {
    expect(row.url).toBe('https://operadora.example:8443/api/v1/login');
  });

  it('keeps every header name; values are masked except content-type and accept', () => {
    expect(JSON.parse(row.request_headers_json)).toEqual({
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-Api-Key': '***',
      meutoken: '***',
      'X-Sessao-Operadora': '***',
    });
  });

  it('keeps structure and the allow-listed contract fields; every other value is masked with a hint of its shape', () => {
    expect(JSON.parse(row.request_body_json!)).toEqual({ login: CPF_MASK, senha: MASK });
    const stored = JSON.parse(row.response_body!);
    expect(stored.usuarioLogado).toEqual({
      login: '***********',
      chaveUnica: '***********',
      nome: '*** (24)',
      contato: { email: EMAIL_MASK, telefoneCelular: '***********', telefoneFixo: '**********' },
      esquemaCor: 'azul-operadora',
      // The operator's own identification of the person: nothing of it, whatever its keys.
      integracao: {
        codigoBeneficiario: '********',
        plano: { id: '#', nome: '*** (10)' },
        observacao: `*** (${[...(loginResponse().usuarioLogado.integracao.observacao as string)].length})`,
        documento: '***********',
        cpfComoNumero: '###########',
      },
    });
    // Family members: the list and its shape, no value of anyone in it.
    expect(stored.beneficiarios).toEqual([
      {
        chaveUnica: '***********',
        integracao: { codigoBeneficiario: '********' },
        dadosPessoais: { nome: '*** (24)', dataNascimento: '****-**-**', cpf: '***********' },
        cartao: { numero: '****************', validade: '****-**-**' },
        bloqueio: null,
      },
      { chaveUnica: '***********', integracao: { codigoBeneficiario: '********' }, dadosPessoais: { nome: '*** (10)', dataNascimento: '****-**-**', cpf: '***********' } },
    ]);
    expect(stored.profissionaisSaude).toEqual([{ conselho: '*** (3)', numero: '*****', uf: '*** (2)' }]);
    // The header name of a seguranca pair is configuration, not a secret; its expiry is a timestamp.
    expect(stored.seguranca.auth).toEqual([{ chave: 'X-Sessao-Operadora', token: JWT_MASK, expiracao: 1_900_000_000_000 }]);
    expect(stored.contratos).toEqual([
      {
        numeroContrato: '*********',
        tipo: 'beneficiario',
        descricaoContrato: 'Plano Familiar Enfermaria',
        permissoes: [
          { funcionalidade: 'carteirinha', acesso: true, mensagemBloqueio: null, ocultar: false },
          { funcionalidade: 'boleto', acesso: false, mensagemBloqueio: 'Boletos indisponíveis para o seu contrato.', ocultar: false },
          { funcionalidade: 'reembolso', acesso: true, ocultar: true },
        ],
      },
      { numeroContrato: '*** (5)', tipo: 'profissionalSaude', descricaoContrato: 'Rede credenciada' },
    ]);
    // Free-form extras are outside the allow-list; booleans outside personal data are structure.
    expect(stored.segmentacao).toEqual(['*** (7)', { regiao: '*** (2)' }]);
    expect(stored.agenteRelacionamento).toEqual({ nome: '*** (3)' });
    expect(stored.compartilhamentoRisco).toEqual({ ativo: false });
  });

  it('keeps status, latency, outcome, violations and correlation id; the user key only hashed and masked', () => {
    expect(row).toMatchObject({
      id: 'log_5',
      cliente_id: 'cli_teste',
      instancia: 1,
      operacao: 'login',
      status: 200,
      status_text: 'OK',
      latency_ms: 38,
      resultado: 'violacao_contrato',
      correlation_id: 'req_0123456789abcdef01234567',
      created_at: Date.UTC(2026, 0, 1),
      chave_usuario_mascarada: '529***',
      chave_usuario_hash: hashChaveUsuario(hashKey, cpfs.titular),
    });
    expect(JSON.parse(row.violacoes_json!)).toEqual([
      { caminho: 'contratos[0].tipo', tipo: 'valor_nao_permitido', criterio: 'M', esperado: 'String', recebido: 'String "outro"', mensagem: 'Corrija o tipo.' },
    ]);
  });

  it('a call that got no response keeps the failure reason and message in place of status text and body', () => {
    const failed = toStoredRow(
      record({ result: { kind: 'failure', reason: 'tempo_esgotado', message: 'A API da operadora não respondeu dentro do tempo limite.', latencyMs: 10_000 }, outcome: 'falha_comunicacao' }),
      { id: 'log_6', hashKey },
    );
    expect(failed).toMatchObject({ status: null, status_text: 'tempo_esgotado', response_body: 'A API da operadora não respondeu dentro do tempo limite.', latency_ms: 10_000 });
  });

  it('stores no user key columns when the call had none, and an absent body as null', () => {
    const bare = toStoredRow(record({ requestBody: undefined }), { id: 'log_7', hashKey });
    expect(bare).toMatchObject({ chave_usuario_hash: null, chave_usuario_mascarada: null, correlation_id: null, request_body_json: null, violacoes_json: '[]' });
  });

  it(`keeps at most ${MAX_STORED_VIOLATIONS} violations`, () => {
    const violation: Violation = { caminho: '$', tipo: 'tipo', criterio: 'M', esperado: 'Object', recebido: 'Array', mensagem: 'x' };
    const many = toStoredRow(record({ violations: Array.from({ length: MAX_STORED_VIOLATIONS + 50 }, () => violation) }), { id: 'log_8', hashKey });
    expect(JSON.parse(many.violacoes_json!)).toHaveLength(MAX_STORED_VIOLATIONS);
  });
});

describe('response bodies', () => {
  it('caps a large JSON response at 64 KiB with a truncation marker', () => {
    // Allow-listed fields only, so the stored text is the body itself up to the cut.
    const items = Array.from({ length: 4000 }, (_, i) => ({ id: `item-${i}`, tipo: 'x'.repeat(40) }));
    const text = JSON.stringify({ itens: items });
    const row = toStoredRow(record({ result: response(text) }), { id: 'log_9', hashKey });
    const stored = row.response_body!;
    expect(stored.startsWith('{"itens":[{"id":"item-0","tipo":"xxxx')).toBe(true);
    const [kept, marker] = stored.split('\n…[truncado: ');
    expect(Buffer.byteLength(kept!)).toBeLessThanOrEqual(MAX_STORED_BODY_BYTES);
    expect(Buffer.byteLength(kept!)).toBeGreaterThan(MAX_STORED_BODY_BYTES - 4);
    expect(marker).toBe(`${Buffer.byteLength(text)} bytes no total]`);
    expect(text.startsWith(kept!)).toBe(true);
  });

  it('keeps a short masked preview of a body that is not JSON', () => {
    const html = `<html><body><p>Erro para ${EMAIL} (CPF ${cpfs.titular}, cartão 0001234500012345)</p>${'<p>detalhe</p>'.repeat(500)}</body></html>`;
    const row = toStoredRow(record({ result: response(html, 500) }), { id: 'log_10', hashKey });
    const stored = row.response_body!;
    expect(stored.startsWith('<html><body><p>Erro para ***@*** (CPF ***********, cartão ****************)</p><p>detalhe</p>')).toBe(true);
    expect(stored.endsWith(`\n…[truncado: ${Buffer.byteLength(html)} bytes no total]`)).toBe(true);
    expect(Buffer.byteLength(stored.split('\n…[truncado')[0]!)).toBeLessThanOrEqual(MAX_NON_JSON_PREVIEW_BYTES);
    expect(survivors(row, [EMAIL, cpfs.titular, '0001234500012345'])).toEqual([]);
  });

  it('never leaves half a CPF where a long non-JSON body is cut before masking', () => {
    // Long e-mails shrink a lot when masked, so the end of the scanned part lands in the preview;
    // the scan (16 KiB) ends in the middle of a formatted CPF: `529.982` alone matches no mask.
    const email = `${'p'.repeat(180)}@dominio-longo.example.com`;
    let prefix = '';
    while (prefix.length + email.length + 1 <= 16 * 1024 - 8) prefix += `${email} `;
    prefix = prefix.padEnd(16 * 1024 - 7, ' ');
    const body = `${prefix}${formatCpf(cpfs.titular)} e mais texto ${'z'.repeat(4000)}`;
    const [preview, marker] = nonJsonPreview(body).split('\n…[truncado: ');
    expect(marker).toBe(`${Buffer.byteLength(body)} bytes no total]`);
    expect(preview!.length).toBeLessThan(MAX_NON_JSON_PREVIEW_BYTES);
    expect(preview).toMatch(/^\*\*\*@\*\*\* \*\*\*@\*\*\*/);
    expect(preview).not.toMatch(/\d/);
  });

  it('a plain number body is masked digit by digit; an allow-listed timestamp is not', () => {
    expect(toStoredRow(record({ result: response(cpfs.titular) }), { id: 'log_11', hashKey }).response_body).toBe(JSON.stringify('###########'));
    const padded = cpfFrom('012345678'); // a CPF whose number form loses its leading zero
    expect(redactOperatorJson({ a: Number(padded), expiracao: 1_735_689_600_000 })).toEqual({ a: '##########', expiracao: 1_735_689_600_000 });
  });

  it('an empty body stays empty', () => {
    expect(toStoredRow(record({ result: response('') }), { id: 'log_12', hashKey }).response_body).toBe('');
  });
});

describe('building blocks', () => {
  it('the user key hash is keyed, and formatted and bare CPFs hash alike', () => {
    expect(hashChaveUsuario(hashKey, formatCpf(cpfs.titular))).toBe(hashChaveUsuario(hashKey, ` ${cpfs.titular} `));
    expect(hashChaveUsuario(hashKey, cpfs.titular)).not.toBe(hashChaveUsuario(randomBytes(32), cpfs.titular));
    expect(hashChaveUsuario(hashKey, cpfs.titular)).toMatch(/^[0-9a-f]{64}$/);
    expect(maskChaveUsuario(formatCpf(cpfs.titular))).toBe('529***');
    expect(maskChaveUsuario('10102')).toBe('1***');
    expect(maskChaveUsuario('ab')).toBe('***');
  });

  it('isValidCpf follows the check digits', () => {
    expect(isValidCpf(cpfs.titular)).toBe(true);
    expect(isValidCpf(`${cpfs.titular.slice(0, 10)}${(Number(cpfs.titular[10]) + 1) % 10}`)).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
  });

  it('minimalRow keeps who, what, when and how it ended, and no content', () => {
    const entry = record({ requestBody: { senha: SENHA }, chaveUsuario: cpfs.titular, correlationId: 'req_1', outcome: 'recusado_pela_operadora', result: response({ mensagem: 'x' }, 401) });
    const row = minimalRow(entry, { id: 'log_13', now: 1 });
    expect(row).toEqual({
      id: 'log_13',
      cliente_id: 'cli_teste',
      instancia: 1,
      operacao: 'login',
      url: 'https://operadora.example/api/login',
      request_headers_json: '{}',
      request_body_json: null,
      status: 401,
      status_text: 'Unauthorized',
      response_body: PARTIAL_ROW_NOTE,
      latency_ms: 38,
      resultado: 'recusado_pela_operadora',
      violacoes_json: '[]',
      chave_usuario_hash: null,
      chave_usuario_mascarada: null,
      correlation_id: 'req_1',
      created_at: Date.UTC(2026, 0, 1),
      direcao: 'saida',
      motivo: null,
      token_id: null,
    });
  });

  it('every allow-listed field is declared by an operator contract', () => {
    const declared = new Set<string>();
    const walk = (spec: FieldSpec | undefined) => {
      if (!spec) return;
      if (spec.type === 'object') for (const [name, child] of Object.entries(spec.fields ?? {})) (declared.add(name), walk(child));
      if (spec.type === 'array') walk(spec.items);
    };
    for (const contract of Object.values(contracts)) {
      walk(contract.response);
      walk(contract.failure);
    }
    expect(CLEAR_FIELDS.filter((field) => !declared.has(field))).toEqual([]);
  });

  it('a row written before the allow-list reads masked; a row written under it reads the same', () => {
    const old = JSON.stringify({
      usuarioLogado: { login: CPF_MASK, nome: 'Maria da Conceição Souza', contato: { email: 'm***@e***' }, integracao: { matricula: 'ABC-123' } },
      beneficiarios: [{ dadosPessoais: { nome: 'João Souza' }, cartao: { nomeCartao: 'JOAO SOUZA' } }],
      contratos: [{ tipo: 'beneficiario' }],
    });
    expect(JSON.parse(reRedactStoredBody(old)!)).toEqual({
      usuarioLogado: { login: CPF_MASK, nome: '*** (24)', contato: { email: EMAIL_MASK }, integracao: { matricula: '*** (7)' } },
      beneficiarios: [{ dadosPessoais: { nome: '*** (10)' }, cartao: { nomeCartao: '*** (10)' } }],
      contratos: [{ tipo: 'beneficiario' }],
    });
    const fresh = toStoredRow(record({ requestBody: { login: cpfs.titular, senha: SENHA }, result: response(loginResponse()) }), { id: 'log_14', hashKey });
    expect(reRedactStoredBody(fresh.response_body)).toBe(fresh.response_body);
    expect(reRedactStoredBody(fresh.request_body_json, { operacao: 'login' })).toBe(fresh.request_body_json);
    // Cut at the size limit, a body is no longer JSON: the free-text net still applies.
    expect(reRedactStoredBody(`{"nome":"Maria","cpf":"${formatCpf(cpfs.titular)}"\n…[truncado: 70000 bytes no total]`)).toBe(`{"nome":"Maria","cpf":"${CPF_MASK}"\n…[truncado: 70000 bytes no total]`);
    expect(reRedactStoredBody(null)).toBeNull();
  });
});
