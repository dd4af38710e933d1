/** Codes of the resolver and the verification page (label URLs). */
export const verifyErrors = {
  'label/malformed_uri': {
    status: 400,
    vi: 'Đường dẫn tem không đúng định dạng: mã QR có thể bị hỏng hoặc đường dẫn bị gõ sai. Hãy quét lại mã QR trên tem.',
    en: 'This is not a well-formed label address: the QR code may be damaged or the address mistyped. Scan the QR code again.',
  },
  'resolver/link_type_not_found': {
    status: 404,
    vi: 'Tem này không có liên kết thuộc loại được yêu cầu. Xem các liên kết của tem với linkType=linkset.',
    en: 'This label has no link of the type asked for. See its links with linkType=linkset.',
  },
  'resolver/gtin_not_found': {
    status: 404,
    vi: 'Không có sản phẩm OCOP nào trong danh mục mang mã GTIN này. Tìm sản phẩm theo tên tại /products.',
    en: 'No OCOP product in the registry carries this GTIN. Search products by name at /products.',
  },
  'resolver/compression_not_supported': {
    status: 501,
    vi: 'Đường dẫn GS1 Digital Link nén này dùng một phần của chuẩn nén mà hệ thống chưa đọc được. Hãy gửi đường dẫn chưa nén (/01/{gtin}/…).',
    en: 'This compressed GS1 Digital Link uses a part of the compression standard this resolver does not read. Send the uncompressed link (/01/{gtin}/…).',
  },
  'verify/database_unavailable': {
    status: 503,
    vi: 'Hiện chưa kết nối được cơ sở dữ liệu tem và tem này chưa có trong bộ nhớ gần đây. Vui lòng quét lại sau ít phút.',
    en: 'The label database cannot be reached right now and this label is not in recent memory. Please scan again in a few minutes.',
  },
  'verify/rate_limited': {
    status: 429,
    vi: 'Có quá nhiều lượt kiểm tra tem từ mạng của bạn trong một phút. Vui lòng đợi một phút rồi quét lại.',
    en: 'Too many label checks from your network within a minute. Please wait a minute, then scan again.',
  },
  'decode/unsupported_image': {
    status: 415,
    vi: 'Không đọc được ảnh này. Gửi chính tệp ảnh (JPEG, PNG, WebP hoặc HEIC) làm nội dung, với Content-Type tương ứng.',
    en: 'This image cannot be read. Send the photo itself (JPEG, PNG, WebP or HEIC) as the body, with its Content-Type.',
  },
  'decode/too_many_pixels': {
    status: 422,
    vi: 'Ảnh có quá nhiều điểm ảnh (tối đa 24 triệu). Chụp lại ở độ phân giải thấp hơn hoặc thu nhỏ ảnh rồi gửi lại.',
    en: 'The photo has too many pixels (24 million at most). Take it at a lower resolution, or scale it down, and send it again.',
  },
  'decode/time_limit': {
    status: 422,
    vi: 'Không đọc kịp mã QR trong ảnh trong thời gian cho phép. Chụp lại gần hơn, thẳng góc và đủ sáng rồi gửi lại.',
    en: 'The QR code in this photo could not be read within the time allowed. Take the photo closer, straight on and in good light, and send it again.',
  },
  'decode/no_code_found': {
    status: 422,
    vi: 'Không tìm thấy mã QR nào trong ảnh. Chụp lại để mã QR rõ nét, chiếm phần lớn khung hình, không bị lóa hay che khuất.',
    en: 'No QR code was found in the photo. Take it again with the QR code sharp, filling most of the frame, without glare or anything covering it.',
  },
  'decode/busy': {
    status: 503,
    vi: 'Máy chủ đang đọc nhiều ảnh khác. Vui lòng gửi lại ảnh sau vài giây.',
    en: 'The server is reading many other photos. Please send the photo again in a few seconds.',
  },
} as const;
