import { customAlphabet } from 'nanoid';

/**
 * Record ids: 10 characters of lowercase letters and digits (≈ 52 bits), readable
 * in URLs and in a product's label path (/p/{productId}/…). Not secrets.
 */
const generateId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);
/**
 * Takes no arguments on purpose: mongoose calls a schema default with the document as
 * its argument, and nanoid would read that as the size and never finish.
 */
export const newId = (): string => generateId();
export const ID_PATTERN = /^[0-9a-z]{10}$/;
