import { customAlphabet } from 'nanoid';

/**
 * Label serials (GS1 AI 21), from a cryptographic source, never reused: a collision is
 * a unique-key error we retry. People read serials out over the phone and type them
 * in, so new serials use 25 characters that cannot be taken for one another in print
 * or in handwriting: the digits and upper-case letters without 0 O, 1 I L, 2 Z, 5 S
 * and 8 B. 16 of them carry 16 × log2(25) ≈ 74.3 bits. Upper case and digits also fit
 * the QR code's alphanumeric mode, so the symbol does not grow (docs/label-format.md §1).
 *
 * Serials issued before (13 characters of [0-9A-Za-z], ≈ 77 bits) stay valid for ever:
 * SERIAL_PATTERN accepts both, and nothing else depends on the alphabet.
 */
export const SERIAL_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
export const SERIAL_LENGTH = 16;
/** The randomness of a new serial, in bits. */
export const SERIAL_BITS = SERIAL_LENGTH * Math.log2(SERIAL_ALPHABET.length);

const generate = customAlphabet(SERIAL_ALPHABET, SERIAL_LENGTH);

/** No parameters: a caller passing anything must not change the length. */
export const newSerial = (): string => generate();
