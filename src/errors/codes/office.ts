/** Codes of the programme office's decision import (src/office/decisions/). */
export const officeErrors = {
  'decision/not_found': {
    status: 404,
    vi: 'Không có quyết định đã nhập với số này. Xem danh sách quyết định đã nhập.',
    en: 'No imported decision with this number. See the list of imported decisions.',
  },
  'decision/draft_not_found': {
    status: 404,
    vi: 'Tệp đã tải lên không còn (tệp chỉ được giữ một ngày). Hãy tải tệp lên lại.',
    en: 'The uploaded file is no longer kept (files are kept for a day). Upload the file again.',
  },
  'decision/invalid_rows': {
    status: 422,
    vi: 'Có dòng trong tệp không nhập được: không có gì được ghi. Tải tệp lên lại để xem lỗi của từng dòng.',
    en: 'Some rows of the file cannot be imported: nothing was written. Upload the file again to see each row\'s problem.',
  },
} as const;
