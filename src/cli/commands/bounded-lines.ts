/** One input line, at most `maxChars` of it kept. */
export interface BoundedLine {
  /** The line's first `maxChars` characters (all of it when not truncated). */
  readonly text: string;
  /** The line's full length in characters. */
  readonly length: number;
  readonly truncated: boolean;
}

/**
 * Split a stream into lines (LF, CRLF) holding at most `maxChars` of each in memory: a 200 MB
 * line costs `maxChars`, not 200 MB. Yields every line, the last one even without a newline.
 */
export async function* boundedLines(input: NodeJS.ReadableStream, maxChars: number): AsyncGenerator<BoundedLine> {
  let kept = '';
  let length = 0;
  const take = (piece: string): void => {
    length += piece.length;
    if (kept.length < maxChars) kept += piece.slice(0, maxChars - kept.length);
  };
  const line = (): BoundedLine => {
    const text = kept.endsWith('\r') && length <= maxChars ? kept.slice(0, -1) : kept;
    const result = { text, length: text === kept ? length : length - 1, truncated: length > maxChars };
    kept = '';
    length = 0;
    return result;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    let from = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
      take(text.slice(from, newline));
      yield line();
      from = newline + 1;
    }
    take(text.slice(from));
  }
  if (length > 0) yield line();
}
