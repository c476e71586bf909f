/**
 * Formbuilder patterns under attack (issue 10, "CPU denial of service through form patterns"): the
 * cost of checking one submission whose 30 fields each carry a pathological pattern and a value of
 * the longest allowed length, on the engine Ponte runs (RE2) and, for comparison, on V8's
 * backtracking RegExp. The audit's pattern — nested lookaheads — is refused at save (RE2 has no
 * lookaround), so what an editor can still save is measured: classic catastrophic-backtracking
 * shapes that RE2 accepts.
 *
 * Run: `npx tsx bench/form-patterns.ts` — prints a Markdown table for docs/BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import { linearEnginePatternProblem } from '../src/modules/forms/forms.regex.ts';
import { validateSubmission } from '../src/modules/forms/forms.validation.ts';
import { MAX_VALUE_LENGTH } from '../src/modules/forms/forms.pattern.ts';

const FIELDS = 30;
const ROUNDS = 20;
const AUDIT_PATTERN = '(?!(?:.*){2}x)'.repeat(14);
const patterns: { name: string; pattern: string; value: string }[] = [
  { name: '(a+)+b on "aaa…"', pattern: '(a+)+b', value: 'a'.repeat(MAX_VALUE_LENGTH) },
  { name: '(a|aa)*c on "aaa…"', pattern: '(a|aa)*c', value: 'a'.repeat(MAX_VALUE_LENGTH) },
  { name: '(.*a){12} on "aaa…"', pattern: '(.*a){12}', value: `${'a'.repeat(MAX_VALUE_LENGTH - 1)}!` },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ms of validating one 30-field submission through Ponte's validator (RE2). */
function ponteMs(pattern: string, value: string): number {
  const campos = Array.from({ length: FIELDS }, (_, i) => ({ nome: `campo${i}`, rotulo: `Campo ${i}`, tipo: 'text', obrigatorio: true, padrao: pattern }));
  const input = Object.fromEntries(campos.map((c) => [c.nome, value]));
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    validateSubmission({ campos } as Parameters<typeof validateSubmission>[0], input);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Ms of one V8 RegExp test of one field (capped: backtracking shapes can run for hours). */
function v8Ms(pattern: string, value: string): string {
  const short = value.slice(0, 26);
  const started = performance.now();
  new RegExp(`^(?:${pattern})$`, 'u').test(short);
  const elapsed = performance.now() - started;
  return `${elapsed.toFixed(1)} ms for ${short.length} characters (exponential in the length)`;
}

const lines = [
  `Machine: ${process.arch}, Node ${process.version}; ${FIELDS} fields × ${MAX_VALUE_LENGTH}-character values, median of ${ROUNDS} runs.`,
  '',
  `- The audit's pattern \`${AUDIT_PATTERN.slice(0, 28)}…\` is refused at save: ${linearEnginePatternProblem(AUDIT_PATTERN)?.slice(0, 80)}…`,
  '',
  '| pattern (accepted at save) | one submission through Ponte (RE2) | the same on V8 RegExp |',
  '|---|---:|---|',
  ...patterns.map(({ name, pattern, value }) => `| \`${name.replaceAll('|', '\\|')}\` | ${ponteMs(pattern, value).toFixed(2)} ms | ${v8Ms(pattern, value)} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
