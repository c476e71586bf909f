/**
 * Patterns (`padrao`) typed by painel editors run against every submission from anonymous app
 * users. The server runs them with RE2 (`forms.regex.ts`), whose time grows linearly with the
 * value, so no pattern can stall a node; RE2 has no lookaround and no back-references, so patterns
 * using them are refused at save with a message naming the construct (`unsupportedConstruct`).
 *
 * The checks below still apply, for the engines Ponte does not control: the app receives `padrao`
 * in `/app/v1/configuracao` and may test it with a backtracking engine (JavaScript's, as in a
 * WebView), and the painel checks it in the editor's browser. A pattern must therefore also be:
 *
 * - at most `MAX_PATTERN_LENGTH` characters, compiled with the `u` flag (strict syntax);
 * - free of groups that can match in more than one way repeated a varying number of times: nested
 *   quantifiers such as `(a+)+` and repeated alternatives such as `(a|ab)*` are refused;
 * - within a budget on the ways a backtracking engine can try to match: every place where it
 *   chooses (a repetition of varying count, a `?`, alternatives) weighs twice its number of choices
 *   — `*`, `+` and `{n,}` count `MAX_VALUE_LENGTH` choices, since no submitted string is longer —
 *   and weights multiply along a sequence. Two unbounded repetitions in sequence (`.*.*x`, ~1 ms on
 *   a 1000-character input) fit; three (`.*.*.*x`, ~0.5 s) do not, nor do long chains such as
 *   `(a?){30}`.
 *
 * Plain data and functions with no dependencies: the painel's editor runs the same checks.
 */

/** Every string a submission carries is capped at this length before any pattern runs. */
export const MAX_VALUE_LENGTH = 1000;
export const MAX_PATTERN_LENGTH = 200;
/** The most lengths a repetition can take: no submitted string is longer. */
const UNBOUNDED_CHOICES = MAX_VALUE_LENGTH;
/** Two unbounded repetitions in sequence plus one optional part: a few ms in the worst case. */
const MAX_WEIGHT = 4 * (2 * UNBOUNDED_CHOICES) ** 2;

/**
 * Compiles a pattern as it is applied — to the whole value — with JavaScript's engine: for syntax
 * checks and the painel. Submissions are checked with RE2 (`forms.regex.ts`).
 */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

type Frame = {
  /** Weight of the alternatives already closed by `|`. */
  closed: number;
  /** Weight of the alternative being read. */
  current: number;
  /** Whether something inside can match a varying number of times. */
  repeats: boolean;
};

type Quantifier = { min: number; max: number; length: number };

const newFrame = (): Frame => ({ closed: 0, current: 1, repeats: false });

/** Reads the quantifier at `i`, if there is one (the pattern already compiled, so it is well formed). */
function quantifierAt(pattern: string, i: number): Quantifier | undefined {
  const c = pattern[i];
  let q: Quantifier | undefined;
  if (c === '*') q = { min: 0, max: Infinity, length: 1 };
  else if (c === '+') q = { min: 1, max: Infinity, length: 1 };
  else if (c === '?') q = { min: 0, max: 1, length: 1 };
  else if (c === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!match) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    q = { min, max, length: match[0].length };
  }
  if (q && pattern[i + q.length] === '?') q.length += 1; // lazy: same ways to split
  return q;
}

/**
 * A place where the engine chooses weighs twice its number of choices: the extra factor stands for
 * the depth of the search, so a long chain of small choices (`a?a?a?…`) is priced like it runs.
 */
const choice = (choices: number) => 2 * Math.min(choices, UNBOUNDED_CHOICES);

const unsupportedKinds = {
  lookahead: 'lookahead ("(?=…)" ou "(?!…)")',
  lookbehind: 'lookbehind ("(?<=…)" ou "(?<!…)")',
  backreference: 'referência a grupo (como "\\1" ou "\\k<nome>")',
} as const;

/**
 * The first construct of `pattern` that RE2, the linear-time engine the server runs patterns with,
 * does not have — lookaround and back-references — as a message saying what to do; undefined when
 * there is none. Reads escapes and character classes, so `\(?=` or `[(?=]` are not taken for one.
 */
