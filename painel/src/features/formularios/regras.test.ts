import { describe, expect, it } from 'vitest';
import { campoVazio, camposConfirmaveis, paraEditor, paraEnvio, validarFormulario, type CampoEditor, type FormularioEditor } from './regras.ts';

const campo = (parcial: Partial<CampoEditor>): CampoEditor => ({ ...campoVazio(), ...parcial });
const formulario = (campos: CampoEditor[], parcial: Partial<FormularioEditor> = {}): FormularioEditor => ({ nome: 'Login', finalidade: 'login', campos, ...parcial });

describe('paraEnvio', () => {
  it('sends only what the field type accepts, trimmed, and blank properties not at all', () => {
    const editor = formulario([
      campo({ nome: ' cpf ', rotulo: ' CPF ', tipo: 'cpf', min: 3, max: 5, padrao: '\\d+', mascara: '999.999.999-99', ajuda: '  ' }),
      campo({ nome: 'senha', rotulo: 'Senha', tipo: 'senha', min: 8, max: '', padrao: '.*\\d.*', mascara: '999' }),
      campo({ nome: 'plano', rotulo: 'Plano', tipo: 'select', obrigatorio: false, opcoes: [{ chave: 'o1', valor: ' a ', rotulo: ' A ' }] }),
      campo({ nome: 'idade', rotulo: 'Idade', tipo: 'numero', min: -1.5, max: 120, opcoes: [{ chave: 'o2', valor: 'x', rotulo: 'X' }] }),
    ]);
    expect(paraEnvio(editor)).toEqual({
      nome: 'Login',
      finalidade: 'login',
      campos: [
        { nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', obrigatorio: true, mascara: '999.999.999-99' },
        { nome: 'senha', rotulo: 'Senha', tipo: 'senha', obrigatorio: true, min: 8, padrao: '.*\\d.*' },
        { nome: 'plano', rotulo: 'Plano', tipo: 'select', obrigatorio: false, opcoes: [{ valor: 'a', rotulo: 'A' }] },
        { nome: 'idade', rotulo: 'Idade', tipo: 'numero', obrigatorio: true, min: -1.5, max: 120 },
      ],
    });
  });

  it('round-trips a stored definition through the editor', () => {
    const definicao = {
      nome: 'Trocar',
      finalidade: 'trocarSenha' as const,
      campos: [
        { nome: 'senhaAtual', rotulo: 'Senha atual', tipo: 'senha' as const, obrigatorio: true, min: 6, ajuda: 'A que você usa hoje' },
        { nome: 'canal', rotulo: 'Canal', tipo: 'select' as const, obrigatorio: false, opcoes: [{ valor: 'sms', rotulo: 'SMS' }] },
      ],
    };
    expect(paraEnvio(paraEditor(definicao))).toEqual(definicao);
  });
});

describe('validarFormulario', () => {
  it('accepts a complete definition', () => {
    expect(validarFormulario(formulario([campo({ nome: 'login', rotulo: 'CPF', tipo: 'cpf' }), campo({ nome: 'senha', rotulo: 'Senha', tipo: 'senha', min: 6, max: 20 })]))).toEqual({});
  });

  it('names each problem by the path the server uses', () => {
    const erros = validarFormulario(
      formulario(
        [
          campo({ nome: 'data-nascimento', rotulo: '', tipo: 'data' }),
          campo({ nome: 'Senha', rotulo: 'Senha', tipo: 'senha', min: 2.5, max: 1 }),
          campo({ nome: 'senha', rotulo: 'De novo', tipo: 'text', padrao: '([a-z' }),
          campo({ nome: 'plano', rotulo: 'Plano', tipo: 'select', opcoes: [{ chave: 'a', valor: 'x', rotulo: 'X' }, { chave: 'b', valor: 'x', rotulo: '' }] }),
          campo({ nome: 'chaveUnica', rotulo: 'Chave', tipo: 'text' }),
        ],
        { nome: ' ' },
      ),
      ['chaveUnica', 'integracao'],
    );
    expect(Object.keys(erros).sort()).toEqual(
      ['nome', 'campos.0.nome', 'campos.0.rotulo', 'campos.1.min', 'campos.1.max', 'campos.2.nome', 'campos.2.padrao', 'campos.3.opcoes.1.valor', 'campos.3.opcoes.1.rotulo', 'campos.4.nome'].sort(),
    );
    expect(erros['campos.2.nome']).toContain('campo 2');
  });

  it('compares min and max and refuses a select without options', () => {
    const erros = validarFormulario(formulario([campo({ nome: 'a', rotulo: 'A', tipo: 'text', min: 10, max: 5 }), campo({ nome: 'b', rotulo: 'B', tipo: 'select', opcoes: [] })]));
    expect(Object.keys(erros)).toEqual(['campos.0.max', 'campos.1.opcoes']);
  });

  it('checks patterns with the server’s own rules: lookaround (RE2 has none) and costly ones are refused as typed', () => {
    const erros = validarFormulario(
      formulario([
        campo({ nome: 'a', rotulo: 'A', tipo: 'text', padrao: '(?=.*\\d).+' }),
        campo({ nome: 'b', rotulo: 'B', tipo: 'text', padrao: '(a+)+' }),
        campo({ nome: 'c', rotulo: 'C', tipo: 'text', padrao: '.*\\d.*' }),
      ]),
    );
    expect(Object.keys(erros)).toEqual(['campos.0.padrao', 'campos.1.padrao']);
    expect(erros['campos.0.padrao']).toContain('lookahead');
  });

  it('marks one identifier field, never a senha, and sends the mark only where the finalidade uses it', () => {
    const campos = [campo({ nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', identificador: true }), campo({ nome: 'email', rotulo: 'E-mail', tipo: 'email', identificador: true }), campo({ nome: 'senha', rotulo: 'Senha', tipo: 'senha', identificador: true })];
    expect(Object.keys(validarFormulario(formulario(campos)))).toEqual(['campos.1.identificador']);
    expect(paraEnvio(formulario(campos)).campos.map((c) => c.identificador)).toEqual([true, true, undefined]);
    expect(paraEnvio(formulario(campos, { finalidade: 'trocarSenha' })).campos.map((c) => c.identificador)).toEqual([undefined, undefined, undefined]);
  });

  it('ignores properties the type does not accept (they are not sent)', () => {
    expect(validarFormulario(formulario([campo({ nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', min: 'x', padrao: '(' })]))).toEqual({});
  });
});

describe('confirmation fields (confirma)', () => {
  const novaSenha = () => campo({ nome: 'novaSenha', rotulo: 'Nova senha', tipo: 'senha', min: 6, ajuda: 'Pelo menos 6 caracteres.' });

  it('a confirmation sends only what it is: its field, label, help — none of the rules it shares with its field', () => {
    const editor = formulario(
      [novaSenha(), campo({ nome: 'confirmacaoNovaSenha', rotulo: 'Confirme a nova senha', tipo: 'senha', confirma: 'novaSenha', min: 8, padrao: '.+', identificador: true })],
      { finalidade: 'trocarSenha' },
    );
    expect(validarFormulario(editor)).toEqual({});
    expect(paraEnvio(editor).campos[1]).toEqual({ nome: 'confirmacaoNovaSenha', rotulo: 'Confirme a nova senha', tipo: 'senha', obrigatorio: true, confirma: 'novaSenha' });
    // A type without confirmation drops a forgotten one.
    expect(paraEnvio(formulario([campo({ nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', confirma: 'outro' })])).campos[0]).not.toHaveProperty('confirma');
  });

  it('round-trips the default trocar senha form through the editor', () => {
    const definicao = {
      nome: 'Padrão — Trocar senha',
      finalidade: 'trocarSenha' as const,
      campos: [
        { nome: 'senhaAtual', rotulo: 'Senha atual', tipo: 'senha' as const, obrigatorio: true },
        { nome: 'novaSenha', rotulo: 'Nova senha', tipo: 'senha' as const, obrigatorio: true, min: 6, ajuda: 'Pelo menos 6 caracteres.' },
        { nome: 'confirmacaoNovaSenha', rotulo: 'Confirme a nova senha', tipo: 'senha' as const, obrigatorio: true, confirma: 'novaSenha' },
      ],
    };
    expect(paraEnvio(paraEditor(definicao))).toEqual(definicao);
  });

  it('must name another original field of the same type, as the server says', () => {
    const erros = validarFormulario(
      formulario([
        novaSenha(),
        campo({ nome: 'a', rotulo: 'A', tipo: 'senha', confirma: 'inexistente' }),
        campo({ nome: 'b', rotulo: 'B', tipo: 'senha', confirma: 'b' }),
        campo({ nome: 'c', rotulo: 'C', tipo: 'senha', confirma: 'a' }),
        campo({ nome: 'd', rotulo: 'D', tipo: 'text', confirma: 'novaSenha' }),
      ]),
    );
    expect(erros).toEqual({
      'campos.1.confirma': 'Não há campo "inexistente" neste formulário: escolha um campo dele.',
      'campos.2.confirma': 'Um campo não confirma a si mesmo.',
      'campos.3.confirma': '"a" já é uma confirmação: confirme o campo original.',
      'campos.4.confirma': 'A confirmação precisa ser do mesmo tipo do campo "novaSenha".',
    });
  });

  it('offers the other original fields of the same type', () => {
    const campos = [novaSenha(), campo({ nome: 'senhaAtual', tipo: 'senha' }), campo({ nome: 'x', tipo: 'senha', confirma: 'novaSenha' }), campo({ nome: 'email', tipo: 'email' }), campo({ nome: '', tipo: 'senha' })];
    expect(camposConfirmaveis(campos, 2)).toEqual(['novaSenha', 'senhaAtual']);
    expect(camposConfirmaveis(campos, 3)).toEqual([]);
    expect(camposConfirmaveis([campo({ nome: 'cpf', tipo: 'cpf' }), campo({ nome: 'cpf2', tipo: 'cpf' })], 1)).toEqual([]);
  });
});
