import {
  clientOrderId,
  ClientOrderId,
  InstrumentId,
  OrderSide,
  OrderType,
  parseInstrumentId,
  parseOrderSide,
  parseOrderType,
  parseTimeInForce,
  Price,
  Quantity,
  Result,
  strategyId,
  StrategyId,
  TimeInForce,
  TradingDecimal,
  ValidationError,
} from '@trading/domain';

/** How orders of an {@link OrderList} depend on each other. */
export const ContingencyType = {
  /** One-triggers-other: children are released when (and as far as) the parent fills. */
  OTO: 'OTO',
  /** One-cancels-other: a fill of one member reduces (partial) or cancels (full) its siblings. */
  OCO: 'OCO',
} as const;
/** One of {@link ContingencyType}. */
export type ContingencyType = (typeof ContingencyType)[keyof typeof ContingencyType];

/** Contingency metadata carried by each order of a list. */
export interface OrderContingency {
  readonly type: ContingencyType;
  /** Id of the {@link OrderList} the order belongs to. */
  readonly orderListId: string;
  /** Orders this one triggers (OTO parent) or cancels (OCO member). */
  readonly linkedClientOrderIds: readonly ClientOrderId[];
}

/** What a strategy asks for. Validated by {@link validateOrderRequest}; immutable. */
export interface OrderRequest {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Total quantity (strictly positive). */
  readonly quantity: Quantity;
  /** Required for LIMIT and STOP_LIMIT, forbidden otherwise. */
  readonly limitPrice?: Price;
  /** Required for STOP and STOP_LIMIT; optional activation price for TRAILING_STOP; forbidden otherwise. */
  readonly stopPrice?: Price;
  /** Required for TRAILING_STOP (price distance), forbidden otherwise. */
  readonly trailingOffset?: Price;
  readonly timeInForce: TimeInForce;
  /** UTC epoch ms; required for GTD, forbidden otherwise. */
  readonly expireAt?: number;
  readonly reduceOnly?: boolean;
  readonly tags?: readonly string[];
  /** The OTO parent of a contingent child order. */
  readonly parentClientOrderId?: ClientOrderId;
  readonly contingency?: OrderContingency;
}

/** JSON form of an {@link OrderRequest}: decimals as strings. */
export interface OrderRequestJson {
  clientOrderId: string;
  strategyId: string;
  instrumentId: string;
  side: string;
  type: string;
  quantity: string;
  limitPrice?: string;
  stopPrice?: string;
  trailingOffset?: string;
  timeInForce: string;
  expireAt?: number;
  reduceOnly?: boolean;
  tags?: string[];
  parentClientOrderId?: string;
  contingency?: { type: string; orderListId: string; linkedClientOrderIds: string[] };
}

const MAX_TAGS = 16;

/** Scratch list of {@link validateOrderRequest}'s errors (see there). */
const ERRORS: ValidationError[] = [];
const MAX_TAG_LENGTH = 64;

