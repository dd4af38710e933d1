import { customAlphabet } from 'nanoid';

/**
 * Label serials (GS1 AI 21): 13 characters of [0-9A-Za-z] from a cryptographic
 * source, 13 × log2(62) ≈ 77 bits, so guessing a valid serial is hopeless and a
 * collision is a unique-key error we retry, never a reuse. Matches SERIAL_PATTERN.
 */
export const SERIAL_LENGTH = 13;
const generate = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', SERIAL_LENGTH);

/** No parameters: a caller passing anything must not change the length. */
export const newSerial = (): string => generate();
