import { z } from 'zod';

/**
 * Characters no text field accepts: NUL and the other C0 controls, DEL, the C1 controls, and
 * UTF-16 surrogates that are not part of a pair (with the `u` flag a well-formed pair is one
 * code point, so `\p{Cs}` matches only a lone half; `\p{Cc}` is exactly C0, DEL and C1). PostgreSQL refuses NUL in text
 * (22021) and a lone surrogate is not a character at all; names and queries have no use for
 * control characters.
 */
const SINGLE_LINE = /^[^\p{Cc}\p{Cs}]*$/u;
/** The same, except that tab, line feed and carriage return are allowed (descriptions). */
const MULTI_LINE = /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u;

/** Options of `text()`. */
export interface TextOptions {
  /** Fewest characters after trimming (default 0). */
  min?: number;
  /** Most characters after trimming. */
  max: number;
  /** Trim surrounding whitespace first (default true; false for passwords). */
  trim?: boolean;
  /** Allow tab, line feed and carriage return (default false). */
  multiline?: boolean;
  /** Message for a value shorter than `min`. */
  minMessage?: string;
}

/** The message every text field gives for a refused character. */
export const TEXT_CHARACTER_MESSAGE = 'must not contain control characters (such as NUL) or invalid text';

/**
 * The one text field of every request schema: a string of `min..max` characters that holds no
 * NUL, no control character (tab and line breaks only when `multiline`) and no lone UTF-16
 * surrogate. Everything a client sends as free text goes through here, so bad text is a 400 at
 * the edge and never reaches PostgreSQL.
 */
export function text(opts: TextOptions): z.ZodString {
  let s = z.string();
  if (opts.trim !== false) s = s.trim();
  s = s.regex(opts.multiline ? MULTI_LINE : SINGLE_LINE, TEXT_CHARACTER_MESSAGE);
  if (opts.min) s = s.min(opts.min, opts.minMessage);
  return s.max(opts.max);
}
