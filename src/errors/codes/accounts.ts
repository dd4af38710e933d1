/** Codes of accounts: API keys, users, sessions and their forms. */
export const accountErrors = {
  'api_key/not_found': {
    status: 404,
    vi: 'Không có khóa API này. Kiểm tra mã khóa trong danh sách khóa.',
    en: 'No such API key. Check the key id in the list of keys.',
  },
  'api_key/already_revoked': {
    status: 409,
    vi: 'Khóa API này đã bị thu hồi từ trước; không cần làm gì thêm.',
    en: 'This API key is already revoked; nothing more to do.',
  },
  'api_key/revoke_self': {
    status: 409,
    vi: 'Một khóa không thể tự thu hồi chính nó. Dùng một khóa quản trị khác.',
    en: 'A key cannot revoke itself. Use another admin key.',
  },
  'auth/csrf': {
    status: 403,
    vi: 'Biểu mẫu hoặc yêu cầu này thiếu mã chống giả mạo (CSRF) hợp lệ, có thể do trang đã mở quá lâu. Tải lại trang rồi gửi lại.',
    en: 'This form or request has no valid anti-forgery (CSRF) token, perhaps because the page was open too long. Reload the page and send it again.',
  },
  'user/not_found': {
    status: 404,
    vi: 'Không có tài khoản người dùng này. Kiểm tra lại trong danh sách người dùng.',
    en: 'No such user account. Check the list of users.',
  },
  'user/email_taken': {
    status: 409,
    vi: 'Đã có tài khoản dùng email này. Dùng tài khoản đó hoặc một email khác.',
    en: 'An account with this email already exists. Use that account or another email.',
  },
  'user/disable_self': {
    status: 409,
    vi: 'Bạn không thể tự khóa tài khoản của mình. Nhờ một quản trị viên khác.',
    en: 'You cannot disable your own account. Ask another admin.',
  },
  'user/wrong_password': {
    status: 400,
    vi: 'Mật khẩu hiện tại không đúng. Nhập lại mật khẩu đang dùng.',
    en: 'The current password is not right. Type the password you use now.',
  },
  'user/reset_link_invalid': {
    status: 410,
    vi: 'Liên kết đặt mật khẩu này đã được dùng, đã hết hạn hoặc đã được thay bằng liên kết mới. Nhờ quản trị viên tạo liên kết khác.',
    en: 'This password link has been used, has expired or was replaced by a newer one. Ask an admin for a new one.',
  },
} as const;
