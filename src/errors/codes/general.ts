/** Codes any route can answer: malformed requests, unknown routes, keys, our own faults. */
export const generalErrors = {
  'request/invalid': {
    status: 400,
    vi: 'Dữ liệu gửi lên chưa đúng. Sửa từng trường được liệt kê trong details.problems rồi gửi lại.',
    en: 'The request does not fit the expected input. Fix each field listed in details.problems and send it again.',
  },
  'request/malformed_json': {
    status: 400,
    vi: 'Nội dung gửi lên không phải JSON hợp lệ. Kiểm tra dấu ngoặc, dấu phẩy và dấu nháy rồi gửi lại.',
    en: 'The request body is not valid JSON. Check brackets, commas and quotes, then send it again.',
  },
  'request/bad': {
    status: 400,
    vi: 'Không xử lý được yêu cầu như đã gửi. Kiểm tra lại tiêu đề và nội dung của yêu cầu.',
    en: 'The request could not be read as sent. Check its headers and body.',
  },
  'request/too_large': {
    status: 413,
    vi: 'Nội dung gửi lên quá lớn. Chia nhỏ và gửi thành nhiều lần.',
    en: 'The request body is too large. Split it and send it in several requests.',
  },
  'request/unsupported_encoding': {
    status: 415,
    vi: 'Hãy gửi nội dung bằng mã UTF-8 (có thể nén gzip, deflate hoặc br).',
    en: 'Send the body as UTF-8 (gzip, deflate or br compression is accepted).',
  },
  'request/client_gone': {
    status: 499,
    vi: 'Máy khách đã ngắt kết nối trước khi dữ liệu được ghi, nên không có gì được ghi. Gửi lại yêu cầu (cùng Idempotency-Key) nếu vẫn cần.',
    en: 'The client disconnected before anything was written, so nothing was. Send the request again (with the same Idempotency-Key) if it is still wanted.',
  },
  'request/rate_limited': {
    status: 429,
    vi: 'Có quá nhiều yêu cầu trong thời gian ngắn. Hãy đợi số giây ghi trong tiêu đề Retry-After (cũng có trong details.retryAfterSeconds) rồi thử lại.',
    en: 'Too many requests in a short time. Wait the number of seconds in the Retry-After header (also in details.retryAfterSeconds), then try again.',
  },
  'route/not_found': {
    status: 404,
    vi: 'Không có trang hoặc địa chỉ API này. Kiểm tra lại đường dẫn.',
    en: 'There is nothing at this address. Check the path.',
  },
  'resource/duplicate': {
    status: 409,
    vi: 'Đã có một bản ghi mang cùng giá trị phải là duy nhất. Dùng bản ghi đã có hoặc đổi giá trị.',
    en: 'A record with the same unique value already exists. Use that record or change the value.',
  },
  'auth/unauthorized': {
    status: 401,
    vi: 'Cần một khóa API hợp lệ trong tiêu đề Authorization (Bearer <khóa>). Khóa đã thu hồi không còn dùng được.',
    en: 'Send a valid API key in the Authorization header (Bearer <key>). A revoked key no longer works.',
  },
  'auth/forbidden': {
    status: 403,
    vi: 'Khóa của bạn không được làm việc này. Dùng khóa của đúng chủ thể sản xuất, hoặc nhờ quản trị viên.',
    en: 'Your key may not do this. Use the key of the producer concerned, or ask an administrator.',
  },
  'database/unavailable': {
    status: 503,
    vi: 'Cơ sở dữ liệu không trả lời kịp nên yêu cầu có thể chưa được thực hiện. Hãy kiểm tra lại rồi thử lại sau ít phút.',
    en: 'The database did not answer in time, so the request may not have been carried out. Check, then try again in a few minutes.',
  },
  'internal/error': {
    status: 500,
    vi: 'Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút.',
    en: 'Something went wrong on our side. Please try again later.',
  },
} as const;
