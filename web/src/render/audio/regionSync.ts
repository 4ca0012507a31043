/** Keeps wavesurfer's regions equal to the editor's segments (add, update, remove by id). */
import type RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.js';
import { labelsOf } from '../../editor/result';
import { labelColor } from '../../editor/schema';
import type { LabelingSession } from '../../editor/session';
import { withAlpha } from '../text/colors';

export function syncRegions(regions: RegionsPlugin, session: LabelingSession, objectName: string, editable: boolean): void {
  const { results, selectedId } = session.store.getState();
  const existing = new Map(regions.getRegions().map((r) => [r.id, r]));
  for (const seg of results) {
    if (seg.type !== 'segment' || seg.object !== objectName) continue;
    const label = labelsOf(seg).join(', ');
    const color = withAlpha(labelColor(session.control(seg.control), labelsOf(seg)[0]), seg.id === selectedId ? 0.5 : 0.22);
    const start = Number(seg.value.start);
    const end = Number(seg.value.end);
    const region = existing.get(seg.id);
    existing.delete(seg.id);
    if (!region) {
      regions.addRegion({ id: seg.id, start, end, color, content: label, drag: editable, resize: editable });
      continue;
    }
    const text = region.content?.textContent ?? '';
    if (Math.abs(region.start - start) > 1e-3 || Math.abs(region.end - end) > 1e-3 || region.color !== color || text !== label) {
      region.setOptions({ start, end, color, content: label });
    }
  }
  existing.forEach((r) => r.remove());
}
