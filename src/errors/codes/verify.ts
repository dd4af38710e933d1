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
} as const;
