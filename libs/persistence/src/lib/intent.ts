import { ValidationError } from '@trading/domain';
import type { WalJsonValue } from './json';
import type { StateStore } from './state-store.port';

/** Record type of an order intent. */
export const ORDER_INTENT_RECORD_TYPE = 'order.intent';

/**
 * An order intent: written (and acknowledged) before the broker is called, so that after a crash
 * reconciliation can find the order at the venue by its client order id. Decimals travel as strings.
 */
export interface OrderIntentRecord {
  /** Deterministic client order id sent to the broker. */
  readonly clientOrderId: string;
  /** Instrument symbol/id. */
  readonly instrument: string;
  /** `buy` or `sell`. */
  readonly side: string;
  /** Quantity as a decimal string. */
  readonly quantity: string;
  /** Order type (e.g. `market`, `limit`). */
  readonly orderType: string;
  /** Limit price as a decimal string, if any. */
  readonly limitPrice?: string;
  /** UTC epoch ms from the engine's Clock. */
  readonly createdAt: number;
  /** Anything else the engine needs to rebuild the order (plain JSON). */
  readonly extra?: { readonly [key: string]: WalJsonValue };
}

/**
 * Appends an order intent and resolves with its sequence once it is durable. Call the broker only
 * after this resolves; if it rejects, do not send the order.
 */
export async function appendOrderIntent(
  store: StateStore,
  intent: OrderIntentRecord,
): Promise<number> {
  if (typeof intent.clientOrderId !== 'string' || intent.clientOrderId.length === 0) {
    throw new ValidationError('intent.clientOrderId', intent.clientOrderId, 'a non-empty string');
  }
  return store.append(ORDER_INTENT_RECORD_TYPE, intent as unknown as WalJsonValue);
}
