import { describe, expect, it } from 'vitest';
import {
  CPF_MASK,
  EMAIL_MASK,
  JWT_MASK,
  LOG_CENSOR,
  MASK,
  censorLogFields,
  isClearField,
  isPersonalKey,
  isSecretKey,
  maskString,
  maskText,
  redactAudit,
  redactHeaders,
  redactOperatorBody,
  redactOperatorJson,
  redactSecrets,
  redactUrl,
} from './redaction.ts';

const CPF = '52998224725';
const CPF_FORMATADO = '529.982.247-25';
const EMAIL = 'maria.souza@exemplo.com.br';
const SENHA = 'Senh@Forte#2024!';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJiZW5lZmljaWFyaW8ifQ.Qm9yaW5nU2lnbmF0dXJl';

describe('vocabulary', () => {
  it('tells secret and personal keys case-insensitively, with any separator', () => {
    for (const key of ['senha', 'Nova_Senha', 'senha-atual', 'Password', 'accessToken', 'Authorization', 'set-cookie', 'chavePasse', 'X-Api-Key', 'senhaSelada', 'tokenHash']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['login', 'ChaveUnica', 'cpf', 'E-mail', 'telefone_residencial', 'CELULAR', 'dataNascimento', 'nome', 'nomeCartao', 'nomeSocial', 'matricula', 'contato', 'integracao', 'beneficiarios', 'dadosPessoais', 'endereco', 'profissionaisSaude']) {
      expect(isPersonalKey(key), key).toBe(true);
    }
  });

  it('ids Ponte minted are neither: log lines need them', () => {
    for (const key of ['tokenId', 'session_id', 'userIds', 'clienteId', 'grupoId']) {
      expect(isSecretKey(key) || isPersonalKey(key), key).toBe(false);
    }
    // A contact list keeps its ids and kinds; `contato` alone is the person's.
    expect(isPersonalKey('contatos')).toBe(false);
  });

  it('the allow-list is by key name, at any depth', () => {
    for (const key of ['tipo', 'mensagem', 'mensagemBloqueio', 'acesso', 'ocultar', 'funcionalidade', 'chave', 'expiracao', 'id', 'esquemaCor', 'descricaoContrato']) {
      expect(isClearField(key), key).toBe(true);
    }
    for (const key of ['numeroContrato', 'nome', 'ofuscado', 'codigo', 'descricao', undefined]) expect(isClearField(key), String(key)).toBe(false);
  });
});

describe('masks', () => {
  it('keep the shape of digits, say an e-mail or a JWT was there, and the length of other text', () => {
    expect(maskString(CPF_FORMATADO)).toBe(CPF_MASK);
    expect(maskString(CPF)).toBe('***********');
    expect(maskString('(27) 99715-7620')).toBe('(**) *****-****');
    expect(maskString('1980-03-14')).toBe('****-**-**');
    expect(maskString('0001001-00')).toBe('*******-**');
    expect(maskString(EMAIL)).toBe(EMAIL_MASK);
    expect(maskString(`JWT ${JWT}`)).toBe(JWT_MASK);
    expect(maskString('Ana Beatriz Moreira')).toBe('*** (19)');
    expect(maskString('João')).toBe('*** (4)');
    expect(maskString('')).toBe('');
    expect(maskString('   ')).toBe('   ');
  });

  it('masking a mask changes nothing', () => {
    for (const value of [CPF_FORMATADO, CPF, EMAIL, JWT, 'Ana Beatriz Moreira', '(27) 99715-7620']) {
      expect(maskString(maskString(value))).toBe(maskString(value));
    }
    const body = { usuarioLogado: { nome: 'Ana', login: CPF, contato: { email: EMAIL, ddd: 27, principal: true } }, seguranca: { auth: [{ chave: 'x', token: JWT, expiracao: 1 }] }, contratos: [{ tipo: 'beneficiario', numeroContrato: 'CT-1' }] };
    const once = redactOperatorJson(body, { secretKeys: ['pin'] });
    expect(redactOperatorJson(once, { secretKeys: ['pin'] })).toEqual(once);
  });

  it('maskText masks e-mails, formatted and bare CPFs, JWTs, phones and long digit runs inside text, and nothing else', () => {
    expect(maskText(`Olá ${EMAIL}, CPF ${CPF_FORMATADO} ou ${CPF}, fone +55 27 99715-7620 / (27) 3333-4444, token ${JWT}.`)).toBe(
      `Olá ${EMAIL_MASK}, CPF ${CPF_MASK} ou ***********, fone (**) *****-**** / (**) *****-****, token ${JWT_MASK}.`,
    );
    expect(maskText('Pedido 123, protocolo 2024-01-15, valor R$ 45,90')).toBe('Pedido 123, protocolo 2024-01-15, valor R$ 45,90');
  });
});

