/**
 * Patterns (`padrao`) typed by painel editors run against every submission from anonymous app
 * users, on the same event loop as every other cliente. A regular expression that backtracks
 * catastrophically would let one editor, or anyone who can submit that form, stall a node. V8's
 * backtracking engine cannot be interrupted cheaply, so patterns are checked when saved:
 *
 * - at most `MAX_PATTERN_LENGTH` characters, compiled with the `u` flag (strict syntax);
 * - no back-references (`\1`, `\k<nome>`);
 * - no group that can match in more than one way repeated a varying number of times: nested
 *   quantifiers such as `(a+)+` and repeated alternatives such as `(a|ab)*` are refused;
 * - a budget on the ways the engine can try to match: every place where it chooses (a repetition
 *   of varying count, a `?`, alternatives) weighs twice its number of choices — `*`, `+` and `{n,}`
 *   count `MAX_VALUE_LENGTH` choices, since no submitted string is longer — and weights multiply
 *   along a sequence. Two unbounded repetitions in sequence (`.*.*x`, ~1 ms on a 1000-character
 *   input) fit; three (`.*.*.*x`, ~0.5 s) do not, nor do long chains such as `(a?){30}`.
 *
 * A lookaround is atomic in JavaScript: its weight counts once per way the pattern before it can
 * reach it, and does not multiply what follows it; a repeated group may not contain a costly one.
 */

/** Every string a submission carries is capped at this length before any pattern runs. */
export const MAX_VALUE_LENGTH = 1000;
export const MAX_PATTERN_LENGTH = 200;
/** The most lengths a repetition can take: no submitted string is longer. */
const UNBOUNDED_CHOICES = MAX_VALUE_LENGTH;
/** Two unbounded repetitions in sequence plus one optional part: a few ms in the worst case. */
const MAX_WEIGHT = 4 * (2 * UNBOUNDED_CHOICES) ** 2;

/** Compiles a saved pattern as it is applied: to the whole value. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

type Frame = {
  lookaround: boolean;
  /** Weight of the alternatives already closed by `|`. */
  closed: number;
  /** Weight of the alternative being read. */
  current: number;
  /** Whether something inside can match a varying number of times. */
  repeats: boolean;
  /** Whether a lookaround inside can take more than one way: repeating it multiplies its cost. */
  costlyLookaround: boolean;
};

type Quantifier = { min: number; max: number; length: number };

const newFrame = (lookaround: boolean): Frame => ({ lookaround, closed: 0, current: 1, repeats: false, costlyLookaround: false });

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

/** Why `pattern` cannot be saved, in Portuguese; undefined when it is fine. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `O padrão deve ter no máximo ${MAX_PATTERN_LENGTH} caracteres.`;
  try {
    compilePattern(pattern);
  } catch (error) {
    return `O padrão não é uma expressão regular válida (${(error as Error).message.replace(/^Invalid regular expression: /, '')}).`;
  }

  const stack: Frame[] = [newFrame(false)];
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
      if (group?.costlyLookaround && quantifier.max > 1) return nestedMessage;
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
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return 'O padrão não pode usar referências a grupos (como "\\1").';
      if ('pPu'.includes(next) && pattern[i + 2] === '{') i = pattern.indexOf('}', i) + 1;
      else i += 2;
      pending = { weight: 1 };
    } else if (c === '[') {
      i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i += 1;
      pending = { weight: 1 };
    } else if (c === '(') {
      const lookaround = /^\(\?<?[=!]/.exec(pattern.slice(i));
      if (lookaround) i += lookaround[0].length;
      else if (pattern.startsWith('(?<', i)) i = pattern.indexOf('>', i) + 1;
      else if (pattern.startsWith('(?', i)) i = pattern.indexOf(':', i) + 1;
      else i += 1;
      stack.push(newFrame(Boolean(lookaround)));
    } else if (c === ')') {
      const frame = stack.pop()!;
      const weight = weightOfFrame(frame);
      if (frame.lookaround) {
        const reachedFrom = stack.reduce((product, f) => product * f.current, 1);
        if (weight * reachedFrom > MAX_WEIGHT) return complexMessage;
        top().costlyLookaround ||= weight > 1 || frame.costlyLookaround;
        pending = { weight: 1 };
      } else {
        top().repeats ||= frame.repeats;
        top().costlyLookaround ||= frame.costlyLookaround;
        pending = { weight, group: frame };
      }
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
