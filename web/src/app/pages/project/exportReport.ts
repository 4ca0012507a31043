/** What an export left out, in words: one line per skipped item, the reasons as the server
 * (and `postil export` on stderr) gives them. */
import type { ExportReport } from '../../../api/exports';

export interface ExportReportText {
  summary: string;
  items: string[];
  /** Skips beyond those the response header carries. */
  more: string | null;
}

function tasks(count: number): string {
  return `${count} ${count === 1 ? 'task' : 'tasks'}`;
}

export function exportedMessage(report: ExportReport, format: string): string {
  return `Exported ${tasks(report.exported)} as ${format}.`;
}

/** Null when nothing was left out: no report to show. */
export function exportReportText(report: ExportReport, format: string): ExportReportText | null {
  if (report.skipped_count === 0) return null;
  const things = report.skipped_count === 1 ? '1 thing' : `${report.skipped_count} things`;
  const rest = report.skipped_count - report.skipped.length;
  return {
    summary: `Exported ${tasks(report.exported)} as ${format}; ${things} ${format} cannot carry ${report.skipped_count === 1 ? 'was' : 'were'} left out:`,
    items: report.skipped.map((s) => `Task ${s.task_id}: ${s.reason}`),
    more: rest > 0 ? `…and ${rest} more; \`postil export\` lists every one on stderr.` : null,
  };
}
