/** The labeling layout: the task's objects on the left, controls and regions on the right. */
import { memo } from 'react';
import type { LabelingSession } from '../../../editor/session';
import { ControlsPanel } from './ControlsPanel';
import { ObjectView } from './ObjectView';
import { RegionPanel } from './RegionPanel';

export const LabelingScreen = memo(function LabelingScreen({ session, readOnly }: { session: LabelingSession; readOnly?: boolean }) {
  return (
    <div className="labeling">
      <div className="objects">
        {session.schema.objects.map((o) => (
          <section key={o.name} className="object">
            <ObjectView object={o} session={session} readOnly={readOnly} />
          </section>
        ))}
      </div>
      <aside className="side">
        <ControlsPanel session={session} readOnly={readOnly} />
        <RegionPanel session={session} readOnly={readOnly} />
      </aside>
    </div>
  );
});
