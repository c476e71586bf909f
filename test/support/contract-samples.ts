import type { FieldSpec, OperatorMethod } from '../../src/modules/contracts/contract-spec.ts';

/**
 * Valid operator responses shared by the validator's catalogue and property tests. Each sample
 * fills every optional parent that holds mandatory children, so a walk over the contract reaches
 * every M field of the declaration through it.
 */

/** A CPF whose two check digits follow the Receita Federal algorithm (independent of the validator). */
export function cpfFrom(nineDigits: string): string {
  const digits = [...nineDigits].map(Number);
  for (const weightStart of [10, 11]) {
    const sum = digits.reduce((acc, digit, index) => acc + digit * (weightStart - index), 0);
    const rest = sum % 11;
    digits.push(rest < 2 ? 0 : 11 - rest);
  }
  return digits.join('');
}

export const cpfs = { titular: cpfFrom('529982247'), dependente: cpfFrom('111444777'), outro: cpfFrom('935411347') };

/** The seed's autorização success example, byte for byte (grupos-de-autorizacao.txt). */
export const seedAutorizacaoBody = `{
 "auth": [
     {
      "token" : "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
      "chave" : "meutoken" 
     }]
}`;

/** The seed's identificação success example, byte for byte (recuperar-senha-identificacao.txt). */
export const seedIdentificacaoBody =
  '{ "chaveUnica": "10102", "integracao": { "xpto": "voluptatibus", "xyz": "quibusdam", "abcdef": 9288701 }, "contatos": [ { "id": "1", "contato": "benef@gmail.com", "tipo": 1, "ofuscado": "b****f@g***.com" }, { "id": "2", "contato": "benef@outlook.com", "tipo": 1, "ofuscado": null }, { "id": "3", "contato": "27997157620", "tipo": 2, "ofuscado": "279***76**" } ], "seguranca": { "auth": [ { "chave": "Authorization-Custom", "token": "JWT eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpYXQiOjE1NzI5ODQ4MzgsIm5iZiI6MTU3Mjk4NDgzOSwiZXhwIjoxNTczMDI4MDM4LCJkYXRhIjp7ImxvZ2luIjoiZGVybGFuZHlAbW9iaWxlc2F1ZGUuY29tLmJyIn19.dzJOQhSG8pJx-l6WDDgMVszFsKB26PsIjF4rB1TnWrk", "expiracao": 1574366666921 } ] } }';

/** A realistic login of a titular with a dependente who is also a health professional. */
export function validLogin(): Record<string, unknown> {
  return {
    usuarioLogado: {
      login: cpfs.titular,
      chaveUnica: cpfs.titular,
      nome: 'Maria da Conceição Souza',
      contato: { email: 'maria@exemplo.com.br', telefoneCelular: '27997157620', telefoneFixo: '2733334444' },
      esquemaCor: 'azul-operadora',
      integracao: { codigoBeneficiario: '00012345', plano: { id: 7, nome: 'Enfermaria' } },
    },
    contratos: [
      {
        numeroContrato: '100200300',
        tipo: 'beneficiario',
        descricaoContrato: 'Plano Familiar Enfermaria',
        permissoes: [
          { funcionalidade: 'carteirinha', acesso: true, mensagemBloqueio: null, ocultar: false },
          { funcionalidade: 'boleto', acesso: false, mensagemBloqueio: 'Boletos indisponíveis para o seu contrato.', ocultar: false },
          { funcionalidade: 'reembolso', acesso: true, ocultar: true },
        ],
      },
      { numeroContrato: 'PS-42', tipo: 'profissionalSaude', descricaoContrato: 'Rede credenciada' },
    ],
    beneficiarios: [
      {
        chaveUnica: cpfs.titular,
        integracao: { codigoBeneficiario: '00012345' },
        dadosPessoais: { nome: 'Maria da Conceição Souza', dataNascimento: '1984-02-29', cpf: cpfs.titular },
        cartao: { numero: '0001234500012345', validade: '2027-12-31' },
        bloqueio: null,
      },
      {
        chaveUnica: cpfs.dependente,
        integracao: { codigoBeneficiario: '00012346' },
        dadosPessoais: { nome: 'João Souza', dataNascimento: '2012-11-05', cpf: cpfs.dependente },
      },
    ],
    profissionaisSaude: [{ conselho: 'CRM', numero: '12345', uf: 'ES' }],
    seguranca: { auth: [{ chave: 'X-Sessao-Operadora', token: 'JWT abc.def.ghi', expiracao: 1_900_000_000_000 }] },
    segmentacao: ['premium', { regiao: 'ES' }],
    mosia: { fila: 'atendimento' },
    agenteRelacionamento: { nome: 'Ana' },
    compartilhamentoRisco: { ativo: false },
  };
}

