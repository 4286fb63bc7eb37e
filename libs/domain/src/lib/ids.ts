import { ValidationError } from './errors';

declare const brand: unique symbol;
/** A string with a compile-time brand so different id kinds cannot be mixed up. */
export type Branded<T, B extends string> = T & { readonly [brand]: B };

/** Client order id: ours, deterministic, ≤ 128 chars (Alpaca's limit). */
export type ClientOrderId = Branded<string, 'ClientOrderId'>;
/** The venue's id for an order. */
export type VenueOrderId = Branded<string, 'VenueOrderId'>;
/** Strategy instance id. */
export type StrategyId = Branded<string, 'StrategyId'>;
/** Execution (trade/fill) id as reported by the venue; used to de-duplicate fills. */
export type TradeId = Branded<string, 'TradeId'>;
/** Account id at a venue. */
export type AccountId = Branded<string, 'AccountId'>;

/** Longest client order id any supported venue accepts. */
export const MAX_CLIENT_ORDER_ID_LENGTH = 128;

const ID_TEXT = /^[A-Za-z0-9._:\-/]+$/;

function idOf<T>(field: string, value: unknown, maxLength: number): T {
  if (typeof value !== 'string' || value.length === 0)
    throw new ValidationError(field, value, 'must be a non-empty string');
  if (value.length > maxLength)
    throw new ValidationError(field, value, `must be at most ${maxLength} characters`);
  if (!ID_TEXT.test(value))
    throw new ValidationError(field, value, 'may contain only letters, digits and . _ : - /');
  return value as T;
}

/** Validates a client order id. */
export const clientOrderId = (v: string): ClientOrderId =>
  idOf<ClientOrderId>('clientOrderId', v, MAX_CLIENT_ORDER_ID_LENGTH);
/** Validates a venue order id. */
export const venueOrderId = (v: string): VenueOrderId => idOf<VenueOrderId>('venueOrderId', v, 256);
/** Validates a strategy id (≤ 64 chars so client order ids stay within 128). */
export const strategyId = (v: string): StrategyId => idOf<StrategyId>('strategyId', v, 64);
/** Validates a trade (execution) id. */
export const tradeId = (v: string): TradeId => idOf<TradeId>('tradeId', v, 256);
/** Validates an account id. */
export const accountId = (v: string): AccountId => idOf<AccountId>('accountId', v, 128);
