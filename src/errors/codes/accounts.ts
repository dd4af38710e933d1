/** Codes of API key management. */
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
} as const;