/** A field is present unless undefined or null. */
function has(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * `parse(value, name)`, or undefined with the ValidationError (or a wrapped other error) added to
 * `errors`: every field is checked, so one call reports all problems.
 */
function field<T>(
  errors: ValidationError[],
  raw: unknown,
  parse: (v: unknown, name: string) => T,
  value: unknown,
  name: string,
): T | undefined {
  try {
    return parse(value, name);
  } catch (e) {
    if (e instanceof ValidationError) errors.push(e);
    else errors.push(new ValidationError('orderRequest', raw, String(e)));
    return undefined;
  }
}

// Module-local aliases of the domain parsers (read once, not through a re-export getter per order).
const clientOrderIdOf = clientOrderId;
const strategyIdOf = strategyId;
const instrumentIdOf = parseInstrumentId;
const sideOf = parseOrderSide;
const typeOf = parseOrderType;
const timeInForceOf = parseTimeInForce;
const asClientOrderId = (v: unknown): ClientOrderId => clientOrderIdOf(v as string);
const asStrategyId = (v: unknown): StrategyId => strategyIdOf(v as string);
const asInstrumentId = (v: unknown): InstrumentId => instrumentIdOf(v as string);
const asSide = (v: unknown): OrderSide => sideOf(v);
const asType = (v: unknown): OrderType => typeOf(v);
const asTimeInForce = (v: unknown): TimeInForce => timeInForceOf(v);

/**
 * Validates an order request given as typed values (Price/Quantity) or JSON (decimal strings/numbers).
 * Collects every problem: each ValidationError names the bad field (e.g. `limitPrice`, `expireAt`).
 * Rules: LIMIT needs limitPrice; STOP needs stopPrice; STOP_LIMIT needs both; TRAILING_STOP needs
 * trailingOffset; prices that the type does not use are rejected; GTD needs expireAt (and only GTD
 * may carry it); OPG/CLS only with MARKET or LIMIT.
 */
export function validateOrderRequest(
  raw: unknown,
): Result<OrderRequest, readonly ValidationError[]> {
  // Small on purpose: the Result is made here, in a function that inlines into its caller, where
  // V8's escape analysis can drop it (the caller reads `ok` and `value` and lets it go).
  const req = checkedRequest(raw);
  if (req !== undefined) return { ok: true, value: req };
  const found = ERRORS.slice();
  ERRORS.length = 0;
  return { ok: false, error: found };
}

/**
 * The validated request, or undefined with every problem in {@link ERRORS}: a module-level
 * scratch list (emptied first, copied out by the caller only on failure), so a valid request, the
 * common case, allocates no error list. Nothing called from here calls back into it.
 */
function checkedRequest(raw: unknown): OrderRequest | undefined {
  const errors = ERRORS;
  if (errors.length !== 0) errors.length = 0; // (setting the length is a call, even to 0)
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(new ValidationError('orderRequest', raw, 'must be an object'));
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  // Optional fields read once (a keyed read per use is a megamorphic lookup on this hot path).
  const rawLimit = o['limitPrice'];
  const rawStop = o['stopPrice'];
  const rawTrail = o['trailingOffset'];
  const rawExpire = o['expireAt'];
  const rawReduce = o['reduceOnly'];
  const rawTags = o['tags'];
  const rawParent = o['parentClientOrderId'];
  const rawContingency = o['contingency'];
  // Module-level parsers called through `field` (no closure per field: this runs for every order).
  const coid = field(errors, raw, asClientOrderId, o['clientOrderId'], 'clientOrderId');
  const sid = field(errors, raw, asStrategyId, o['strategyId'], 'strategyId');
  const iid = field(errors, raw, asInstrumentId, o['instrumentId'], 'instrumentId');
  const side = field(errors, raw, asSide, o['side'], 'side');
  const type = field(errors, raw, asType, o['type'], 'type');
  const tif = field(errors, raw, asTimeInForce, o['timeInForce'], 'timeInForce');
  const quantity = field(errors, raw, toQty, o['quantity'], 'quantity');
  const limitPrice = has(rawLimit) ? field(errors, raw, toPx, rawLimit, 'limitPrice') : undefined;
  const stopPrice = has(rawStop) ? field(errors, raw, toPx, rawStop, 'stopPrice') : undefined;
  const trailingOffset = has(rawTrail)
    ? field(errors, raw, toPx, rawTrail, 'trailingOffset')
    : undefined;

  if (type !== undefined) {
    const needLimit = type === 'LIMIT' || type === 'STOP_LIMIT';
    const needStop = type === 'STOP' || type === 'STOP_LIMIT';
    if (needLimit && !has(rawLimit))
      errors.push(new ValidationError('limitPrice', rawLimit, `is required for ${type} orders`));
    if (!needLimit && has(rawLimit))
      errors.push(new ValidationError('limitPrice', rawLimit, `must be absent for ${type} orders`));
    if (needStop && !has(rawStop))
      errors.push(new ValidationError('stopPrice', rawStop, `is required for ${type} orders`));
    if (!needStop && type !== 'TRAILING_STOP' && has(rawStop))
      errors.push(new ValidationError('stopPrice', rawStop, `must be absent for ${type} orders`));
    if (type === 'TRAILING_STOP' && !has(rawTrail))
      errors.push(
        new ValidationError('trailingOffset', rawTrail, 'is required for TRAILING_STOP orders'),
      );
    if (type !== 'TRAILING_STOP' && has(rawTrail))
      errors.push(
        new ValidationError('trailingOffset', rawTrail, `must be absent for ${type} orders`),
      );
    if ((tif === 'OPG' || tif === 'CLS') && type !== 'MARKET' && type !== 'LIMIT')
      errors.push(
        new ValidationError('timeInForce', tif, `${tif} is only valid for MARKET or LIMIT orders`),
      );
  }
  let expireAt: number | undefined;
  if (tif === 'GTD') {
    const v = rawExpire;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      errors.push(
        new ValidationError(
          'expireAt',
          v,
          'is required for GTD orders (UTC epoch ms, non-negative integer)',
        ),
      );
    else expireAt = v;
  } else if (tif !== undefined && has(rawExpire)) {
    errors.push(
      new ValidationError(
        'expireAt',
        rawExpire,
        `must be absent for ${tif} orders (only GTD expires at a time)`,
      ),
    );
  }
  let reduceOnly: boolean | undefined;
  if (has(rawReduce)) {
    if (typeof rawReduce !== 'boolean')
      errors.push(new ValidationError('reduceOnly', rawReduce, 'must be a boolean'));
    else reduceOnly = rawReduce as boolean;
  }
  let tags: readonly string[] | undefined;
  if (has(rawTags)) {
    const t = rawTags;
    if (
      !Array.isArray(t) ||
      t.length > MAX_TAGS ||
      !t.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_TAG_LENGTH)
    ) {
      errors.push(
        new ValidationError(
          'tags',
          t,
          `must be an array of at most ${MAX_TAGS} non-empty strings of at most ${MAX_TAG_LENGTH} characters`,
        ),
      );
    } else tags = Object.freeze([...(t as string[])]);
  }
  const parent = has(rawParent)
    ? field(errors, raw, asClientOrderId, rawParent, 'parentClientOrderId')
    : undefined;
  if (parent !== undefined && parent === coid)
    errors.push(
      new ValidationError('parentClientOrderId', parent, 'must differ from clientOrderId'),
    );
  const contingency = has(rawContingency)
    ? field(errors, raw, toContingency, rawContingency, 'contingency')
    : undefined;

  if (errors.length > 0) return undefined;
  // Optional fields are set only when present (no spreads of temporary objects).
  const req: { -readonly [K in keyof OrderRequest]: OrderRequest[K] } = {
    clientOrderId: coid as ClientOrderId,
    strategyId: sid as StrategyId,
    instrumentId: iid as InstrumentId,
    side: side as OrderSide,
    type: type as OrderType,
    quantity: quantity as Quantity,
    timeInForce: tif as TimeInForce,
  };
  if (limitPrice !== undefined) req.limitPrice = limitPrice;
  if (stopPrice !== undefined) req.stopPrice = stopPrice;
  if (trailingOffset !== undefined) req.trailingOffset = trailingOffset;
  if (expireAt !== undefined) req.expireAt = expireAt;
  if (reduceOnly !== undefined) req.reduceOnly = reduceOnly;
  if (tags !== undefined) req.tags = tags;
  if (parent !== undefined) req.parentClientOrderId = parent;
  if (contingency !== undefined) req.contingency = contingency;
  return req;
}

