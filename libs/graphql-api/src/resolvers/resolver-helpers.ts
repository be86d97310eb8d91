import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Kind } from 'graphql';
import type { EpochMs } from '@lineage/domain';
import type { Clock } from '@lineage/auth';

/** A `DateTime` argument as epoch ms, or now. */
export function timeOf(date: Date | null | undefined, clock: Clock): EpochMs {
  return date ? date.getTime() : clock.now();
}

/** Whether the current field's selection asks for `name` (directly or through fragments). */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some(
    (node: FieldNode) =>
      node.selectionSet !== undefined && inSelection(node.selectionSet, name, info.fragments, new Set()),
  );
}

function inSelection(
  set: SelectionSetNode,
  name: string,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): boolean {
  for (const selection of set.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        if (selection.name.value === name) return true;
        break;
      case Kind.INLINE_FRAGMENT:
        if (inSelection(selection.selectionSet, name, fragments, seen)) return true;
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = fragments[selection.name.value];
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          if (inSelection(fragment.selectionSet, name, fragments, seen)) return true;
        }
        break;
      }
    }
  }
  return false;
}