describe('redactOperatorJson: structure and the allow-list', () => {
  it('keeps keys, array lengths, allow-listed values, booleans and null; masks the rest by type', () => {
    expect(
      redactOperatorJson({
        mensagem: `Olá, seu CPF ${CPF_FORMATADO} foi bloqueado`,
        tipo: 'beneficiario',
        numeroContrato: 'CT-1001',
        quantidade: 3,
        ativo: true,
        vazio: null,
        lista: ['a', 'bb'],
      }),
    ).toEqual({ mensagem: `Olá, seu CPF ${CPF_MASK} foi bloqueado`, tipo: 'beneficiario', numeroContrato: '*** (7)', quantidade: '#', ativo: true, vazio: null, lista: ['*** (1)', '*** (2)'] });
  });

  it('masks everything under a personal key — booleans too — and everything under a secret key to ***', () => {
    expect(redactOperatorJson({ contato: { email: 'a@b.com', principal: true, ddd: 27 }, integracao: { id: 7, tipo: 'x' }, seguranca: { auth: [{ chave: 'X-S', token: { valor: 'abc' } }] } })).toEqual({
      contato: { email: EMAIL_MASK, principal: MASK, ddd: '##' },
      // Under `integracao`, not even allow-listed names are kept: it identifies the person.
      integracao: { id: '#', tipo: '*** (1)' },
      seguranca: { auth: [{ chave: 'X-S', token: { valor: MASK } }] },
    });
  });

  it('masks form fields named as secret whatever they are called, and personal-looking keys', () => {
    expect(redactOperatorJson({ pin: '948213', [EMAIL]: 'x' }, { secretKeys: ['PIN'] })).toEqual({ pin: MASK, [EMAIL_MASK]: '*** (1)' });
  });

  it('a key named __proto__ stays data at every level, and lengths count characters, not UTF-16 units', () => {
    const body = JSON.parse('{"__proto__":{"nome":"Zoë 👩‍⚕️"},"plano":{"__proto__":"x"}}') as object;
    const redacted = redactOperatorJson(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.keys(redacted)).toEqual(['__proto__', 'plano']);
    expect(JSON.stringify(redacted)).toBe('{"__proto__":{"nome":"*** (8)"},"plano":{"__proto__":"*** (1)"}}');
    expect([...'Zoë 👩‍⚕️'].length).toBe(8);
  });

  it('survives nesting deeper than any real body', () => {
    let deep: unknown = { senha: SENHA };
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    expect(JSON.stringify(redactOperatorJson(deep))).not.toContain(SENHA);
  });

  it('redactOperatorBody: a JSON body redacted, anything else a masked preview, empty stays empty', () => {
    expect(redactOperatorBody(JSON.stringify({ nome: 'Ana', tipo: 'x' }))).toBe('{"nome":"*** (3)","tipo":"x"}');
    expect(redactOperatorBody(`<p>erro de ${EMAIL}</p>`)).toBe(`<p>erro de ${EMAIL_MASK}</p>`);
    expect(redactOperatorBody('')).toBe('');
  });
});

describe('urls and headers', () => {
  it('redactUrl strips credentials and query even from a URL that does not parse', () => {
    expect(redactUrl('https://u:segredo@op.example/login?token=abc#frag')).toBe('https://op.example/login');
    expect(redactUrl('http://[bad@host/x?token=abc')).toBe('http://host/x');
    expect(redactUrl(`not a url//user:${SENHA}@host/login?senha=${SENHA}`)).toBe('not a url//host/login');
  });

  it('redactHeaders keeps every name, masks every value but content-type and accept, and keeps __proto__ as data', () => {
    const headers = JSON.parse('{"__proto__": "x", "Accept": "application/json", "X-Api-Key": "k"}') as Record<string, string>;
    expect(JSON.parse(JSON.stringify(redactHeaders(headers)))).toEqual(JSON.parse('{"__proto__": "***", "Accept": "application/json", "X-Api-Key": "***"}'));
  });
});

describe('redactSecrets and redactAudit', () => {
  it('redactSecrets masks only credentials: what an admin typed stays readable', () => {
    expect(redactSecrets({ login: CPF, senha: SENHA, extra: { accessToken: JWT, ok: true } })).toEqual({ login: CPF, senha: MASK, extra: { accessToken: JWT_MASK, ok: true } });
  });

  it('redactAudit masks credentials and beneficiary data, keeps configuration and painel accounts', () => {
    const integracao = {
      baseUrl: 'https://op.example/api',
      timeoutMs: 10_000,
      metodos: { login: { url: null, formularioId: 'frm_1' }, trocarSenha: { url: 'https://op.example/troca' } },
      headers: [{ nome: 'X-Chave', valor: '***' }, { nome: 'X-Canal', valor: 'app' }],
    };
    expect(redactAudit(integracao)).toEqual(integracao);
    expect(redactAudit({ email: 'pessoa@operadora.example', nome: 'Pessoa do Painel', role: 'editor' })).toEqual({ email: 'pessoa@operadora.example', nome: 'Pessoa do Painel', role: 'editor' });
    expect(redactAudit({ nome: 'Grupo', usuario: 'integracao', senha: SENHA, token: null, exemplo: { cpf: CPF, dataNascimento: '1980-03-14', chaveUnica: CPF, login: CPF_FORMATADO } })).toEqual({
      nome: 'Grupo',
      usuario: 'integracao',
      senha: MASK,
      token: null,
      exemplo: { cpf: '***********', dataNascimento: '****-**-**', chaveUnica: '***********', login: CPF_MASK },
    });
  });
});

describe('censorLogFields', () => {
  it('censors secret and personal keys at any depth, leaves ids, counts and errors alone', () => {
    const err = new Error('falhou');
    const fields = censorLogFields({ tokenId: 'tok_1', clienteId: 'cli_1', err, body: [{ deep: { deeper: { login: CPF, chaveUnica: CPF, email: EMAIL, senha: SENHA } } }], count: 2, nada: null });
    expect(fields).toEqual({ tokenId: 'tok_1', clienteId: 'cli_1', err, body: [{ deep: { deeper: { login: LOG_CENSOR, chaveUnica: LOG_CENSOR, email: LOG_CENSOR, senha: LOG_CENSOR } } }], count: 2, nada: null });
    expect(fields.err).toBe(err);
  });
});
