/** Cells of the data manager: data preview (thumbnail, snippet, audio), status, dates. */
import type { TaskOut, TaskRow } from '../../../../api/endpoints';
import { dataKey, type LabelSchema } from '../../../../editor/schema';

let player: HTMLAudioElement | null = null;

function playOnce(url: string): void {
  player?.pause();
  if (player?.src.endsWith(url)) {
    player = null;
    return;
  }
  player = new Audio(url);
  void player.play();
}

export function DataPreview({ task, schema }: { task: TaskOut; schema: LabelSchema }) {
  return (
    <span className="preview">
      {schema.objects.map((o) => {
        const v = task.data[dataKey(o)];
        if (typeof v !== 'string') return null;
        if (o.type === 'image') return <img key={o.name} src={v} alt="" loading="lazy" className="thumb" />;
        if (o.type === 'audio' || o.type === 'video') {
          return <button key={o.name} type="button" className="small" title="Play / stop" onClick={(e) => { e.stopPropagation(); playOnce(v); }}>▶ {String(task.meta.filename ?? o.type)}</button>;
        }
        return <span key={o.name} className="snippet">{v.slice(0, 160)}</span>;
      })}
    </span>
  );
}

/** As the server's status filters have it: skipped means someone skipped it and nobody has
 * answered it yet. */
export function statusOf(task: TaskRow): string {
  if (task.needs_relabel) return 'relabel';
  if (task.is_completed) return 'completed';
  if (task.annotation_count > 0) return 'in progress';
  return (task.skipped_count ?? 0) > 0 ? 'skipped' : 'unlabeled';
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}
