import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpfFrom, requiredTargets, setAt, validResponse, type Segment } from '../../../test/support/contract-samples.ts';
import { operatorMethods, type FieldSpec } from './contract-spec.ts';
import { contracts } from './contracts.ts';
import { isValidCpf, isValidIsoDate, validateResponse, validateValue, type Violation, type ViolationKind } from './validator.ts';

/**
 * Whatever an operator sends — any JSON, any text, a valid answer bent in random places — the
 * validator returns a list of well-formed violations and never throws (docs/ESPECIFICACAO.md §2, issue 3).
 */

const RUNS = { numRuns: 200 };

const KINDS: readonly ViolationKind[] = ['json_invalido', 'ausente', 'nulo', 'vazio', 'tipo', 'valor_nao_permitido', 'formato', 'itens_insuficientes', 'nome_incorreto'];
const PATH = /^(\$|[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*)$/;
/** What validateValue reports when checking itself blew up: it must never be needed. */
const INTERNAL_FAILURE = 'estrutura que interrompeu a validação';

function expectWellFormed(violations: unknown): asserts violations is Violation[] {
  expect(Array.isArray(violations)).toBe(true);
  for (const violation of violations as Violation[]) {
    expect(violation.caminho).toMatch(PATH);
    expect(KINDS).toContain(violation.tipo);
    expect(['M', 'C', 'OP']).toContain(violation.criterio);
    expect(violation.mensagem).toContain(violation.caminho);
    for (const text of [violation.esperado, violation.recebido, violation.mensagem]) {
      expect(typeof text).toBe('string');
      expect(text.trim().length).toBeGreaterThan(0);
    }
    expect(violation.recebido).not.toBe(INTERNAL_FAILURE);
  }
}

// Every attribute name any contract declares, normalised the way the validator spots near misses.
const normalized = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');
const declaredNames = new Set<string>();
const collectNames = (spec: FieldSpec): void => {
  if (spec.type === 'array') collectNames(spec.items);
  if (spec.type !== 'object') return;
  for (const [name, child] of Object.entries(spec.fields ?? {})) {
    declaredNames.add(normalized(name));
    collectNames(child);
  }
};
for (const method of operatorMethods) {
  collectNames(contracts[method].response);
  collectNames(contracts[method].failure);
}

const trickyKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const anyKey = fc.oneof(fc.constantFrom(...trickyKeys), fc.string({ maxLength: 12 }));
/** Keys no contract knows, not even as a near miss: adding them must change nothing. */
const unknownKey = anyKey.filter((key) => !declaredNames.has(normalized(key)));

/** Paths of every object and array inside `value` (the value itself included). */
function containerPaths(value: unknown, segments: Segment[] = []): Segment[][] {
  if (typeof value !== 'object' || value === null) return [];
  const children = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [segments, ...children.flatMap(([key, child]) => containerPaths(child, [...segments, key]))];
}

const valueAt = (root: unknown, segments: Segment[]): unknown =>
  segments.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], root);

/** Creates or overwrites an own attribute, as JSON.parse does even for `__proto__`. */
const defineOwn = (node: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });

type Mutation = { op: 'delete' | 'replace' | 'insert'; at: number; pick: number; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete', 'replace', 'insert'),
  at: fc.nat(),
  pick: fc.nat(),
  key: anyKey,
  value: fc.jsonValue({ maxDepth: 3 }),
});

/** Applies one random edit to one of the objects or arrays inside `root`, in place. */
function applyMutation(root: unknown, m: Mutation): unknown {
  const containers = containerPaths(root);
  const node = valueAt(root, containers[m.at % containers.length]!);
  if (Array.isArray(node)) {
    if (m.op === 'insert' || node.length === 0) node.push(m.value);
    else if (m.op === 'delete') node.splice(m.pick % node.length, 1);
    else node[m.pick % node.length] = m.value;
    return root;
  }
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (m.op === 'insert' || keys.length === 0) defineOwn(record, m.key, m.value);
  else if (m.op === 'delete') delete record[keys[m.pick % keys.length]!];
  else defineOwn(record, keys[m.pick % keys.length]!, m.value);
  return root;
}

