import type { SkipRange } from '../../../server/src/parsing/parsers';

/**
 * `text` with the spans of `skip` replaced by spaces, line breaks kept: what
 * skipping them in the parse must be equivalent to.
 */
export function blankSpans(text: string, skip: readonly SkipRange[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of skip) {
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ');
    at = end;
  }
  return out + text.slice(at);
}
