import mongoose, { Schema } from 'mongoose';

/**
 * A product photo as re-encoded by product-photo.service.ts: WebP, auto-oriented,
 * metadata stripped. `_id` is the content hash of `full`, so one picture is stored
 * once and read by `_id` only. `page` is the small variant the verification page shows.
 */
const productPhotoSchema = new Schema(
  {
    _id: { type: String, required: true },
    full: { type: Buffer, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    page: { type: Buffer, required: true },
    pageWidth: { type: Number, required: true },
    pageHeight: { type: Number, required: true },
  },
  { versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);

export const ProductPhotoModel = mongoose.model('ProductPhoto', productPhotoSchema, 'product_photos');