describe.each(operatorMethods)('validator properties: %s', (method) => {
  const contract = contracts[method];

  it('the valid sample yields zero violations, as a value and as a body', () => {
    expect(validateValue(contract.response, validResponse(method))).toEqual([]);
    expect(validateResponse(contract, 200, JSON.stringify(validResponse(method))).violations).toEqual([]);
  });

  it('any JSON value gives well-formed violations, against success and failure shapes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(validateValue(contract.response, value));
        expectWellFormed(validateValue(contract.failure, value));
      }),
      RUNS,
    );
  });

  it('any JavaScript value (null prototypes, boxed values, bigint, sparse arrays) never breaks it', () => {
    const anything = fc.anything({ withNullPrototype: true, withBoxedValues: true, withBigInt: true, withSparseArray: true, withDate: true, withMap: true, withSet: true, withTypedArray: true });
    fc.assert(
      fc.property(anything, (value) => expectWellFormed(validateValue(contract.response, value))),
      RUNS,
    );
  });

  it('any body text: not JSON is exactly one json_invalido at $, JSON is judged as its value', () => {
    // Any UTF-16 code unit, lone surrogates included (fc's 'binary' unit is far slower to set up).
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const text = fc.oneof(fc.string({ unit: codeUnit }), fc.json(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', ' ', '{', '[]', 'null', '{"mensagem":'));
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), text, (status, body) => {
        const { violations } = validateResponse(contract, status, body);
        expectWellFormed(violations);
        let parsed: { ok: true; value: unknown } | { ok: false };
        try {
          parsed = { ok: true, value: JSON.parse(body) };
        } catch {
          parsed = { ok: false };
        }
        const success = status >= 200 && status < 300;
        const nothingMandatory = !Object.values(contract.response.fields ?? {}).some((f) => f.criterion === 'M');
        if (success && body.trim() === '' && nothingMandatory) {
          expect(violations).toEqual([]);
        } else if (!parsed.ok) {
          expect(violations.map((x) => [x.caminho, x.tipo])).toEqual([['$', 'json_invalido']]);
        } else {
          const spec = status >= 200 && status < 300 ? contract.response : contract.failure;
          expect(violations).toEqual(validateValue(spec, parsed.value));
        }
      }),
      RUNS,
    );
  });

  it('random deletions, replacements and insertions (incl. __proto__, constructor) never break it', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const mutated = mutations.reduce<unknown>(applyMutation, validResponse(method));
        const direct = validateValue(contract.response, mutated);
        expectWellFormed(direct);
        // The same value through the wire (own `__proto__` keys survive JSON both ways).
        const viaBody = validateResponse(contract, 200, JSON.stringify(mutated));
        expect(viaBody.violations).toEqual(direct);
      }),
      RUNS,
    );
  });

  it('unknown extra attributes anywhere are kept and never flagged', () => {
    const insertion = fc.record({ at: fc.nat(), key: unknownKey, value: fc.jsonValue({ maxDepth: 2 }) });
    fc.assert(
      fc.property(fc.array(insertion, { minLength: 1, maxLength: 6 }), (insertions) => {
        const body = validResponse(method);
        for (const { at, key, value } of insertions) {
          const objects = containerPaths(body).filter((segments) => !Array.isArray(valueAt(body, segments)));
          const target = objects[at % objects.length]!;
          const node = valueAt(body, target) as Record<string, unknown>;
          if (!Object.hasOwn(node, key)) defineOwn(node, key, value);
        }
        expect(validateValue(contract.response, body)).toEqual([]);
        expect(validateResponse(contract, 200, JSON.stringify(body)).violations).toEqual([]);
      }),
      RUNS,
    );
  });

  const requiredStrings = requiredTargets(contract.response, validResponse(method)).filter((t) => t.spec.type === 'string');
  // recuperarSenhaNovaSenha and trocarSenha have no required String to blank.
  if (requiredStrings.length > 0) it('any whitespace-only value in a required String is exactly one "vazio"', () => {
    const whitespace = fc
      .array(fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028'), { minLength: 0, maxLength: 8 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.constantFrom(...requiredStrings), whitespace, ({ path }, blank) => {
        const body = JSON.stringify(setAt(validResponse(method), path, blank));
        const { violations } = validateResponse(contract, 200, body);
        expect(violations.map((x) => [x.caminho, x.tipo])).toEqual([[path, 'vazio']]);
      }),
      RUNS,
    );
  });
});

