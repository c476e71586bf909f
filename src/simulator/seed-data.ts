/**
 * The people the operator simulator knows. Invented for tests and demos: the CPFs are built from
 * made-up 9-digit bases with computed check digits, e-mails use the reserved `example.com` domain.
 */

/** Appends the two CPF check digits to a 9-digit base. */
export function cpfWithCheckDigits(base: string): string {
  if (!/^\d{9}$/.test(base)) throw new Error(`a CPF base has 9 digits (got "${base}")`);
  const digits = [...base].map(Number);
  const next = () => {
    const length = digits.length;
    const sum = digits.reduce((acc, digit, index) => acc + digit * (length + 1 - index), 0);
    const rest = (sum * 10) % 11;
    digits.push(rest === 10 ? 0 : rest);
  };
  next();
  next();
  return digits.join('');
}

/** Family roles as the platform's "Perfil Beneficiário" page names them. */
export type TipoUsuario = 'T' | 'D' | 'A';

export type SeedPerson = {
  cpf: string;
  nome: string;
  /** `YYYY-MM-DD`. */
  dataNascimento: string;
  senha: string;
  email: string;
  emailSecundario: string;
  /** 11 digits (DDD + number). */
  celular: string;
  codigoBeneficiario: string;
  /** Absent for someone who is only a professional de saúde. */
  beneficiario?: {
    codFamilia: string;
    numeroContrato: string;
    tipoUsuario: TipoUsuario;
    /** `01` titular, `02` cônjuge, above that other relations. */
    grauParentesco: string;
  };
  profissional?: { numeroContrato: string; conselho: string; numeroConselho: string; especialidade: string };
};

const family = (tipoUsuario: TipoUsuario, grauParentesco: string) => ({ codFamilia: 'FAM-1001', numeroContrato: 'CT-1001', tipoUsuario, grauParentesco });

export const seedPeople: readonly SeedPerson[] = [
  {
    cpf: cpfWithCheckDigits('100200301'),
    nome: 'Ana Beatriz Moreira',
    dataNascimento: '1980-03-14',
    senha: 'ana12345',
    email: 'ana.moreira@example.com',
    emailSecundario: 'ana.trabalho@example.com',
    celular: '11990000001',
    codigoBeneficiario: '0001001-00',
    beneficiario: family('T', '01'),
  },
  {
    cpf: cpfWithCheckDigits('100200302'),
    nome: 'Carlos Eduardo Moreira',
    dataNascimento: '1978-11-02',
    senha: 'carlos12345',
    email: 'carlos.moreira@example.com',
    emailSecundario: 'carlos.pessoal@example.com',
    celular: '11990000002',
    codigoBeneficiario: '0001001-01',
    beneficiario: family('D', '02'),
  },
  {
    cpf: cpfWithCheckDigits('100200303'),
    nome: 'Lucas Moreira',
    dataNascimento: '2010-07-21',
    senha: 'lucas12345',
    email: 'lucas.moreira@example.com',
    emailSecundario: 'lucas.escola@example.com',
    celular: '11990000003',
    codigoBeneficiario: '0001001-02',
    beneficiario: family('D', '03'),
  },
  {
    cpf: cpfWithCheckDigits('100200304'),
    nome: 'Rosa Maria Pereira',
    dataNascimento: '1950-01-30',
    senha: 'rosa12345',
    email: 'rosa.pereira@example.com',
    emailSecundario: 'rosa.familia@example.com',
    celular: '11990000004',
    codigoBeneficiario: '0001001-03',
    // An agregada (mother-in-law): the spouse's view of the family leaves her out.
    beneficiario: family('A', '07'),
  },
  {
    cpf: cpfWithCheckDigits('100200305'),
    nome: 'Helena Costa',
    dataNascimento: '1985-05-09',
    senha: 'helena12345',
    email: 'helena.costa@example.com',
    emailSecundario: 'consultorio.helena@example.com',
    celular: '11990000005',
    codigoBeneficiario: '0002001-00',
    beneficiario: { codFamilia: 'FAM-2001', numeroContrato: 'CT-2001', tipoUsuario: 'T', grauParentesco: '01' },
    profissional: { numeroContrato: 'PS-3001', conselho: 'CRM', numeroConselho: '123456', especialidade: 'Pediatria' },
  },
  {
    cpf: cpfWithCheckDigits('100200306'),
    nome: 'Marcos Lima',
    dataNascimento: '1975-09-17',
    senha: 'marcos12345',
    email: 'marcos.lima@example.com',
    emailSecundario: 'clinica.marcos@example.com',
    celular: '11990000006',
    codigoBeneficiario: 'PS-0006',
    profissional: { numeroContrato: 'PS-3002', conselho: 'CRM', numeroConselho: '654321', especialidade: 'Cardiologia' },
  },
];

/**
 * Who a logged-in beneficiary may see (docs/PLATAFORMA.md §2.1.1, family grouped by `codFamilia`):
 * the titular sees the whole family; the spouse sees self and the other dependents, never the
 * agregados; any other dependent and every agregado see only themselves.
 */
export function visibleFamily(logged: SeedPerson, people: readonly SeedPerson[]): SeedPerson[] {
  const own = logged.beneficiario;
  if (!own) return [];
  const relatives = people.filter((p) => p.beneficiario?.codFamilia === own.codFamilia);
  if (own.tipoUsuario === 'T' && own.grauParentesco === '01') return relatives;
  if (own.tipoUsuario === 'D' && own.grauParentesco === '02') {
    return relatives.filter((p) => p.cpf === logged.cpf || p.beneficiario?.tipoUsuario === 'D');
  }
  return [logged];
}

/** What `--list-users` prints: enough to log in, recover a password and recognise the contacts. */
export function describeSeedUsers(people: readonly SeedPerson[] = seedPeople) {
  return people.map((p) => ({
    login: p.cpf,
    cpf: p.cpf,
    senha: p.senha,
    dataNascimento: p.dataNascimento,
    nome: p.nome,
    perfil: [p.beneficiario ? describeRole(p.beneficiario) : undefined, p.profissional ? 'profissional de saúde' : undefined].filter(Boolean).join(' + '),
    contatos: { email: p.email, emailSecundario: p.emailSecundario, celular: p.celular },
  }));
}

function describeRole(b: NonNullable<SeedPerson['beneficiario']>): string {
  if (b.tipoUsuario === 'T') return `beneficiário titular (${b.codFamilia})`;
  if (b.tipoUsuario === 'A') return `beneficiário agregado (${b.codFamilia})`;
  return `beneficiário dependente, grau ${b.grauParentesco} (${b.codFamilia})`;
}
