/** Codes of the registry: administrative units, producers, products, certifications. */
export const registryErrors = {
  'location/invalid': {
    status: 400,
    vi: 'Địa điểm không hợp lệ: cần SGLN (urn:epc:id:sgln:…) hoặc GLN 13 chữ số với số kiểm tra đúng, tên và mã xã đang có hiệu lực.',
    en: 'Not a valid location: send an SGLN (urn:epc:id:sgln:…) or a 13-digit GLN with a correct check digit, a name and a commune code in force.',
  },
  'location/duplicate': {
    status: 409,
    vi: 'GLN/SGLN này đã được đăng ký (details.existingLocationId). Dùng địa điểm đã có.',
    en: 'This GLN/SGLN is already registered (details.existingLocationId). Use the existing location.',
  },
  'location/not_found': {
    status: 404,
    vi: 'Không có địa điểm đăng ký này. Kiểm tra lại mã địa điểm ({gln} hoặc {gln}:{phần mở rộng}).',
    en: 'No such registered location. Check the location id ({gln} or {gln}:{extension}).',
  },
  'admin_unit/province_not_found': {
    status: 404,
    vi: 'Không có tỉnh, thành phố mang mã này trong danh mục đơn vị hành chính 2025. Xem danh sách tại /api/v1/admin-units/provinces.',
    en: 'No province with this code among the 2025 administrative units. See the list at /api/v1/admin-units/provinces.',
  },
  'producer/not_found': {
    status: 404,
    vi: 'Không có chủ thể sản xuất này. Kiểm tra lại mã chủ thể.',
    en: 'No such producer. Check the producer id.',
  },
  'producer/duplicate_registration': {
    status: 409,
    vi: 'Số đăng ký này đã được đăng ký cho một chủ thể. Dùng chủ thể đã có (details.existingProducerId) thay vì đăng ký lại.',
    en: 'This registration number is already registered. Use the existing producer (details.existingProducerId) instead.',
  },
  'product/not_found': {
    status: 404,
    vi: 'Không có sản phẩm này. Kiểm tra lại mã sản phẩm.',
    en: 'No such product. Check the product id.',
  },
  'product/unknown_producer': {
    status: 400,
    vi: 'Chủ thể sản xuất được nêu chưa có trong hệ thống. Đăng ký chủ thể trước rồi mới thêm sản phẩm.',
    en: 'The producer named does not exist. Register the producer first, then add its products.',
  },
  'product/gtin_locked': {
    status: 409,
    vi: 'Sản phẩm đã có tem in mang mã GTIN này và chữ ký trên tem bao gồm mã đó: không thể đổi GTIN. Hãy đăng ký GTIN mới thành một sản phẩm mới.',
    en: 'Labels of this product were printed with its GTIN, and their signatures cover it: the GTIN cannot change. Register the new GTIN as a new product.',
  },
  'product/invalid_gtin': {
    status: 400,
    vi: 'Mã GTIN không hợp lệ: cần 8, 12, 13 hoặc 14 chữ số với số kiểm tra đúng (details.expectedCheckDigit nêu số đúng).',
    en: 'Not a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit (details.expectedCheckDigit names it).',
  },
  'product/duplicate_gtin': {
    status: 409,
    vi: 'Mã GTIN này đã thuộc về một sản phẩm khác. Kiểm tra lại mã, hoặc sửa sản phẩm đã có (details.existingProductId).',
    en: 'This GTIN already belongs to another product. Check the number, or edit that product (details.existingProductId).',
  },
  'product/unsupported_image': {
    status: 415,
    vi: 'Ảnh sản phẩm phải là tệp JPEG, PNG hoặc WebP (kiểm tra theo nội dung tệp). Chụp hoặc lưu lại ảnh ở một trong các định dạng đó rồi gửi lại.',
    en: 'A product photo must be a JPEG, PNG or WebP file (checked by its content). Save the picture in one of those formats and send it again.',
  },
  'product/photo_not_found': {
    status: 404,
    vi: 'Không có ảnh này. Địa chỉ ảnh thay đổi khi ảnh sản phẩm được thay: xem lại trường photo.url của sản phẩm.',
    en: 'No such photo. A photo address changes when the product photo is replaced: see the product\'s photo.url.',
  },
  'certification/not_found': {
    status: 404,
    vi: 'Không có chứng nhận này. Kiểm tra lại mã chứng nhận.',
    en: 'No such certification. Check the certification id.',
  },
  'certification/score_mismatch': {
    status: 400,
    vi: 'Số sao không khớp với điểm đánh giá. Sửa số sao hoặc điểm theo thang điểm (details.expectedStars, details.scoreBand).',
    en: 'The stars do not match the score. Correct either to the score bands (details.expectedStars, details.scoreBand).',
  },
  'certification/authority_mismatch': {
    status: 400,
    vi: 'Cấp công nhận không phù hợp với số sao: 5 sao do Bộ công nhận, 3–4 sao do cấp tỉnh (details.allowedLevels).',
    en: 'The authority level does not fit the stars: 5★ is rated by the ministry, 3–4★ by the province (details.allowedLevels).',
  },
  'certification/authority_name_required': {
    status: 400,
    vi: 'Quyết định cấp huyện không có tên cơ quan mặc định: hãy gửi authority.name.',
    en: 'A district-level decision has no default authority name: send authority.name.',
  },
  'certification/duplicate_decision': {
    status: 409,
    vi: 'Quyết định này (cùng số và ngày) đã được ghi nhận cho sản phẩm; không cần ghi lại.',
    en: 'This decision (same number and date) is already recorded for the product; it need not be sent again.',
  },
  'certification/already_revoked': {
    status: 409,
    vi: 'Chứng nhận này đã bị thu hồi từ trước; không cần làm gì thêm.',
    en: 'This certification was already revoked; nothing more to do.',
  },
} as const;
