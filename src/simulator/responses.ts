import { visibleFamily, type SeedPerson } from './seed-data.ts';

/**
 * The bodies a well-behaved operator returns, built from the seed. Their shape is checked against
 * the declared contracts by the tests (`validateResponse` with zero violations); nothing here
 * restates a contract rule.
 */

export type SecurityPair = { chave: string; token: string; expiracao: number };

const grau: Record<string, string> = { '01': 'Titular', '02': 'Cônjuge', '03': 'Filho(a)', '07': 'Sogro(a)' };
const tipoUsuario = { T: 'Titular', D: 'Dependente', A: 'Agregado' } as const;

/** `ana.moreira@example.com` → `a*********a@e******.com`. */
export function obfuscateEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  const mask = (part: string, keepEnd: boolean) =>
    part.length <= 2 ? `${part[0] ?? ''}*` : `${part[0]}${'*'.repeat(part.length - (keepEnd ? 2 : 1))}${keepEnd ? part.at(-1) : ''}`;
  return `${mask(user, true)}@${mask(host, false)}${tld}`;
}

/** `11990000001` → `119*****0**` (the seed's pattern: area code and a few digits visible). */
export function obfuscatePhone(phone: string): string {
  return [...phone].map((digit, index) => (index < 3 || index === phone.length - 3 ? digit : '*')).join('');
}

function beneficiarioOf(person: SeedPerson) {
  const b = person.beneficiario!;
  return {
    chaveUnica: person.cpf,
    integracao: { codigoBeneficiario: person.codigoBeneficiario, codFamilia: b.codFamilia },
    dadosPessoais: {
      nome: person.nome,
      dataNascimento: person.dataNascimento,
      cpf: person.cpf,
      contato: { email: person.email, telefoneCelular: person.celular },
    },
    dadosDoContrato: { numeroContrato: b.numeroContrato },
    dadosDoPlano: {
      descricao: 'Plano Ponte Demo Enfermaria',
      registroAns: '999999',
      matricula: person.codigoBeneficiario,
      tipoUsuario: { codigo: b.tipoUsuario, descricao: tipoUsuario[b.tipoUsuario] },
      grauParentesco: { codigo: b.grauParentesco, descricao: grau[b.grauParentesco] ?? 'Outro' },
    },
    cartao: {
      numeroCartao: `0999${person.codigoBeneficiario.replace(/\D/g, '')}`,
      validade: '2030-12-31',
      via: 1,
      apresentaCartaoVirtual: true,
      nomeCartao: person.nome.toUpperCase(),
    },
    bloqueio: { bloqueado: false },
  };
}

/** Features blocked or hidden for the titular, to exercise both `permissoes` switches. */
function permissoesOf(person: SeedPerson) {
  if (person.beneficiario?.tipoUsuario !== 'T' || person.profissional) return [];
  return [
    { funcionalidade: 'reembolso', acesso: false, mensagemBloqueio: 'Reembolso indisponível no seu plano. Fale com a central de atendimento.', ocultar: false },
    { funcionalidade: 'telemedicina', acesso: true, mensagemBloqueio: null, ocultar: true },
  ];
}

export function loginBody(person: SeedPerson, people: readonly SeedPerson[], sessao: SecurityPair) {
  const contratos: unknown[] = [];
  if (person.beneficiario) {
    contratos.push({
      numeroContrato: person.beneficiario.numeroContrato,
      tipo: 'beneficiario',
      descricaoContrato: 'Plano Ponte Demo Enfermaria',
      permissoes: permissoesOf(person),
    });
  }
  if (person.profissional) {
    contratos.push({ numeroContrato: person.profissional.numeroContrato, tipo: 'profissionalSaude', descricaoContrato: 'Rede credenciada', permissoes: [] });
  }
  const p = person.profissional;
  return {
    usuarioLogado: {
      login: person.cpf,
      chaveUnica: person.cpf,
      nome: person.nome,
      contato: { email: person.email, telefoneCelular: person.celular },
      integracao: { codigoBeneficiario: person.codigoBeneficiario },
    },
    contratos,
    ...(person.beneficiario ? { beneficiarios: visibleFamily(person, people).map(beneficiarioOf) } : {}),
    ...(p
      ? {
          profissionaisSaude: [
            {
              nome: person.nome,
              chaveProfissionalSaude: `${p.conselho}-${p.numeroConselho}`,
              conselhoRegional: p.numeroConselho,
              siglaConselhoRegional: p.conselho,
              estadoConselhoRegional: 'SP',
              dataNascimento: person.dataNascimento,
              cpf: person.cpf,
              email: person.email,
              celular: person.celular,
              especialidades: [{ cboEspecialidadeId: '225124', cboEspecialidadeDescricao: p.especialidade }],
              codigoContrato: p.numeroContrato,
            },
          ],
        }
      : {}),
    seguranca: { auth: [sessao] },
    segmentacao: [],
  };
}

export function identificationBody(person: SeedPerson, recuperacao: SecurityPair) {
  return {
    chaveUnica: person.cpf,
    integracao: { codigoBeneficiario: person.codigoBeneficiario },
    contatos: [
      { id: '1', contato: person.email, tipo: 1, ofuscado: obfuscateEmail(person.email) },
      // The seed shows a contact without `ofuscado`: Ponte must obfuscate it itself.
      { id: '2', contato: person.emailSecundario, tipo: 1, ofuscado: null },
      { id: '3', contato: person.celular, tipo: 2, ofuscado: obfuscatePhone(person.celular) },
    ],
    seguranca: { auth: [recuperacao] },
  };
}
