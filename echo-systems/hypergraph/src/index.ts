export { AtomSpace, type AtomSpaceOptions, type GraphIndexMode } from './AtomSpace.ts';
export { AtomTypes } from './AtomTypes.ts';
export {
  applyChange,
  ChangeLog,
  type ChangeLogRead,
  encodeRecord,
  readChangeLog,
  replayChangeLog,
} from './ChangeLog.ts';
export { crc32 } from './crc32.ts';
export {
  type EpisodeInput,
  type EpisodeKind,
  EpisodicMemory,
  type EpisodicMemoryOptions,
  type ScoredEpisode,
} from './EpisodicMemory.ts';
export { HG_ERRORS, type HgErrorCode, HypergraphError, hgError } from './errors.ts';
export { GraphologyAtomSpace } from './GraphologyAtomSpace.ts';
export type { AtomInit, HypergraphStore } from './HypergraphStore.ts';
export {
  type Binding,
  type LinkPattern,
  matchPattern,
  type PatternClause,
  type PatternQuery,
  type PatternTerm,
} from './matchPattern.ts';
export { fromSnapshot, loadSnapshot, type Snapshot, type SnapshotAtom, saveSnapshot, toSnapshot } from './snapshot.ts';
export {
  type AtomChange,
  type AtomValue,
  type AtomView,
  type AttentionValue,
  type Handle,
  type TruthValue,
  TV_K,
  truthValue,
} from './types.ts';
export { decodeValue, type EncodedValue, encodeValue } from './valueCodec.ts';
