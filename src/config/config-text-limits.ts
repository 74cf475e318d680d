import type { ConfigIssue } from './config-error.js';

/** Largest config or scenario file read, bytes (raid-50 is 20 kB: room for 10 000 targets). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of YAML/JSON collections (block or flow) accepted (the schemas need 6). */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Check a config text before any YAML parsing: its size, and how deep its collections nest
 * (flow `[`/`{` and block indentation together). A parser recursing over 40 kB of `[` exhausts
 * the stack, or aborts inside the regular-expression engine; this scan is linear, iterative and
 * never throws. Returns the issues (empty when the text may be parsed).
 *
 * The depth is an upper bound: a bracket inside a quoted string is skipped, one inside a plain
 * scalar is counted (no real config writes one).
 */
export function configTextIssues(text: string): ConfigIssue[] {
  if (text.length > MAX_CONFIG_BYTES) {
    return [{ path: '', message: `file too large: ${text.length} characters, at most ${MAX_CONFIG_BYTES}` }];
  }
  const depth = maxNestingDepth(text);
  if (depth > MAX_CONFIG_DEPTH) {
    return [{ path: '', message: `nesting too deep: more than ${MAX_CONFIG_DEPTH} levels of lists and maps` }];
  }
  return [];
}

/** Block indentation levels plus flow bracket depth, maximum over the text (stops early past the cap). */
function maxNestingDepth(text: string): number {
  const indents: number[] = [];
  let flow = 0;
  let max = 0;
  let lineStart = true;
  let indent = 0;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      if (quote === "'") quote = undefined;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '-') {
        // `- ` opens a list level like an indentation step does.
        indent++;
        continue;
      }
      lineStart = false;
      if (c === '#') {
        i = skipToLineEnd(text, i);
        continue;
      }
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
      }
    }
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ')) i = skipToLineEnd(text, i);
    else if (c === '[' || c === '{') flow++;
    else if ((c === ']' || c === '}') && flow > 0) flow--;
    const depth = indents.length + flow;
    if (depth > max) {
      max = depth;
      if (max > MAX_CONFIG_DEPTH) return max;
    }
  }
  return max;
}

function skipToLineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return (end < 0 ? text.length : end) - 1;
}
