// Fields OpenMetadata 2.0's answers carry that 1.12's do not: a 2.0 double adds them to every answer that
// shows such an entity, so clients are tested reading answers with fields they do not know.
import type { Reply } from '../../http';
import type { Json } from '../types';

const CONTRACT = { id: '00000000-0000-4000-8000-00000000dc20', type: 'dataContract', name: 'contract', fullyQualifiedName: 'contract', deleted: false };

/** What each kind of entity gains, by the first segment(s) of the resource path. */
function additionsFor(resource: string): Json | null {
  if (/^(dashboards|charts|tags)(\/|$)/.test(resource)) return { dataContract: CONTRACT };
  if (/^services\/\w+Services(\/|$)/.test(resource)) return { style: { color: '#7147E8', iconURL: null } };
  if (/^teams(\/|$)/.test(resource)) return { descendantTeams: [] };
  return null;
}

function addTo(entity: unknown, additions: Json): void {
  if (!entity || typeof entity !== 'object' || typeof (entity as Json).id !== 'string') return;
  for (const [key, value] of Object.entries(additions)) if (!(key in (entity as Json))) (entity as Json)[key] = structuredClone(value);
}

/** The answer to `resource` with 2.0's extra fields (on a copy: answers may be stored entities). */
export function withRelease20Fields(resource: string, answer: Reply): Reply {
  if (answer.status >= 300 || !answer.body || typeof answer.body !== 'object') return answer;
  const body = structuredClone(answer.body) as Json;
  if (/\/bulk$/.test(resource) && Array.isArray(body.successRequest)) {
    for (const list of [body.successRequest, body.failedRequest ?? []]) for (const item of list) if (item && typeof item === 'object') item.hasSideEffects ??= false;
    return { ...answer, body };
  }
  if (resource.startsWith('search/')) {
    for (const hit of body.hits?.hits ?? []) {
      const index = String(hit._index ?? '');
      const additions = index.startsWith('team') ? additionsFor('teams') : index.startsWith('dashboard') ? additionsFor('dashboards') : null;
      if (additions) addTo(hit._source, additions);
    }
    return { ...answer, body };
  }
  const additions = additionsFor(resource);
  if (!additions) return answer;
  addTo(body, additions);
  if (Array.isArray(body.data)) for (const entity of body.data) addTo(entity, additions);
  return { ...answer, body };
}
