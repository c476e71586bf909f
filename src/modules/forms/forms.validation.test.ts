import { describe, expect, it } from 'vitest';
import { M } from '../contracts/contract-spec.ts';
import { contracts } from '../contracts/contracts.ts';
import { validateValue } from '../contracts/validator.ts';
import { defaultForms } from './forms.defaults.ts';
import { formFinalidades, formularioSchema, MIN_NEW_PASSWORD_LENGTH } from './forms.schemas.ts';
import { validateSubmission } from './forms.validation.ts';

const SENHA = 'segredo123';
const CPF = '52998224725';

const cadastro = formularioSchema.parse({
  nome: 'Cadastro',
  finalidade: 'login',
  campos: [
    { nome: 'nome', rotulo: 'Nome', tipo: 'text', min: 2, max: 10 },
    { nome: 'matricula', rotulo: 'Matrícula', tipo: 'text', obrigatorio: false, padrao: '\\d{6,8}', ajuda: 'Somente dígitos, de 6 a 8.' },
    { nome: 'observacao', rotulo: 'Observação', tipo: 'text', obrigatorio: false },
    { nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', mascara: '999.999.999-99' },
    { nome: 'nascimento', rotulo: 'Data de nascimento', tipo: 'data' },
    { nome: 'email', rotulo: 'E-mail', tipo: 'email', obrigatorio: false },
    { nome: 'celular', rotulo: 'Celular', tipo: 'telefone', obrigatorio: false },
    { nome: 'senha', rotulo: 'Senha', tipo: 'senha', min: 8, max: 64, padrao: '.*\\d.*' },
    { nome: 'idade', rotulo: 'Idade', tipo: 'numero', obrigatorio: false, min: 0, max: 130 },
    {
      nome: 'plano',
      rotulo: 'Plano',
      tipo: 'select',
      obrigatorio: false,
      opcoes: [
        { valor: 'basico', rotulo: 'Básico' },
        { valor: 'premium', rotulo: 'Premium' },
      ],
    },
  ],
});

/** A valid submission, typed the way people type it. */
const base = { nome: 'Maria', cpf: '529.982.247-25', nascimento: '15/03/1990', senha: SENHA };
/** What the operator receives for `base`. */
const baseBody = { nome: 'Maria', cpf: CPF, nascimento: '1990-03-15', senha: SENHA };

type Case = { name: string; input: Record<string, unknown>; body?: Record<string, string | number>; errors?: string[] };

const cases: Case[] = [
  // Accepted, and converted to what the operator expects.
  { name: 'the required fields only', input: {}, body: {} },
  { name: 'CPF typed as digits', input: { cpf: CPF }, body: {} },
  { name: 'CPF with only the dash', input: { cpf: '529982247-25' }, body: {} },
  { name: 'CPF with surrounding spaces', input: { cpf: '  529.982.247-25 ' }, body: {} },
  { name: 'date already in ISO form', input: { nascimento: '1990-03-15' }, body: {} },
  { name: 'a leap day', input: { nascimento: '29/02/2024' }, body: { nascimento: '2024-02-29' } },
  { name: 'e-mail, trimmed', input: { email: '  maria@exemplo.com.br ' }, body: { email: 'maria@exemplo.com.br' } },
  { name: 'mobile phone with formatting', input: { celular: '(11) 98765-4321' }, body: { celular: '11987654321' } },
  { name: 'landline with 10 digits', input: { celular: '11 3456.7890' }, body: { celular: '1134567890' } },
  { name: 'phone with +55', input: { celular: '+55 (21) 99876-5432' }, body: { celular: '21998765432' } },
  { name: 'number sent as a number', input: { idade: 42 }, body: { idade: 42 } },
  { name: 'number sent as text', input: { idade: ' 42 ' }, body: { idade: 42 } },
  { name: 'decimal comma', input: { idade: '1,5' }, body: { idade: 1.5 } },
  { name: 'number at the minimum', input: { idade: 0 }, body: { idade: 0 } },
  { name: 'number at the maximum', input: { idade: '130' }, body: { idade: 130 } },
  { name: 'one of the options', input: { plano: 'premium' }, body: { plano: 'premium' } },
  { name: 'text trimmed', input: { nome: '  Ana  ' }, body: { nome: 'Ana' } },
  { name: 'text at its maximum length', input: { nome: 'A'.repeat(10) }, body: { nome: 'A'.repeat(10) } },
  { name: 'senha sent exactly as typed', input: { senha: ' segredo 123 ' }, body: { senha: ' segredo 123 ' } },
  { name: 'text following its pattern', input: { matricula: '1234567' }, body: { matricula: '1234567' } },
  { name: 'text of 1000 characters', input: { observacao: 'x'.repeat(1000) }, body: { observacao: 'x'.repeat(1000) } },
  { name: 'optional fields left blank are not sent', input: { email: '', celular: '   ', idade: null, plano: undefined }, body: {} },
  { name: 'unknown fields are dropped', input: { extra: 'x', chaveUnica: '123', integracao: { a: 1 } }, body: {} },

  // Refused, field by field.
  { name: 'required field missing', input: { nome: undefined }, errors: ['nome'] },
  { name: 'required field blank', input: { nome: '   ' }, errors: ['nome'] },
  { name: 'required field null', input: { cpf: null }, errors: ['cpf'] },
  { name: 'text shorter than min', input: { nome: 'M' }, errors: ['nome'] },
  { name: 'text longer than max', input: { nome: 'A'.repeat(11) }, errors: ['nome'] },
  { name: 'any text over 1000 characters', input: { observacao: 'x'.repeat(1001) }, errors: ['observacao'] },
  { name: 'text breaking its pattern', input: { matricula: '12ab' }, errors: ['matricula'] },
  { name: 'text given as an object', input: { nome: { valor: 'Maria' } }, errors: ['nome'] },
  { name: 'text given as an array', input: { nome: ['Maria'] }, errors: ['nome'] },
  { name: 'text given as a boolean', input: { nome: true }, errors: ['nome'] },
  { name: 'CPF with a wrong check digit', input: { cpf: '529.982.247-24' }, errors: ['cpf'] },
  { name: 'CPF with 10 digits', input: { cpf: '5299822472' }, errors: ['cpf'] },
  { name: 'CPF of one repeated digit', input: { cpf: '111.111.111-11' }, errors: ['cpf'] },
  { name: 'CPF with letters', input: { cpf: '529.982.247-2X' }, errors: ['cpf'] },
  { name: 'CPF sent as a number', input: { cpf: 52998224725 }, errors: ['cpf'] },
  { name: '31 February', input: { nascimento: '31/02/2020' }, errors: ['nascimento'] },
  { name: '29 February of a common year', input: { nascimento: '2021-02-29' }, errors: ['nascimento'] },
  { name: 'month 13', input: { nascimento: '01/13/2000' }, errors: ['nascimento'] },
  { name: 'date with slashes in ISO order', input: { nascimento: '1990/03/15' }, errors: ['nascimento'] },
  { name: 'date with dashes in Brazilian order', input: { nascimento: '15-03-1990' }, errors: ['nascimento'] },
  { name: 'e-mail without domain', input: { email: 'maria@' }, errors: ['email'] },
  { name: 'e-mail without a dot in the domain', input: { email: 'maria@exemplo' }, errors: ['email'] },
  { name: 'e-mail with a space', input: { email: 'maria silva@exemplo.com' }, errors: ['email'] },
  { name: 'e-mail over 254 characters', input: { email: `${'a'.repeat(60)}@${'b'.repeat(190)}.com.br` }, errors: ['email'] },
  { name: 'phone with 9 digits', input: { celular: '11 8765-432' }, errors: ['celular'] },
  { name: 'phone with 12 digits', input: { celular: '011 98765-4321' }, errors: ['celular'] },
  { name: 'phone with letters', input: { celular: '(11) 9876-ABCD' }, errors: ['celular'] },
  { name: 'phone whose area code starts with 0', input: { celular: '(01) 98765-4321' }, errors: ['celular'] },
  { name: 'number that is not a number', input: { idade: 'abc' }, errors: ['idade'] },
  { name: 'number above max', input: { idade: 131 }, errors: ['idade'] },
  { name: 'number below min', input: { idade: '-1' }, errors: ['idade'] },
  { name: 'number in exponent notation', input: { idade: '1e2' }, errors: ['idade'] },
  { name: 'number given as a boolean', input: { idade: true }, errors: ['idade'] },
  { name: 'value outside the options', input: { plano: 'ouro' }, errors: ['plano'] },
  { name: 'senha shorter than min', input: { senha: 'abc1' }, errors: ['senha'] },
  { name: 'senha breaking its pattern', input: { senha: 'semnumeronenhum' }, errors: ['senha'] },
  { name: 'senha given as a number', input: { senha: 12345678 }, errors: ['senha'] },
  {
    name: 'every problem at once',
    input: { nome: '', cpf: '123', nascimento: 'ontem', email: 'x', celular: '1', senha: 'curta', idade: 'muitos', plano: 'x' },
    errors: ['nome', 'cpf', 'nascimento', 'email', 'celular', 'senha', 'idade', 'plano'],
  },
];

describe('validateSubmission', () => {
  it('covers a wide table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name', ({ input, body, errors }) => {
    const submitted = { ...base, ...input };
    const result = validateSubmission(cadastro, submitted);
    if (body) {
      expect(result).toEqual({ ok: true, body: { ...baseBody, ...body }, ignorados: expect.any(Array) });
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.details.map((d) => d.field)).toEqual(errors);
      for (const detail of result.details) {
        expect(detail.message.length).toBeGreaterThan(10);
        // Messages name the field by its label and never echo a senha.
        const campo = cadastro.campos.find((c) => c.nome === detail.field)!;
        expect(detail.message).toContain(`"${campo.rotulo}"`);
        if (typeof submitted.senha === 'string') expect(detail.message).not.toContain(submitted.senha);
      }
    }
  });

  it('never forwards a field the form does not have, and says which were dropped', () => {
    const result = validateSubmission(cadastro, { ...base, extra: 'x', chaveUnica: '123' });
    expect(result).toEqual({ ok: true, body: baseBody, ignorados: ['extra', 'chaveUnica'] });
  });

  it('cannot be steered into an object prototype', () => {
    const form = formularioSchema.parse({ nome: 'F', finalidade: 'login', campos: [{ nome: 'login', rotulo: 'Login', tipo: 'text' }] });
    const input = JSON.parse('{"login":"maria","__proto__":{"senha":"x"}}') as unknown;
    const result = validateSubmission(form, input);
    expect(result.ok && Object.getPrototypeOf(result.body)).toBe(Object.prototype);
    expect(result.ok && Object.keys(result.body)).toEqual(['login']);
  });

  it.each([null, [], 'login=maria', 42])('refuses a submission that is not an object (%j)', (input) => {
    const result = validateSubmission(cadastro, input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.details).toEqual([{ message: expect.any(String) }]);
  });
});