/** Like {@link validateOrderRequest} but throws the first ValidationError (for decoders). */
export function parseOrderRequest(raw: unknown, path = 'request'): OrderRequest {
  const r = validateOrderRequest(raw);
  if (!r.ok) {
    const e = r.error[0];
    throw new ValidationError(
      `${path}.${e.field}`,
      e.value,
      e.message.slice(e.field.length + 2).replace(/, got .*$/s, ''),
    );
  }
  return r.value;
}

/** JSON form of a request (decimals as canonical strings; absent optionals omitted). */
export function encodeOrderRequest(r: OrderRequest): OrderRequestJson {
  const j: OrderRequestJson = {
    clientOrderId: r.clientOrderId,
    strategyId: r.strategyId,
    instrumentId: r.instrumentId,
    side: r.side,
    type: r.type,
    quantity: r.quantity.toString(),
    timeInForce: r.timeInForce,
  };
  if (r.limitPrice) j.limitPrice = r.limitPrice.toString();
  if (r.stopPrice) j.stopPrice = r.stopPrice.toString();
  if (r.trailingOffset) j.trailingOffset = r.trailingOffset.toString();
  if (r.expireAt !== undefined) j.expireAt = r.expireAt;
  if (r.reduceOnly !== undefined) j.reduceOnly = r.reduceOnly;
  if (r.tags) j.tags = [...r.tags];
  if (r.parentClientOrderId) j.parentClientOrderId = r.parentClientOrderId;
  if (r.contingency)
    j.contingency = {
      type: r.contingency.type,
      orderListId: r.contingency.orderListId,
      linkedClientOrderIds: [...r.contingency.linkedClientOrderIds],
    };
  return j;
}

