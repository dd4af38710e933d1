import { createHash } from 'node:crypto';
import { BoundedMap } from '../../bounded-map.js';
import { imageFormat, reencodeImage } from '../../images.js';
import { AppError, notFound } from '../../errors/app-error.js';
import { isDuplicateKeyError } from '../../db.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Principal } from '../../policy/principal.js';
import { ProductModel } from './product.model.js';
import { ProductPhotoModel } from './product-photo.model.js';
import { assertMayChangeProduct, getProduct, type ProductRecord } from './product.service.js';
import { PHOTO_ID_PATTERN } from './product-photo.url.js';
import { recordChange } from '../../changes/changes.service.js';

/** The widths stored: the full photo, and the variant the verification page shows (≈ 112 CSS px at 2× density). */
export const PHOTO_WIDTHS = { full: 480, page: 240 } as const;
/** WebP quality: keeps a page photo near 5–12 KB. */
const QUALITY = { full: 70, page: 60 } as const;
/** What sharp must find in the bytes (the Content-Type header is only the client's word). */
const ACCEPTED_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp']);
/** Refuses images that would decode to more than this many pixels (a small file can claim a huge canvas). */
const MAX_INPUT_PIXELS = 40_000_000;

export type EncodedPhoto = { id: string; full: Buffer; width: number; height: number; page: Buffer; pageWidth: number; pageHeight: number };

const unsupported = (message: string) => new AppError('product/unsupported_image', message);

/**
 * Re-encodes an uploaded picture: its type checked by content, turned upright by its
 * EXIF orientation, scaled down to PHOTO_WIDTHS, written as WebP without any metadata
 * (sharp keeps none unless asked: no camera, place or time leaves the server).
 */
export async function encodePhoto(input: Buffer): Promise<EncodedPhoto> {
  const format = await imageFormat(input, MAX_INPUT_PIXELS);
  if (!format || !ACCEPTED_FORMATS.has(format)) throw unsupported(`The body is ${format ?? 'not an image'}; send JPEG, PNG or WebP.`);
  const variant = async (width: number, quality: number) => {
    const encoded = await reencodeImage(input, MAX_INPUT_PIXELS, { width }, (image) => image.webp({ quality, effort: 5 }));
    if (!encoded) throw unsupported('The image could not be decoded (damaged or truncated file).');
    return encoded;
  };
  const [full, page] = await Promise.all([variant(PHOTO_WIDTHS.full, QUALITY.full), variant(PHOTO_WIDTHS.page, QUALITY.page)]);
  const id = createHash('sha256').update(full.data).digest('hex').slice(0, 32);
  return { id, full: full.data, width: full.width, height: full.height, page: page.data, pageWidth: page.width, pageHeight: page.height };
}

/** Stores the photo's bytes (once per content) and makes it the product's photo. */
export async function setProductPhoto(productId: string, input: Buffer, actor: Principal): Promise<ProductRecord> {
  await assertMayChangeProduct(actor, await getProduct(productId));
  const photo = await encodePhoto(input);
  try {
    await ProductPhotoModel.create({ _id: photo.id, ...photo });
  } catch (err) {
    // The same picture uploaded before (for this product or another): its bytes are already there.
    if (!isDuplicateKeyError(err)) throw err;
  }
  const { id, width, height, pageWidth, pageHeight } = photo;
  return writePhoto(productId, { id, width, height, pageWidth, pageHeight }, actor);
}

/** The product shows no photo any more. Its bytes stay, addressed by hash: a cached page may still name them. */
export async function removeProductPhoto(productId: string, actor: Principal): Promise<ProductRecord> {
  await assertMayChangeProduct(actor, await getProduct(productId));
  return writePhoto(productId, null, actor);
}

async function writePhoto(productId: string, photo: ProductRecord['photo'], actor: Principal): Promise<ProductRecord> {
  const updated = await ProductModel.findOneAndUpdate({ _id: productId }, { $set: { photo } }, { returnDocument: 'after', runValidators: true }).lean<ProductRecord>();
  if (!updated) throw notFound('product/not_found', `No product with id ${productId}.`);
  await recordChange({ kind: 'product', id: productId });
  await recordAudit(actor, 'product.update', { type: 'product', id: productId, producerId: updated.producerId }, { fields: ['photo'], photo: photo?.id ?? null });
  return updated;
}

/** Photo bytes by hash and size, kept in process: they never change, and a hot label's photo is asked on every scan. */
const served = new BoundedMap<string, Buffer>(1_000);

/** The stored WebP bytes of a photo; 404 `product/photo_not_found` for an id never stored. */
export async function photoBytes(id: string, size: 'full' | 'page'): Promise<Buffer> {
  const key = `${size}:${id}`;
  const cached = served.get(key);
  if (cached) return cached;
  const doc = PHOTO_ID_PATTERN.test(id) ? await ProductPhotoModel.findById(id, { [size]: 1 }).lean<{ full?: Buffer; page?: Buffer }>() : null;
  const raw = doc?.[size];
  if (!raw) throw notFound('product/photo_not_found', `No photo ${id}.`);
  // A lean read hands back the driver's Binary: its buffer holds the bytes.
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from((raw as { buffer: Uint8Array }).buffer);
  served.set(key, bytes);
  return bytes;
}
