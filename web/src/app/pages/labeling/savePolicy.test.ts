import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/http';
import { afterFailedSave, needsSave } from './savePolicy';

describe('autosave after a failed save', () => {
  it('a 422 shows the server\'s problems and is not retried with the same results', () => {
    const refused = new ApiError(422, 'invalid result', [{ loc: ['result', 0, 'value', 'end'], msg: 'end 1.56 is past the media duration (1.55288 s)' }]);
    const outcome = afterFailedSave(refused);
    expect(outcome.retry).toBe(false);
    expect(outcome.status).toEqual({ kind: 'invalid', error: refused });
    expect(afterFailedSave(new ApiError(413, 'too large')).retry).toBe(false);
    expect(afterFailedSave(new ApiError(409, 'conflict', [], { version: 3 }))).toEqual({
      status: { kind: 'conflict', current: { version: 3 } }, retry: false });
  });

  it('a lost connection, a busy or failing server and an expired session are retried', () => {
    for (const err of [new ApiError(0, 'network'), new ApiError(500, 'boom'), new ApiError(503, 'busy'),
      new ApiError(429, 'slow down'), new ApiError(401, 'login'), new TypeError('Failed to fetch')]) {
      const outcome = afterFailedSave(err);
      expect(outcome.retry).toBe(true);
      expect(outcome.status.kind).toBe('error');
    }
  });

  it('the refused revision is not sent again; the next edit is', () => {
    expect(needsSave(7, 6, 7)).toBe(false);
    expect(needsSave(8, 6, 7)).toBe(true);
    expect(needsSave(6, 6, null)).toBe(false);
    expect(needsSave(7, 6, null)).toBe(true);
  });
});
