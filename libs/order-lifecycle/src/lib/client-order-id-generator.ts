import {
  ClientOrderId,
  MAX_CLIENT_ORDER_ID_LENGTH,
  StrategyId,
  strategyId as parseStrategyId,
  ValidationError,
} from '@trading/domain';

/**
 * Deterministic client order ids `<strategyId>-<seq>` (seq = 1, 2, 3, ... in decimal, no padding).
 * Ids are unique per strategy as long as the sequence is recovered after a restart: persist
 * `sequence` (or recover it from known ids with {@link ClientOrderIdGenerator.recover}) and pass it
 * back to the constructor. Every id is validated (≤ 128 characters, Alpaca's limit).
 */
export class ClientOrderIdGenerator {
  private seq: number;
  readonly strategyId: StrategyId;
  /** `<strategyId>-`, built once. */
  private readonly prefix: string;

  /** @param lastSequence the last sequence number already used (0 for a fresh strategy). */
  constructor(strategyId: StrategyId | string, lastSequence = 0) {
    this.strategyId = parseStrategyId(strategyId);
    if (!Number.isSafeInteger(lastSequence) || lastSequence < 0)
      throw new ValidationError(
        'lastSequence',
        lastSequence,
        'must be a non-negative safe integer',
      );
    this.seq = lastSequence;
    this.prefix = `${this.strategyId}-`;
    // the longest possible id must fit the venue limit
    const longest = `${this.strategyId}-${Number.MAX_SAFE_INTEGER}`;
    if (longest.length > MAX_CLIENT_ORDER_ID_LENGTH)
      throw new ValidationError(
        'strategyId',
        strategyId,
        `is too long for client order ids of at most ${MAX_CLIENT_ORDER_ID_LENGTH} characters`,
      );
  }

  /** The last sequence number handed out (persist it to recover after a restart). */
  get sequence(): number {
    return this.seq;
  }

  /**
   * The next id. Valid by construction, so not checked again: the strategy id passed
   * `strategyId()`, `-` and digits are allowed characters, and the constructor checked that the
   * longest possible id fits {@link MAX_CLIENT_ORDER_ID_LENGTH}.
   */
  next(): ClientOrderId {
    if (this.seq >= Number.MAX_SAFE_INTEGER)
      throw new ValidationError('sequence', this.seq, 'is exhausted');
    this.seq++;
    return (this.prefix + this.seq) as ClientOrderId;
  }

  /** The sequence number of an id produced for this strategy, or undefined for a foreign id. */
  sequenceOf(id: string): number | undefined {
    const prefix = `${this.strategyId}-`;
    if (!id.startsWith(prefix)) return undefined;
    const tail = id.slice(prefix.length);
    if (!/^[1-9][0-9]*$/.test(tail)) return undefined;
    const n = Number(tail);
    return Number.isSafeInteger(n) ? n : undefined;
  }

  /** A generator continuing after the highest sequence found among `knownIds` (e.g. all orders in the recovered book). */
  static recover(
    strategyId: StrategyId | string,
    knownIds: Iterable<string>,
    lastSequence = 0,
  ): ClientOrderIdGenerator {
    const g = new ClientOrderIdGenerator(strategyId, lastSequence);
    let max = lastSequence;
    for (const id of knownIds) {
      const n = g.sequenceOf(id);
      if (n !== undefined && n > max) max = n;
    }
    return new ClientOrderIdGenerator(strategyId, max);
  }
}