/**
 * Validated order quantities by their text, shared (Quantity is immutable): strategies send the
 * same few sizes over and over, and parsing one costs a decimal construction. Bounded; only valid
 * quantities are kept, so an invalid text still fails with its own field name every time.
 */
const QUANTITY_BY_TEXT = new Map<string, Quantity>();
const QUANTITY_BY_TEXT_MAX = 1024;
/** Longer texts are parsed every time (the cache never holds large keys). */
const QUANTITY_TEXT_MAX_LENGTH = 40;

// Module-local aliases of the domain classes read per order (a read of an import is a call of a
// re-export getter each time).
const OurDecimal = TradingDecimal;
const QuantityOf = Quantity;
const PriceOf = Price;

/** Validated order quantities given as numbers, shared likewise (bounded; valid ones only). */
const QUANTITY_BY_NUMBER = new Map<number, Quantity>();

/**
 * True when `d` passes `Quantity.positive` / `Price.positive` unchanged: already one of our
 * decimals (toDecimal returns it as is), finite, above zero and below 1e18 in magnitude (an
 * exponent below 18 never needs toDecimal's exact bound check).
 */
function isValidPositive(d: unknown): boolean {
  return d instanceof OurDecimal && d.isFinite() && d.isPositive() && !d.isZero() && d.e < 18;
}

/**
 * The quantity field: a Quantity that is already a valid positive quantity is returned as is
 * (immutable, and `Quantity.positive` would only wrap the very same decimal again); texts and
 * numbers are parsed once and shared.
 */
function toQty(v: unknown, f: string): Quantity {
  if (v instanceof QuantityOf) return isValidPositive(v.value) ? v : Quantity.positive(v.value, f);
  if (typeof v === 'number') {
    let q = QUANTITY_BY_NUMBER.get(v);
    if (q === undefined) {
      q = Quantity.positive(v, f);
      if (QUANTITY_BY_NUMBER.size >= QUANTITY_BY_TEXT_MAX) QUANTITY_BY_NUMBER.clear();
      QUANTITY_BY_NUMBER.set(v, q);
    }
    return q;
  }
  if (typeof v !== 'string' || v.length > QUANTITY_TEXT_MAX_LENGTH)
    return Quantity.positive(v as string, f);
  let q = QUANTITY_BY_TEXT.get(v);
  if (q === undefined) {
    q = Quantity.positive(v, f);
    if (QUANTITY_BY_TEXT.size >= QUANTITY_BY_TEXT_MAX) QUANTITY_BY_TEXT.clear();
    QUANTITY_BY_TEXT.set(v, q);
  }
  return q;
}

/** A price field; a Price that is already valid and positive is returned as is (see toQty). */
function toPx(v: unknown, f: string): Price {
  if (v instanceof PriceOf) return isValidPositive(v.value) ? v : Price.positive(v.value, f);
  return Price.positive(v as string, f);
}

const LIST_ID = /^[A-Za-z0-9._:\-/]{1,128}$/;

function toContingency(v: unknown): OrderContingency {
  if (typeof v !== 'object' || v === null)
    throw new ValidationError('contingency', v, 'must be an object');
  const c = v as Record<string, unknown>;
  if (c['type'] !== 'OTO' && c['type'] !== 'OCO')
    throw new ValidationError('contingency.type', c['type'], 'must be OTO or OCO');
  const listId = c['orderListId'];
  if (typeof listId !== 'string' || !LIST_ID.test(listId))
    throw new ValidationError(
      'contingency.orderListId',
      listId,
      'must be 1-128 letters, digits or . _ : - /',
    );
  const linked = c['linkedClientOrderIds'];
  if (!Array.isArray(linked))
    throw new ValidationError(
      'contingency.linkedClientOrderIds',
      linked,
      'must be an array of client order ids',
    );
  return {
    type: c['type'] as ContingencyType,
    orderListId: listId,
    linkedClientOrderIds: Object.freeze(linked.map((x) => clientOrderId(x as string))),
  };
}
