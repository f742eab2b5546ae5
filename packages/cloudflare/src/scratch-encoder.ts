const encoder = new TextEncoder();

/**
 * UTF-8 encoding of small strings into one reused buffer, lent to one caller at a time. In workerd,
 * allocating a fresh buffer for a 1 KB message costs more than encoding it, and a message that stays
 * inline is sent as the value it came from, so its bytes are needed only until the inline decision.
 */
export class ScratchEncoder {
  readonly #size: number;
  #buffer: Uint8Array | undefined;
  #lent = false;

  constructor(size: number) {
    this.#size = size;
  }

  /** The UTF-8 bytes of `text`: a view of the buffer, lent until `release`, or fresh bytes when the buffer is lent or too small. */
  encode(text: string): Uint8Array {
    // A UTF-16 unit is at least one UTF-8 byte, so a longer text cannot fit.
    if (this.#lent || text.length > this.#size) return encoder.encode(text);
    this.#buffer ??= new Uint8Array(this.#size);
    const { read, written } = encoder.encodeInto(text, this.#buffer);
    if (read !== text.length) return encoder.encode(text);
    this.#lent = true;
    return this.#buffer.subarray(0, written);
  }

  /**
   * Ends the loan of `bytes`, if `encode` lent them. The buffer is reused only when `reusable`: bytes
   * handed to a store may still be read after the call that took them returned (a put that timed out).
   */
  release(bytes: Uint8Array, reusable: boolean): void {
    if (!this.#lent || bytes.buffer !== this.#buffer?.buffer) return;
    this.#lent = false;
    if (!reusable) this.#buffer = undefined;
  }
}
