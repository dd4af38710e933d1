import { customAlphabet } from 'nanoid';

/**
 * Record ids: 10 characters of lowercase letters and digits (≈ 52 bits), readable
 * in URLs and in a product's label path (/p/{productId}/…). Not secrets.
 */
export const newId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);
export const ID_PATTERN = /^[0-9a-z]{10}$/;
