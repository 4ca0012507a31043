import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { exportReportText, exportedMessage } from './exportReport';
import { ExportReportView } from './ExportMenu';

const SKIPS = {
  exported: 3,
  skipped_count: 2,
  skipped: [
    { task_id: 12, reason: "data field 'ключ' is not a column of this CSV" },
    { task_id: 14, reason: '1 prediction(s) left out: CSV carries annotations only' },
  ],
};

describe('exportReportText', () => {
  it('lists what was left out, task by task, in the server reasons', () => {
    expect(exportReportText(SKIPS, 'CSV')).toEqual({
      summary: 'Exported 3 tasks as CSV; 2 things CSV cannot carry were left out:',
      items: [
        "Task 12: data field 'ключ' is not a column of this CSV",
        'Task 14: 1 prediction(s) left out: CSV carries annotations only',
      ],
      more: null,
    });
  });

  it('says how many the header could not list', () => {
    const text = exportReportText({ exported: 1, skipped_count: 101, skipped: [{ task_id: 1, reason: 'r' }] }, 'Label Studio JSON');
    expect(text?.summary).toBe('Exported 1 task as Label Studio JSON; 101 things Label Studio JSON cannot carry were left out:');
    expect(text?.more).toBe('…and 100 more; `postil export` lists every one on stderr.');
  });

  it('one thing', () => {
    expect(exportReportText({ exported: 1, skipped_count: 1, skipped: [{ task_id: 9, reason: 'r' }] }, 'CSV')?.summary)
      .toBe('Exported 1 task as CSV; 1 thing CSV cannot carry was left out:');
  });

  it('nothing left out: no report, only the count', () => {
    expect(exportReportText({ exported: 4, skipped_count: 0, skipped: [] }, 'JSON')).toBeNull();
    expect(exportedMessage({ exported: 4, skipped_count: 0, skipped: [] }, 'JSON')).toBe('Exported 4 tasks as JSON.');
  });
});

describe('ExportReportView', () => {
  const render = (report: typeof SKIPS) =>
    renderToStaticMarkup(createElement(ExportReportView, { report, format: 'CSV', onClose: () => undefined }));

  it('shows each skipped item', () => {
    const html = render(SKIPS);
    expect(html).toContain('<strong>Exported 3 tasks as CSV; 2 things CSV cannot carry were left out:</strong>');
    expect(html).toContain('<li>Task 12: data field &#x27;ключ&#x27; is not a column of this CSV</li>');
    expect(html).toContain('<li>Task 14: 1 prediction(s) left out: CSV carries annotations only</li>');
  });

  it('no list when nothing was left out', () => {
    const html = render({ exported: 2, skipped_count: 0, skipped: [] });
    expect(html).toContain('Exported 2 tasks as CSV.');
    expect(html).not.toContain('<li>');
  });
});
