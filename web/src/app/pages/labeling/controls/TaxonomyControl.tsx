/** Taxonomy: a tree of checkboxes; each pick is a root-to-node path. */
import type { ControlSpec, TaxonomyNode } from '../../../../editor/schema';
import type { LabelingSession } from '../../../../editor/session';
import { taxonomyPaths, toggleTaxonomy } from '../../../../editor/tools/choices/classification';
import { useObservable } from '../../../useObservable';

interface NodeProps {
  node: TaxonomyNode;
  path: string[];
  picked: Set<string>;
  onToggle: (path: string[]) => void;
  readOnly?: boolean;
}

function Node({ node, path, picked, onToggle, readOnly }: NodeProps) {
  const here = [...path, node.value];
  return (
    <li>
      <label><input type="checkbox" checked={picked.has(here.join('\u0000'))} disabled={readOnly}
        onChange={() => onToggle(here)} /> {node.value}</label>
      {node.children?.length ? (
        <ul>{node.children.map((c) => <Node key={c.value} node={c} path={here} picked={picked} onToggle={onToggle} readOnly={readOnly} />)}</ul>
      ) : null}
    </li>
  );
}

export function TaxonomyControl({ control, session, readOnly }: { control: ControlSpec; session: LabelingSession; readOnly?: boolean }) {
  const { results } = useObservable(session.store);
  const picked = new Set(taxonomyPaths(results, control).map((p) => p.join('\u0000')));
  const toggle = (path: string[]) => session.store.commit((rs) => toggleTaxonomy(rs, control, path));
  return (
    <ul className="taxonomy">
      {(control.taxonomy ?? []).map((n) => <Node key={n.value} node={n} path={[]} picked={picked} onToggle={toggle} readOnly={readOnly} />)}
    </ul>
  );
}