export function unsupportedConstruct(pattern: string): string | undefined {
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    let kind: keyof typeof unsupportedKinds | undefined;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) kind = 'backreference';
      i += 2;
    } else if (c === '[') {
      i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i += 1;
    } else {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) kind = 'lookahead';
      else if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) kind = 'lookbehind';
      i += 1;
    }
    if (kind) {
      return `O padrão usa ${unsupportedKinds[kind]}, que a Ponte não aceita: os padrões rodam num mecanismo de tempo linear (RE2), sem lookahead, lookbehind nem referências a grupos. Reescreva o padrão sem esse recurso (ex.: em vez de "(?=.*\\d).+", use ".*\\d.*").`;
    }
  }
  return undefined;
}

/** Why `pattern` cannot be saved, in Portuguese; undefined when it is fine (the server also compiles it with RE2). */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `O padrão deve ter no máximo ${MAX_PATTERN_LENGTH} caracteres.`;
  try {
    compilePattern(pattern);
  } catch (error) {
    return `O padrão não é uma expressão regular válida (${(error as Error).message.replace(/^Invalid regular expression: /, '')}).`;
  }
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported) return unsupported;

  // From here on the pattern has no lookaround and no back-reference.
  const stack: Frame[] = [newFrame()];
  const top = () => stack[stack.length - 1]!;
  // The atom just read, waiting to learn whether a quantifier follows it.
  let pending: { weight: number; group?: Frame } | undefined;
  const commit = () => {
    if (pending) top().current *= pending.weight;
    pending = undefined;
  };

  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const quantifier = pending ? quantifierAt(pattern, i) : undefined;
    if (quantifier && pending) {
      const { weight, group } = pending;
      const frame = top();
      if (quantifier.min === quantifier.max) {
        // `{n}`: the atom n times over, each time in any of its ways.
        frame.current *= weight ** quantifier.min;
      } else if (quantifier.max === 1) {
        // `?`: skipped, or matched in any of its ways.
        frame.current *= choice(weight + 1);
        frame.repeats = true;
      } else {
        if (weight > 1) {
          return group?.repeats
            ? nestedMessage
            : 'O padrão repete um grupo com alternativas (como "(a|b)+"), o que pode travar a validação. Use uma classe de caracteres, como "[ab]+".';
        }
        frame.current *= choice(quantifier.max - quantifier.min + 1);
        frame.repeats = true;
      }
      pending = undefined;
      i += quantifier.length;
      continue;
    }
    commit();
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if ('pPu'.includes(next) && pattern[i + 2] === '{') i = pattern.indexOf('}', i) + 1;
      else i += 2;
      pending = { weight: 1 };
    } else if (c === '[') {
      i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i += 1;
      pending = { weight: 1 };
    } else if (c === '(') {
      if (pattern.startsWith('(?<', i)) i = pattern.indexOf('>', i) + 1;
      else if (pattern.startsWith('(?', i)) i = pattern.indexOf(':', i) + 1;
      else i += 1;
      stack.push(newFrame());
    } else if (c === ')') {
      const frame = stack.pop()!;
      top().repeats ||= frame.repeats;
      pending = { weight: weightOfFrame(frame), group: frame };
      i += 1;
    } else if (c === '|') {
      const frame = top();
      frame.closed += frame.current;
      frame.current = 1;
      i += 1;
    } else {
      pending = { weight: 1 };
      i += 1;
    }
  }
  commit();
  return weightOfFrame(stack[0]!) > MAX_WEIGHT ? complexMessage : undefined;
}

/** Alternatives are a choice too: their ways add up, and the choice itself weighs double. */
const weightOfFrame = (frame: Frame) => (frame.closed > 0 ? 2 * (frame.closed + frame.current) : frame.current);

const nestedMessage =
  'O padrão tem quantificadores aninhados (como "(a+)+"), o que pode travar a validação. Reescreva sem repetir um grupo que já contém repetição.';
const complexMessage =
  'O padrão é complexo demais para validar com segurança: use no máximo duas repetições ilimitadas (*, + ou {n,}) em sequência.';
