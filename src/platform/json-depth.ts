/**
 * The deepest JSON nesting Ponte accepts, from callers and from operators alike. `JSON.parse`
 * itself copes with any depth, but what comes after it — `JSON.stringify`, Zod, the contract
 * validator, the response serializer — recurses, and a few hundred thousand levels overflow the
 * stack (RangeError). No contract or painel form comes near 64 levels.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * True when the JSON text opens more than `maxDepth` objects/arrays inside one another. One pass,
 * no allocation, brackets inside string literals (escapes included) ignored. It does not validate
 * the text: run it before `JSON.parse`, which still refuses what is not JSON.
 */
export function jsonNestingExceeds(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}
