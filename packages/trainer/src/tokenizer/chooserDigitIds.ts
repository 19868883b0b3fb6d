import { TrainerError } from '../TrainerError.ts';
import { type SpmVocab, TOKEN_TYPE } from './SpmVocab.ts';

/**
 * The token ids of "1" … "9" that `EngineChooser` (`@dte/aar`) allows as answers: for each digit the
 * lowest id whose bytes are exactly that digit and which is not special. In a byte-fallback vocabulary
 * that is the byte token `<0x31>` …, not the character piece "1", so training answers must use it.
 */
export function chooserDigitIds(vocab: SpmVocab): number[] {
  const out: number[] = [];
  for (let d = 1; d <= 9; d++) {
    const ch = String(d);
    const byte = `<0x${(0x30 + d).toString(16).toUpperCase()}>`;
    const id = vocab.pieces.findIndex(
      (p, i) =>
        (vocab.types[i] === TOKEN_TYPE.NORMAL && p === ch) || (vocab.types[i] === TOKEN_TYPE.BYTE && p === byte),
    );
    if (id < 0) throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `chooserDigitIds: no token for ${ch}`);
    out.push(id);
  }
  return out;
}
