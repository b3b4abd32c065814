// Reads a JSON input file once for every option/target file: errors name the file, exit code 2 (UsageError).
import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from './usage-error.ts';

/** No input file of haproof comes near this; a bigger one (or `/dev/zero`) is refused instead of read to the end. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/** `label` says what the file is, e.g. `--options` or `target file`; it starts every error message. */
export function readJsonFile(path: string, label: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readBounded(path, MAX_INPUT_FILE_BYTES);
  } catch (e) {
    throw new UsageError(`${label} ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  if (bytes.length > MAX_INPUT_FILE_BYTES) throw new UsageError(`${label} ${path}: too big for an input file (more than ${MAX_INPUT_FILE_BYTES} bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Read leniently, bad bytes would become U+FFFD inside a value (a path, a name) and be reported as some other fault.
    throw new UsageError(`${label} ${path}: not valid JSON (not UTF-8 text: invalid byte at offset ${firstInvalidUtf8(bytes)})`);
  }
  try {
    // TextDecoder drops a leading byte order mark (as editors on Windows write one); JSON.parse would refuse it.
    return JSON.parse(text) as unknown;
  } catch (e) {
    // JSON.parse quotes the text around the fault: its control characters are escaped, not sent to the terminal.
    const why = (e as Error).message.slice(0, 200).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    throw new UsageError(`${label} ${path}: not valid JSON (${why})`);
  }
}

/** Up to `limit` + 1 bytes of the file: enough to tell that it is too big without reading an endless one. */
function readBounded(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(limit + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The offset of the first byte that is not valid UTF-8 (or where a sequence is cut off by the end of the file). */
function firstInvalidUtf8(bytes: Buffer): number {
  // The longest prefix with no invalid byte (an unfinished sequence at its end allowed), by bisection.
  const clean = (n: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (clean(mid)) lo = mid;
    else hi = mid - 1;
  }
  if (lo < bytes.length) return lo;
  // All clean but the end: the unfinished sequence starts at the last lead byte.
  let i = bytes.length - 1;
  while (i > 0 && (bytes[i]! & 0xc0) === 0x80) i--;
  return i;
}
