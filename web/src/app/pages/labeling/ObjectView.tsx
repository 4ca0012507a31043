/** The renderer for one data object of the task. */
import { dataKey, type ObjectSpec } from '../../../editor/schema';
import type { LabelingSession } from '../../../editor/session';
import { AudioView } from '../../../render/audio/AudioView';
import { ImageView } from '../../../render/image/ImageView';
import { TextView } from '../../../render/text/TextView';
import { VideoView } from '../../../render/video/VideoView';

export function ObjectView({ object, session, readOnly }: { object: ObjectSpec; session: LabelingSession; readOnly?: boolean }) {
  const value = session.data[dataKey(object)];
  const url = typeof value === 'string' ? value : '';
  switch (object.type) {
    case 'text': {
      const tool = session.spanTools.get(object.name);
      if (!tool) return null;
      return <TextView objectName={object.name} schema={session.schema} store={session.store} tool={tool} readOnly={readOnly}
        onRegionClick={(id) => session.clickRegion(id)} />;
    }
    case 'image': return <ImageView url={url} objectName={object.name} />;
    case 'audio': return url ? <AudioView session={session} objectName={object.name} url={url} readOnly={readOnly} /> : <p className="muted">No audio in this task.</p>;
    case 'video': return <VideoView url={url} objectName={object.name} session={session} />;
    default: return null;
  }
}
