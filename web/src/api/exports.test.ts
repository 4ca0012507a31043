import { describe, expect, it } from 'vitest';
import { exportFilename, parseExportReport } from './exports';

describe('parseExportReport', () => {
  it('reads the ASCII JSON the server sends, escapes and all', () => {
    const header = String.raw`{"exported":2,"skipped_count":3,"skipped":[{"task_id":2,"reason":"data field '\u043a\u043b\u044e\u0447' is not a column of this CSV"},{"task_id":2,"reason":"data field '\u540d\u524d.\u6df1\u3044' is not a column of this CSV"}]}`;
    expect(parseExportReport(header)).toEqual({
      exported: 2,
      skipped_count: 3,
      skipped: [
        { task_id: 2, reason: "data field 'ключ' is not a column of this CSV" },
        { task_id: 2, reason: "data field '名前.深い' is not a column of this CSV" },
      ],
    });
  });

  it('nothing skipped', () => {
    expect(parseExportReport('{"exported":5,"skipped_count":0,"skipped":[]}'))
      .toEqual({ exported: 5, skipped_count: 0, skipped: [] });
  });

  it('no header, or not a report: null', () => {
    expect(parseExportReport(null)).toBeNull();
    expect(parseExportReport('')).toBeNull();
    expect(parseExportReport('not json')).toBeNull();
    expect(parseExportReport('[1,2]')).toBeNull();
    expect(parseExportReport('null')).toBeNull();
  });

  it('an older server without skipped_count: the listed skips count', () => {
    expect(parseExportReport('{"exported":1,"skipped":[{"task_id":1,"reason":"r"},{"task_id":"x"}]}'))
      .toEqual({ exported: 1, skipped_count: 1, skipped: [{ task_id: 1, reason: 'r' }] });
  });
});

describe('exportFilename', () => {
  it('takes the server name, else the fallback', () => {
    expect(exportFilename('attachment; filename="project-4.csv"', 'x')).toBe('project-4.csv');
    expect(exportFilename(null, 'project-4.csv')).toBe('project-4.csv');
  });
});