describe('default forms', () => {
  it('are derived from the request of each operator contract', () => {
    const summary = (finalidade: (typeof formFinalidades)[number]) => defaultForms[finalidade].campos.map((c) => [c.nome, c.tipo, c.rotulo, c.obrigatorio]);
    expect(summary('login')).toEqual([
      ['login', 'text', 'CPF ou matrícula', true],
      ['senha', 'senha', 'Senha', true],
    ]);
    expect(summary('recuperarSenhaIdentificacao')).toEqual([
      ['cpf', 'cpf', 'CPF', true],
      ['dataNascimento', 'data', 'Data de nascimento', true],
    ]);
    expect(summary('trocarSenha')).toEqual([
      ['senhaAtual', 'senha', 'Senha atual', true],
      ['novaSenha', 'senha', 'Nova senha', true],
      ['confirmacaoNovaSenha', 'senha', 'Confirme a nova senha', true],
    ]);
    expect(summary('recuperarSenhaNovaSenha')).toEqual([
      ['novaSenha', 'senha', 'Nova senha', true],
      ['confirmacaoNovaSenha', 'senha', 'Confirme a nova senha', true],
    ]);
    // Every contract field, in order; confirmations besides, which are never sent.
    for (const finalidade of formFinalidades) {
      expect(defaultForms[finalidade].campos.filter((c) => c.confirma === undefined).map((c) => c.nome)).toEqual(Object.keys(contracts[finalidade].request.formFields));
    }
  });

  it('one new-senha policy in both forms that set one: the same minimum, help and confirmation', () => {
    const policyOf = (finalidade: 'trocarSenha' | 'recuperarSenhaNovaSenha') =>
      defaultForms[finalidade].campos.filter((c) => c.nome === 'novaSenha' || c.confirma === 'novaSenha');
    expect(policyOf('trocarSenha')).toEqual(policyOf('recuperarSenhaNovaSenha'));
    expect(policyOf('trocarSenha')).toEqual([
      { nome: 'novaSenha', rotulo: 'Nova senha', tipo: 'senha', obrigatorio: true, min: MIN_NEW_PASSWORD_LENGTH, ajuda: `Pelo menos ${MIN_NEW_PASSWORD_LENGTH} caracteres.` },
      { nome: 'confirmacaoNovaSenha', rotulo: 'Confirme a nova senha', tipo: 'senha', obrigatorio: true, confirma: 'novaSenha' },
    ]);
    expect(MIN_NEW_PASSWORD_LENGTH).toBe(6);
  });

  it.each(['trocarSenha', 'recuperarSenhaNovaSenha'] as const)('%s: "1" is too short, a different confirmation does not match, a missing one is asked for', (finalidade) => {
    const atual = finalidade === 'trocarSenha' ? { senhaAtual: SENHA } : {};
    expect(validateSubmission(defaultForms[finalidade], { ...atual, novaSenha: '1', confirmacaoNovaSenha: '1' })).toEqual({
      ok: false,
      details: [{ field: 'novaSenha', message: '"Nova senha" deve ter pelo menos 6 caracteres.' }],
      ignorados: [],
    });
    expect(validateSubmission(defaultForms[finalidade], { ...atual, novaSenha: 'nova-123456', confirmacaoNovaSenha: 'nova-123457' })).toEqual({
      ok: false,
      details: [{ field: 'confirmacaoNovaSenha', message: 'As senhas não conferem: digite em "Confirme a nova senha" a mesma senha de "Nova senha".' }],
      ignorados: [],
    });
    // A senha is compared exactly as typed: a trailing space is a different senha.
    expect(validateSubmission(defaultForms[finalidade], { ...atual, novaSenha: 'nova-123456', confirmacaoNovaSenha: 'nova-123456 ' })).toMatchObject({ ok: false, details: [{ field: 'confirmacaoNovaSenha' }] });
    expect(validateSubmission(defaultForms[finalidade], { ...atual, novaSenha: 'nova-123456' })).toEqual({
      ok: false,
      details: [{ field: 'confirmacaoNovaSenha', message: 'Preencha o campo "Confirme a nova senha".' }],
      ignorados: [],
    });
  });

  const accepted: { finalidade: (typeof formFinalidades)[number]; input: Record<string, unknown>; body: Record<string, string> }[] = [
    { finalidade: 'login', input: { login: '529.982.247-25', senha: SENHA }, body: { login: '529.982.247-25', senha: SENHA } },
    { finalidade: 'login', input: { login: 'MAT-0042', senha: SENHA }, body: { login: 'MAT-0042', senha: SENHA } },
    { finalidade: 'recuperarSenhaIdentificacao', input: { cpf: '529.982.247-25', dataNascimento: '15/03/1990' }, body: { cpf: CPF, dataNascimento: '1990-03-15' } },
    { finalidade: 'recuperarSenhaIdentificacao', input: { cpf: CPF, dataNascimento: '1990-03-15' }, body: { cpf: CPF, dataNascimento: '1990-03-15' } },
    // The confirmation is checked and dropped: the operator receives exactly the contract's fields.
    { finalidade: 'trocarSenha', input: { senhaAtual: SENHA, novaSenha: 'outra-senha-456', confirmacaoNovaSenha: 'outra-senha-456' }, body: { senhaAtual: SENHA, novaSenha: 'outra-senha-456' } },
    { finalidade: 'recuperarSenhaNovaSenha', input: { novaSenha: 'outra-senha-456', confirmacaoNovaSenha: 'outra-senha-456' }, body: { novaSenha: 'outra-senha-456' } },
  ];

  it.each(accepted)('$finalidade accepts what its contract expects and sends a body the contract accepts', ({ finalidade, input, body }) => {
    const result = validateSubmission(defaultForms[finalidade], input);
    expect(result).toEqual({ ok: true, body, ignorados: [] });
    expect(validateValue(M.object('corpo enviado', contracts[finalidade].request.formFields), body)).toEqual([]);
  });

  it('refuses a blank senha and an invalid identification before any operator is called', () => {
    expect(validateSubmission(defaultForms.login, { login: 'maria', senha: '  ' })).toMatchObject({ ok: false, details: [{ field: 'senha' }] });
    expect(validateSubmission(defaultForms.recuperarSenhaIdentificacao, { cpf: '529.982.247-24', dataNascimento: '30/02/1990' })).toMatchObject({
      ok: false,
      details: [{ field: 'cpf' }, { field: 'dataNascimento' }],
    });
  });

  it('never lets the app supply the fields Ponte adds itself (trocarSenha)', () => {
    const result = validateSubmission(defaultForms.trocarSenha, { senhaAtual: SENHA, novaSenha: 'nova-123456', confirmacaoNovaSenha: 'nova-123456', chaveUnica: 'outra-pessoa', integracao: {} });
    expect(result).toEqual({ ok: true, body: { senhaAtual: SENHA, novaSenha: 'nova-123456' }, ignorados: ['chaveUnica', 'integracao'] });
  });
});

