/** Codes of retried writes: the Idempotency-Key header (see src/http/idempotency.ts). */
export const idempotencyErrors = {
  'idempotency/key_reused': {
    status: 422,
    vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác (khác địa chỉ hoặc nội dung). Khi gửi lại, giữ nguyên yêu cầu; yêu cầu mới thì dùng khóa mới.',
    en: 'This Idempotency-Key was first used for a different request (another address or body). Resend a request unchanged; use a new key for a new request.',
  },
  'idempotency/in_progress': {
    status: 409,
    vi: 'Một yêu cầu với cùng Idempotency-Key đang được xử lý. Chờ vài giây (xem Retry-After) rồi gửi lại đúng yêu cầu đó để nhận kết quả.',
    en: 'A request with the same Idempotency-Key is still being processed. Wait a few seconds (see Retry-After), then resend the same request to get its result.',
  },
} as const;
