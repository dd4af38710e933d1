/** Codes of the market inspectors' findings log (src/inspections/). */
export const inspectionErrors = {
  'inspection/id_reused': {
    status: 409,
    vi: 'Mã kiểm tra này đã được dùng cho một lần kiểm tra khác (nội dung khác). Khi gửi lại, giữ nguyên nội dung; lần kiểm tra mới thì tạo mã mới trên thiết bị.',
    en: 'This inspection id was already used for a different inspection (another body). Resend an inspection unchanged; make a new id on the device for a new one.',
  },
  'inspection/not_found': {
    status: 404,
    vi: 'Không có lần kiểm tra với mã này. Hãy gửi lần kiểm tra trước, rồi mới gửi ảnh.',
    en: 'No inspection with this id. Send the inspection first, then its photos.',
  },
  'inspection/photo_unreadable': {
    status: 415,
    vi: 'Ảnh không đọc được: hãy gửi ảnh JPEG, PNG hoặc WebP.',
    en: 'The photo cannot be read: send a JPEG, PNG or WebP image.',
  },
  'inspection/photo_too_large': {
    status: 413,
    vi: 'Ảnh quá lớn (quá nhiều điểm ảnh). Hãy chụp ở độ phân giải thấp hơn hoặc thu nhỏ ảnh rồi gửi lại.',
    en: 'The photo is too large (too many pixels). Take it at a lower resolution or shrink it, then send it again.',
  },
  'inspection/too_many_photos': {
    status: 409,
    vi: 'Lần kiểm tra này đã có đủ số ảnh tối đa. Hãy bỏ bớt ảnh trên thiết bị.',
    en: 'This inspection already has the most photos it may have. Leave the others out.',
  },
} as const;
