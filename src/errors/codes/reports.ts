/** Codes of the "report this product" form and the reports list. */
export const reportErrors = {
  'report/not_found': {
    status: 404,
    vi: 'Không có báo cáo với mã số này. Kiểm tra lại mã số (dạng BC-XXXXXXXX).',
    en: 'No report with this number. Check the number (it reads BC-XXXXXXXX).',
  },
  'report/photo_unreadable': {
    status: 415,
    vi: 'Ảnh không đọc được: hãy gửi ảnh JPEG, PNG, WebP hoặc HEIC.',
    en: 'The photo cannot be read: send a JPEG, PNG, WebP or HEIC image.',
  },
  'report/status_changed': {
    status: 409,
    vi: 'Trạng thái báo cáo đã thay đổi hoặc không thể chuyển như vậy (chỉ đi tiếp: mới → đã kiểm tra → đã đóng). Hãy tải lại danh sách.',
    en: 'The report’s status has changed, or cannot move that way (only forward: open → checked → closed). Reload the list.',
  },
  'report/rate_limited': {
    status: 429,
    vi: 'Đã có nhiều báo cáo từ mạng của bạn trong ít phút. Vui lòng đợi 10 phút rồi gửi lại; báo cáo trước đó đã được lưu.',
    en: 'Several reports came from your network within a few minutes. Please wait 10 minutes, then send again; the earlier reports are stored.',
  },
} as const;
