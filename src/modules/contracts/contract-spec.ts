/**
 * The vocabulary in which operator contracts are declared (docs/ESPECIFICACAO.md §2). A contract is plain data:
 * the validator, the operator simulator, the validador de integração and the painel's contract
 * view all read the same declaration, so a rule is never restated in a second place.
 */

/** Fill criteria of the original documents: Mandatório, Condicional, Opcional. */
export type Criterion = 'M' | 'C' | 'OP';

/** Extra checks on a string's content, beyond its type ("Regra de preenchimento"). */
export type StringRule =
  /** Letters, digits, `-` and `_` only ("ASCII, não permite especiais"). */
  | 'ascii'
  /** An RFC 7230 token usable as an HTTP header name, never a hop-by-hop or framing header. */
  | 'headerName'
  /** Both of the above: an ASCII header name without specials (the seed's `seguranca.auth[].chave`). */
  | 'asciiHeaderName'
  /** A header name that additionally is not `Authorization`, in any case (reserved by the platform). */
  | 'headerNameNotAuthorization'
  /** A real calendar date written `YYYY-MM-DD`. */
  | 'date'
  /** 11 digits with valid check digits. */
  | 'cpf';

type Common = {
  criterion: Criterion;
  description: string;
  /** For `C`: when the field becomes mandatory, as code and as the sentence people read. */
  condition?: { holds: (root: unknown) => boolean; text: string };
};

export type StringSpec = Common & { type: 'string'; rule?: StringRule; oneOf?: readonly string[]; maxLength?: number };
export type NumberSpec = Common & { type: 'number'; oneOf?: readonly number[]; integer?: boolean };
export type BooleanSpec = Common & { type: 'boolean' };
export type ObjectSpec = Common & { type: 'object'; fields?: Record<string, FieldSpec> };
export type ArraySpec = Common & { type: 'array'; items: FieldSpec; minItems?: number };
/** Any JSON value at all (the free-form `integracao` where the document says so). */
export type AnySpec = Common & { type: 'any' };
/** A string or null, as `mensagemBloqueio`. */
export type StringOrNullSpec = Common & { type: 'stringOrNull' };

export type FieldSpec = StringSpec | NumberSpec | BooleanSpec | ObjectSpec | ArraySpec | AnySpec | StringOrNullSpec;

export type FieldType = FieldSpec['type'];

/** Portuguese names of the types, as the original documents write them. */
export const typeLabels: Record<FieldType, string> = {
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
  object: 'Object',
  array: 'Array',
  any: 'qualquer JSON',
  stringOrNull: 'String ou null',
};

export const criterionLabels: Record<Criterion, string> = {
  M: 'mandatório (M)',
  C: 'condicional (C)',
  OP: 'opcional (OP)',
};

/** The operator methods Ponte calls, named by their mandatory URL suffix. */
export const operatorMethods = ['autorizacao', 'login', 'recuperarSenhaIdentificacao', 'recuperarSenhaNovaSenha', 'trocarSenha', 'elegibilidade'] as const;
export type OperatorMethod = (typeof operatorMethods)[number];

export type MethodContract = {
  method: OperatorMethod;
  /** What the painel and the documents call it. */
  label: string;
  /** The URL must end with this (`"O endpoint obrigatoriamente deve terminar com …"`). */
  suffix: `/${OperatorMethod}`;
  /**
   * The body Ponte sends. `formFields` come from the instância's Formbuilder form (these are the
   * defaults); `fixedFields` are always added by Ponte.
   */
  request: { formFields: Record<string, FieldSpec>; fixedFields: Record<string, FieldSpec> };
  /** The 2xx body the operator must return. */
  response: ObjectSpec;
  /** A non-2xx answer carries `{mensagem}`; Ponte shows it to the user. */
  failure: ObjectSpec;
  /** Whether Ponte may retry after the request was sent (never for these methods). */
  retryable: false;
};

// Small constructors keep the declarations readable: M.string('…'), OP.object('…', {…}). They keep
// the literal criterion, field names and allowed values in the declaration's type, so `Infer<>`
// turns a declaration into the TypeScript type of a value that passed it.
function builders<K extends Criterion>(criterion: K) {
  return {
    string: <const O extends readonly string[] = readonly string[]>(description: string, extra: { rule?: StringRule; oneOf?: O; maxLength?: number } = {}) =>
      ({ type: 'string', criterion, description, ...extra }) as Omit<StringSpec, 'oneOf'> & { criterion: K; oneOf?: O },
    number: <const O extends readonly number[] = readonly number[]>(description: string, extra: { oneOf?: O; integer?: boolean } = {}) =>
      ({ type: 'number', criterion, description, ...extra }) as Omit<NumberSpec, 'oneOf'> & { criterion: K; oneOf?: O },
    boolean: (description: string) => ({ type: 'boolean', criterion, description }) as BooleanSpec & { criterion: K },
    /** Without `fields`, any object (the operator's free-form data). */
    object: <F extends Record<string, FieldSpec> | undefined = undefined>(description: string, fields?: F) =>
      ({ type: 'object', criterion, description, ...(fields ? { fields } : {}) }) as Omit<ObjectSpec, 'fields'> & { criterion: K; fields: F },
    array: <I extends FieldSpec>(description: string, items: I, minItems?: number) =>
      ({ type: 'array', criterion, description, items, ...(minItems !== undefined ? { minItems } : {}) }) as Omit<ArraySpec, 'items'> & { criterion: K; items: I },
    any: (description: string) => ({ type: 'any', criterion, description }) as AnySpec & { criterion: K },
    stringOrNull: (description: string) => ({ type: 'stringOrNull', criterion, description }) as StringOrNullSpec & { criterion: K },
  };
}

export const M = builders('M');
export const OP = builders('OP');

/** A conditional field: mandatory only while `condition` holds for the whole response. */
export function C<T extends FieldSpec>(spec: T, condition: { holds: (root: unknown) => boolean; text: string }): Omit<T, 'criterion'> & { criterion: 'C' } {
  return { ...spec, criterion: 'C', condition } as Omit<T, 'criterion'> & { criterion: 'C' };
}

/**
 * The TypeScript type of a value that passed a declaration: `M` fields required and never null,
 * `C` and `OP` fields optional (absent or null), `oneOf` as a union of its values, an object
 * declared without fields as a free-form record. Types of operator data are derived from here,
 * never restated.
 */
export type Infer<S> = S extends { type: 'string'; oneOf?: infer O }
  ? O extends readonly (infer V extends string)[]
    ? string extends V
      ? string
      : V
    : string
  : S extends { type: 'number'; oneOf?: infer O }
    ? O extends readonly (infer V extends number)[]
      ? number extends V
        ? number
        : V
      : number
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { type: 'stringOrNull' }
        ? string | null
        : S extends { type: 'array'; items: infer I }
          ? Infer<I>[]
          : S extends { type: 'object'; fields: infer F }
            ? F extends Record<string, FieldSpec>
              ? InferFields<F>
              : Record<string, unknown>
            : unknown;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type InferFields<F extends Record<string, FieldSpec>> = Simplify<
  { -readonly [K in keyof F as F[K] extends { criterion: 'M' } ? K : never]: Infer<F[K]> } & {
    -readonly [K in keyof F as F[K] extends { criterion: 'M' } ? never : K]?: Infer<F[K]> | null;
  }
>;
