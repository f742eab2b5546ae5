const encoder = new TextEncoder();
// Encoding into one reused buffer is the cheapest count there is (in workerd a regular expression's
// scan costs three times as much); a longer text is counted a buffer at a time.
const scratch = new Uint8Array(16_384);

/**
 * The length in bytes of `text`'s UTF-8 encoding (as `TextEncoder` writes it, a lone surrogate as
 * U+FFFD), without keeping the bytes.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let rest = text; ; ) {
    // encodeInto writes whole characters only, so `read` never splits a surrogate pair.
    const { read, written } = encoder.encodeInto(rest, scratch);
    bytes += written;
    if (read === rest.length) return bytes;
    rest = rest.slice(read);
  }
}
