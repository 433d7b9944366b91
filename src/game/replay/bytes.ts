/**
 * The byte primitives of the replay recording (docs/replays.md, The stored
 * recording): unsigned varints, and "numbers" that cost one or two bytes
 * when they are small integers and nine when they are not, because the
 * replay must give back every double exactly.
 */

/** Room enough for a typical match: a 1v1 to 3 records about 1–3 KB. */
const INITIAL_CAPACITY = 2048;

/** Number tags, in the varint that starts a number: even values are integers. */
const FLOAT64_TAG = 1;
const NULL_TAG = 3;
/** Integers up to this size are written as varints; larger ones (and -0) as doubles. */
const MAX_VARINT_INTEGER = 2 ** 50;

export class ByteWriter {
  private bytes = new Uint8Array(INITIAL_CAPACITY);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  get size(): number {
    return this.length;
  }

  byte(value: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = value;
  }

  /** A non-negative integer below 2^53, seven bits per byte. */
  varint(value: number): void {
    if (this.length + 8 > this.bytes.length) this.grow(8);
    // Arithmetic rather than bit operators: seeds and ids may pass 2^31.
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
  }

  /** Any double, or null; exact. */
  number(value: number | null): void {
    if (value === null) {
      this.varint(NULL_TAG);
    } else if (Number.isInteger(value) && Math.abs(value) <= MAX_VARINT_INTEGER && !Object.is(value, -0)) {
      this.varint((value >= 0 ? value * 2 : -value * 2 - 1) * 2);
    } else {
      this.varint(FLOAT64_TAG);
      if (this.length + 8 > this.bytes.length) this.grow(8);
      this.view.setFloat64(this.length, value, true);
      this.length += 8;
    }
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private grow(needed: number): void {
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + needed));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
}

export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError('replay recording ends too early');
    return this.bytes[this.offset++];
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new RangeError('replay varint too long');
    }
  }

  number(): number | null {
    const tag = this.varint();
    if (tag === NULL_TAG) return null;
    if (tag === FLOAT64_TAG) {
      if (this.offset + 8 > this.bytes.length) throw new RangeError('replay recording ends too early');
      const value = this.view.getFloat64(this.offset, true);
      this.offset += 8;
      return value;
    }
    const zigzag = tag / 2;
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }
}