describe('isValidCpf', () => {
  it('accepts CPFs with correct check digits', () => {
    for (const cpf of ['52998224725', '11144477735', '93541134780', '00000000191']) expect(isValidCpf(cpf), cpf).toBe(true);
  });

  it('rejects wrong check digits, masks, other lengths and non-digits', () => {
    for (const cpf of ['12345678900', '52998224726', '52998224715', '529.982.247-25', ' 52998224725', '52998224725 ', '5299822472', '529982247250', '5299822472a', '', '５２９９８２２４７２５', '٥٢٩٩٨٢٢٤٧٢٥']) {
      expect(isValidCpf(cpf), cpf).toBe(false);
    }
  });

  it('rejects all eleven-same-digit CPFs, although their check digits compute', () => {
    for (let digit = 0; digit <= 9; digit++) {
      const repeated = String(digit).repeat(11);
      expect(cpfFrom(String(digit).repeat(9))).toBe(repeated);
      expect(isValidCpf(repeated), repeated).toBe(false);
    }
  });

  it('agrees with the Receita Federal algorithm on any 11 digits', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 11, maxLength: 11 });
    const valid = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 }).map(cpfFrom);
    fc.assert(
      fc.property(fc.oneof(digits, valid), (cpf) => {
        const expected = cpf === cpfFrom(cpf.slice(0, 9)) && !/^(\d)\1{10}$/.test(cpf);
        expect(isValidCpf(cpf)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects any change to a check digit', () => {
    const nine = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 }).filter((d) => !/^(\d)\1{8}$/.test(d));
    fc.assert(
      fc.property(nine, fc.constantFrom(9, 10), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const cpf = cpfFrom(body);
        const changed = cpf.slice(0, position) + String((Number(cpf[position]) + delta) % 10) + cpf.slice(position + 1);
        expect(isValidCpf(cpf)).toBe(true);
        expect(isValidCpf(changed)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('isValidIsoDate', () => {
  it('knows the Gregorian leap years', () => {
    expect(isValidIsoDate('2000-02-29')).toBe(true);
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('1600-02-29')).toBe(true);
    expect(isValidIsoDate('1900-02-29')).toBe(false);
    expect(isValidIsoDate('2100-02-29')).toBe(false);
    expect(isValidIsoDate('2023-02-29')).toBe(false);
    expect(isValidIsoDate('2023-02-28')).toBe(true);
  });

  it('rejects days that do not exist and malformed text', () => {
    for (const date of ['1990-02-30', '2024-04-31', '2024-06-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32', '2024-1-01', '2024-01-1', '24-01-01', '2024/01/01', '05/08/1993', '2024-01-01T00:00:00Z', ' 2024-01-01', '2024-01-01 ', '+02024-01-01', '２０２４-01-01', '']) {
      expect(isValidIsoDate(date), date).toBe(false);
    }
  });

  it('accepts month ends and the seed request date', () => {
    for (const date of ['1993-08-05', '2024-01-31', '2024-04-30', '2024-12-31', '1970-01-01']) expect(isValidIsoDate(date), date).toBe(true);
  });

  it('agrees with the calendar for any year, month and day written YYYY-MM-DD', () => {
    const daysIn = (year: number, month: number) =>
      [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
        const expected = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
        expect(isValidIsoDate(text), text).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