describe('confirmation fields (confirma)', () => {
  const definicao = (campos: unknown[]) => formularioSchema.safeParse({ nome: 'Cadastro', finalidade: 'login', campos });
  const issues = (campos: unknown[]) => {
    const parsed = definicao(campos);
    return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
  };
  const email = { nome: 'email', rotulo: 'E-mail', tipo: 'email' };

  it('must repeat another, original field of this form, of the same type (text, senha or email), with no rules of its own', () => {
    expect(issues([email, { nome: 'email2', rotulo: 'Repita', tipo: 'email', confirma: 'email' }])).toEqual([]);
    expect(issues([email, { nome: 'email2', rotulo: 'Repita', tipo: 'email', confirma: 'mail' }])).toEqual([['campos.1.confirma', 'Não há campo "mail" neste formulário: informe o nome de um campo dele.']]);
    expect(issues([email, { nome: 'email2', rotulo: 'Repita', tipo: 'email', confirma: 'email2' }])).toEqual([['campos.1.confirma', 'Um campo não confirma a si mesmo: informe o nome do campo que ele repete.']]);
    expect(issues([email, { nome: 'e2', rotulo: 'R', tipo: 'email', confirma: 'email' }, { nome: 'e3', rotulo: 'R', tipo: 'email', confirma: 'e2' }])).toEqual([
      ['campos.2.confirma', '"e2" já é uma confirmação: confirme o campo original ("email").'],
    ]);
    expect(issues([email, { nome: 'email2', rotulo: 'Repita', tipo: 'text', confirma: 'email' }])).toEqual([['campos.1.confirma', 'A confirmação precisa ser do mesmo tipo do campo "email" (email).']]);
    expect(issues([{ nome: 'cpf', rotulo: 'CPF', tipo: 'cpf' }, { nome: 'cpf2', rotulo: 'CPF', tipo: 'cpf', confirma: 'cpf' }])).toEqual([['campos.1.confirma', 'Só campos text, senha ou email têm confirmação; os do tipo cpf não.']]);
    expect(issues([{ nome: 'senha', rotulo: 'Senha', tipo: 'senha', min: 8 }, { nome: 'senha2', rotulo: 'Repita', tipo: 'senha', confirma: 'senha', min: 8, padrao: '.+' }]).map(([path]) => path)).toEqual([
      'campos.1.min',
      'campos.1.padrao',
    ]);
  });

  it('is compared with its field (spaces around an e-mail do not count), follows an optional field and never reaches the body', () => {
    const form = formularioSchema.parse({
      nome: 'Cadastro',
      finalidade: 'login',
      campos: [{ ...email, obrigatorio: false }, { nome: 'email2', rotulo: 'Repita o e-mail', tipo: 'email', obrigatorio: false, confirma: 'email' }],
    });
    expect(validateSubmission(form, { email: 'ana@exemplo.com.br', email2: ' ana@exemplo.com.br ' })).toEqual({ ok: true, body: { email: 'ana@exemplo.com.br' }, ignorados: [] });
    expect(validateSubmission(form, {})).toEqual({ ok: true, body: {}, ignorados: [] });
    expect(validateSubmission(form, { email: 'ana@exemplo.com.br', email2: 'ana@exemplo.com' })).toEqual({
      ok: false,
      details: [{ field: 'email2', message: '"Repita o e-mail" não confere com "E-mail": digite o mesmo valor nos dois campos.' }],
      ignorados: [],
    });
    expect(validateSubmission(form, { email2: 'ana@exemplo.com.br' })).toMatchObject({ ok: false, details: [{ field: 'email2' }] });
    expect(validateSubmission(form, { email: 'ana@exemplo.com.br', email2: 42 })).toMatchObject({ ok: false, details: [{ field: 'email2', message: 'Informe "Repita o e-mail" como texto.' }] });
  });
});

describe('patterns run on RE2', () => {
  // Parsed without the schema: a pattern saved before RE2, which the schema now refuses.
  const legado = { campos: [{ nome: 'senha', rotulo: 'Senha', tipo: 'senha' as const, obrigatorio: true, padrao: '(?=.*\\d).+' }] };

  it('refuses, field by field, a value whose stored pattern RE2 cannot run (fails closed, never falls back to backtracking)', () => {
    expect(validateSubmission(legado, { senha: 'abc123' })).toMatchObject({ ok: false, details: [{ field: 'senha' }] });
  });

  it('checks 30 fields of 1 000 characters against a pattern that backtracks catastrophically in JavaScript', () => {
    // `(a|aa)+$`-style ambiguity is refused at save; here the definition skips the schema on purpose.
    const campos = Array.from({ length: 30 }, (_, i) => ({ nome: `c${i}`, rotulo: `C${i}`, tipo: 'text' as const, obrigatorio: true, padrao: '(?:a|aa)+b' }));
    const input = Object.fromEntries(campos.map((c) => [c.nome, 'a'.repeat(1000)]));
    const result = validateSubmission({ campos }, input);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.details.map((d) => d.field)).toEqual(campos.map((c) => c.nome));
  });
});