/** A valid 2xx body for each method, as a fresh object the caller may mutate. */
export function validResponse(method: OperatorMethod): Record<string, unknown> {
  switch (method) {
    case 'autorizacao':
      return JSON.parse(seedAutorizacaoBody) as Record<string, unknown>;
    case 'login':
    case 'elegibilidade':
      return validLogin();
    case 'recuperarSenhaIdentificacao':
      return JSON.parse(seedIdentificacaoBody) as Record<string, unknown>;
    case 'recuperarSenhaNovaSenha':
      return { mensagem: 'Senha cadastrada com sucesso.' };
    case 'trocarSenha':
      return { mensagem: 'Senha alterada com sucesso.' };
  }
}

/** A step of a JSON path: an attribute name or an array index. */
export type Segment = string | number;

/** Renders segments the way the validator names paths: `contatos[2].tipo`, `$` for the body. */
export function pathOf(segments: readonly Segment[]): string {
  if (segments.length === 0) return '$';
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Parses `a.b[0].c` back into segments. */
export function segmentsOf(path: string): Segment[] {
  if (path === '$') return [];
  return path.split(/\.|(?=\[)/).map((part) => (part.startsWith('[') ? Number(part.slice(1, -1)) : part));
}

const REMOVE: unique symbol = Symbol('remove');
export { REMOVE };

/** Sets (or with REMOVE deletes) the value at `path` in `root`, in place; returns the new root. */
export function setAt(root: unknown, path: string, value: unknown): unknown {
  const segments = segmentsOf(path);
  if (segments.length === 0) return value;
  let parent = root as Record<string | number, unknown>;
  for (const segment of segments.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = segments.at(-1)!;
  if (value === REMOVE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    // defineProperty, so a key such as `__proto__` becomes an own attribute as JSON.parse makes it.
    Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/** A field that must be filled in `sample`: M, or C whose condition holds for the sample. */
export type RequiredTarget = { path: string; spec: FieldSpec };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Walks the contract through `sample` and lists every field it requires, the body itself (`$`)
 * included; array items are reached through their first element. Throws when the sample lacks a
 * required field, so a sample can never silently fall behind its contract.
 */
export function requiredTargets(spec: FieldSpec, sample: unknown): RequiredTarget[] {
  const targets: RequiredTarget[] = [{ path: '$', spec }];
  const walk = (fieldSpec: FieldSpec, value: unknown, segments: Segment[]): void => {
    if (fieldSpec.type === 'object' && fieldSpec.fields && isRecord(value)) {
      for (const [name, child] of Object.entries(fieldSpec.fields)) {
        const childSegments = [...segments, name];
        const required = child.criterion === 'M' || (child.criterion === 'C' && child.condition!.holds(sample));
        if (required) {
          if (value[name] === undefined) throw new Error(`a amostra não tem o atributo obrigatório ${pathOf(childSegments)}`);
          targets.push({ path: pathOf(childSegments), spec: child });
        }
        walk(child, value[name], childSegments);
      }
    }
    if (fieldSpec.type === 'array' && Array.isArray(value) && value.length > 0) {
      if (fieldSpec.items.criterion === 'M') targets.push({ path: pathOf([...segments, 0]), spec: fieldSpec.items });
      walk(fieldSpec.items, value[0], [...segments, 0]);
    }
  };
  walk(spec, sample, []);
  return targets;
}

/** Every M or C field the declaration has, found from the declaration alone (items as `[0]`). */
export function declaredRequiredPaths(spec: FieldSpec): string[] {
  const paths = ['$'];
  const walk = (fieldSpec: FieldSpec, segments: Segment[]): void => {
    if (fieldSpec.type === 'object') {
      for (const [name, child] of Object.entries(fieldSpec.fields ?? {})) {
        if (child.criterion !== 'OP') paths.push(pathOf([...segments, name]));
        walk(child, [...segments, name]);
      }
    }
    if (fieldSpec.type === 'array') {
      if (fieldSpec.items.criterion !== 'OP') paths.push(pathOf([...segments, 0]));
      walk(fieldSpec.items, [...segments, 0]);
    }
  };
  walk(spec, []);
  return paths;
}
