import { buildFqn } from '../openmetadata/fqn';
import type { HexProject } from '../hex/types';
import type { TagLabel } from '../openmetadata/types';

export const HEX_CLASSIFICATION = 'HexCategories';

/** The project's category names and status name, de-duplicated, empty ones skipped. */
export function tagNamesOf(project: HexProject): string[] {
  const names = [...(project.categories ?? []).map((c) => c?.name), project.status?.name];
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n.trim() !== '').map((n) => n.trim()))];
}

export function tagFqn(tagName: string): string {
  return buildFqn(HEX_CLASSIFICATION, tagName);
}

export function tagLabel(tagName: string): TagLabel {
  return { tagFQN: tagFqn(tagName), source: 'Classification', labelType: 'Automated', state: 'Suggested' };
}

export function createClassificationRequest() {
  return {
    name: HEX_CLASSIFICATION,
    description: 'Tags associated with Hex projects: their categories and status',
  };
}

export function createTagRequest(tagName: string) {
  return { name: tagName, classification: HEX_CLASSIFICATION, description: 'Hex Tag' };
}
