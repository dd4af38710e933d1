import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../../ids.js';
import { foldForSearch } from '../text-search.js';
import { importingSchemaField } from '../import-visibility.js';

const productSchema = new Schema(
  {
    /** Also the product code in label URLs without a GTIN: /p/{_id}/… */
    _id: { type: String, default: newId },
    /** The decision import that wrote it, until that import is done (import-visibility.ts). */
    importing: importingSchemaField,
    producerId: { type: String, required: true },
    name: {
      vi: { type: String, required: true, trim: true, maxlength: 300 },
      en: { type: String, default: null, trim: true, maxlength: 300 },
    },
    /** Product group code from the list named by groupListVersion (see product-groups.ts). */
    group: { type: String, required: true },
    groupListVersion: { type: String, required: true },
    /** GTIN-14 (shorter GTINs are left-padded with zeros), check digit validated; null if none. */
    gtin: { type: String, default: null },
    /**
     * The GTIN, or "none:<_id>" without one: a field that is always stored and never
     * null, so a unique index can refuse two products with one GTIN (the label
     * resolver finds a product by its GTIN) under concurrent writes too.
     */
    gtinKey: {
      type: String,
      required: true,
      default: function (this: { gtin?: string | null; _id?: string }) {
        return gtinKeyOf(this.gtin ?? null, this._id ?? '');
      },
    },
    /** Vietnamese and English names folded for "contains" searches. */
    searchName: {
      type: String,
      required: true,
      default: function (this: { name?: { vi?: string; en?: string | null } }) {
        return foldForSearch(`${this.name?.vi ?? ''} ${this.name?.en ?? ''}`);
      },
    },
    /**
     * When the product's first label run was started. From then on its product key as
     * printed (the GTIN, or /p/{_id} without one) is covered by label signatures, so the
     * GTIN may no longer change: see lockProductKey.
     */
    labelledSince: { type: Date, default: null },
    description: { type: String, default: null, maxlength: 2000 },
    images: { type: [String], default: [] },
    /** Standards and technical regulations the product is made to (TCVN, QCVN, TCCS…), as written on its dossier. */
    standards: { type: [String], default: [] },
    /** The photo shown on the verification page (product-photo.service.ts); its id is the content hash of its bytes. */
    photo: {
      type: new Schema(
        {
          id: { type: String, required: true },
          width: { type: Number, required: true },
          height: { type: Number, required: true },
          pageWidth: { type: Number, required: true },
          pageHeight: { type: Number, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { versionKey: false, timestamps: true },
);
productSchema.index({ producerId: 1 });
productSchema.index({ gtin: 1 });
productSchema.index({ gtinKey: 1 }, { unique: true });
productSchema.index({ createdAt: 1, _id: 1 });
// The import's last step publishes its records by this field.
productSchema.index({ importing: 1 });
productSchema.index({ group: 1 });

export const gtinKeyOf = (gtin: string | null, productId: string) => gtin ?? `none:${productId}`;

export type ProductDoc = InferSchemaType<typeof productSchema> & { _id: string };
export const ProductModel = mongoose.model('Product', productSchema, 'products');
