/** Where a product photo is served (product-photo.routes.ts): the id is the hash of its bytes, so the URL never changes meaning. */
export const photoUrl = (id: string, size: 'page' | 'full' = 'full') => `/media/products/${id}${size === 'page' ? '-240' : ''}.webp`;

/** A photo id: the first 32 hex digits of the SHA-256 of its full-size WebP bytes. */
export const PHOTO_ID_PATTERN = /^[0-9a-f]{32}$/;
