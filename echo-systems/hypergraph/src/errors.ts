import { DteError, type ErrorSpec, formatError } from '@dte/echo-kit';

/**
 * Every error code the hypergraph package throws, with its message template.
 *
 * | code | meaning | fix |
 * |---|---|---|
 * | DTE_ERR_HG_NOT_FOUND | the handle names no live atom | check `has(h)`; the atom may have been removed |
 * | DTE_ERR_HG_BAD_ARGUMENT | an argument has the wrong shape or range | pass the documented type/range |
 * | DTE_ERR_HG_UNKNOWN_TYPE | the atom type name is not registered | `types.define(name, parent)` first |
 * | DTE_ERR_HG_TYPE_KIND | a node type used for a link or the reverse | use a Node subtype for nodes, a Link subtype for links |
 * | DTE_ERR_HG_HAS_INCOMING | plain removal of an atom that links still point to | remove with `{ recursive: true }` |
 * | DTE_ERR_HG_BAD_QUERY | a malformed pattern query | see `PatternQuery` |
 * | DTE_ERR_HG_BAD_SNAPSHOT | a snapshot file is not a valid snapshot | restore from another snapshot |
 * | DTE_ERR_HG_LOG_CORRUPT | a change-log record before the tail fails its checksum | the log was damaged, not torn; restore from a snapshot |
 * | DTE_ERR_HG_HANDLE_TAKEN | restoring an atom onto a handle already in use | restore into an empty store |
 */
export const HG_ERRORS = {
  DTE_ERR_HG_NOT_FOUND: { code: 'DTE_ERR_HG_NOT_FOUND', message: '%s: no atom with handle %s' },
  DTE_ERR_HG_BAD_ARGUMENT: { code: 'DTE_ERR_HG_BAD_ARGUMENT', message: '%s: %s' },
  DTE_ERR_HG_UNKNOWN_TYPE: { code: 'DTE_ERR_HG_UNKNOWN_TYPE', message: '%s: unknown atom type %s' },
  DTE_ERR_HG_TYPE_KIND: { code: 'DTE_ERR_HG_TYPE_KIND', message: '%s: type %s is not a %s type' },
  DTE_ERR_HG_HAS_INCOMING: {
    code: 'DTE_ERR_HG_HAS_INCOMING',
    message: '%s: atom %s has %s incoming links; remove recursively',
  },
  DTE_ERR_HG_BAD_QUERY: { code: 'DTE_ERR_HG_BAD_QUERY', message: '%s: %s' },
  DTE_ERR_HG_BAD_SNAPSHOT: { code: 'DTE_ERR_HG_BAD_SNAPSHOT', message: '%s: %s' },
  DTE_ERR_HG_LOG_CORRUPT: { code: 'DTE_ERR_HG_LOG_CORRUPT', message: '%s: corrupt record at byte %s (%s)' },
  DTE_ERR_HG_HANDLE_TAKEN: { code: 'DTE_ERR_HG_HANDLE_TAKEN', message: '%s: handle %s is already in use' },
} as const satisfies Record<string, ErrorSpec>;

/** A code of the hypergraph registry. */
export type HgErrorCode = keyof typeof HG_ERRORS;

/** The typed error of the hypergraph package; match on `code`. */
export class HypergraphError extends DteError {
  declare readonly code: HgErrorCode;
}

/** Builds a `HypergraphError` from the registry (the one factory). */
export function hgError(code: HgErrorCode, ...args: unknown[]): HypergraphError {
  return new HypergraphError(code, formatError(HG_ERRORS[code], args));
}
