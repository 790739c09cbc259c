import type { BoothConfig, OperatorRole } from '../../config/schema.ts';
import { DocumentCatalogue } from '../../config/documents/document-catalogue.ts';
import type { DocumentChoice } from '../../flows/operator/services.ts';
import type { OperatorConfigSource } from '../operator/operator-access.ts';
import type { AuditInput } from '../operator/operator-audit.ts';

/** Every document the booth can make (built in, or the operator's own specs) and whether it is offered. */
export function documentChoices(config: BoothConfig): DocumentChoice[] {
  const offered = new Set(config.documents);
  return DocumentCatalogue.withOperatorSpecs(config.documentSpecs)
    .ids()
    .map((id) => ({ id, enabled: offered.has(id) }));
}

/**
 * Offers a document or stops offering it, in the unit's config (validated by its schema: the
 * last one offered cannot go, and an id with no spec cannot come), audited, applied from the
 * next customer on by the config source. Returns the choices as the config now has them.
 */
export function setDocumentOffered(
  input: { documentId: string; enabled: boolean; role: OperatorRole },
  deps: { config: OperatorConfigSource; audit: (entry: AuditInput) => void },
): DocumentChoice[] {
  const before = deps.config.current().documents;
  const next = deps.config.update((draft) => {
    const current = draft.documents ?? before;
    draft.documents = input.enabled
      ? current.includes(input.documentId)
        ? current
        : [...current, input.documentId]
      : current.filter((id) => id !== input.documentId);
  });
  deps.audit({
    role: input.role,
    action: input.enabled ? 'document-offered' : 'document-withdrawn',
    subject: input.documentId,
    before,
    after: next.documents,
  });
  return documentChoices(next);
}
