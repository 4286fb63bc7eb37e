import {
  ClientOrderId,
  Decimal,
  InstrumentId,
  OrderSide,
  TradeId,
  toDecimal,
} from '@trading/domain';

/**
 * Data records of a backtest run. Inside the process money, prices and quantities are decimal.js
 * values (`TradingDecimal`); at the JSON boundary they are canonical decimal strings (see the
 * `*Json` shapes and the `*ToJson` / `*FromJson` converters). Timestamps are UTC epoch ms.
 */

/** One execution (fill) as recorded by the backtest. `quantity` is positive; `side` gives the sign. */
export interface FillRecord {
  /** Execution time, UTC epoch ms. */
  readonly ts: number;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  /** Filled quantity (> 0). */
  readonly quantity: Decimal;
  /** Fill price. */
  readonly price: Decimal;
  /** Commission charged for this fill (≥ 0, account currency). */
  readonly commission: Decimal;
  readonly clientOrderId: ClientOrderId;
  readonly tradeId: TradeId;
  /** Contract multiplier (P&L per 1.0 price move per unit); 1 when absent. */
  readonly multiplier?: Decimal;
}

/** Account equity (cash + marked-to-market positions) and cash at one instant. */
export interface EquityPoint {
  readonly ts: number;
  readonly equity: Decimal;
  readonly cash: Decimal;
}

/** Direction of a round-trip trade. */
export type TradeDirection = 'LONG' | 'SHORT';

/**
 * A closed round trip (entry → exit) of one FIFO-matched quantity of one instrument.
 *
 * Excursions (`mae`, `mfe`) are analytics, so they are plain numbers:
 * - `mae` / `mfe`: maximum adverse / favourable excursion **in price units per unit**, measured
 *   from `entryPrice` over the bars seen while the trade was open (bar highs/lows) and the exit
 *   price; both are ≥ 0 (an adverse move of 2.5 gives `mae = 2.5`).
 * - `maeValue` / `mfeValue`: the same excursions **in account currency**
 *   (`excursion × quantity × multiplier`), ≥ 0.
 */
export interface RoundTripTrade {
  readonly instrumentId: InstrumentId;
  readonly direction: TradeDirection;
  /** Time of the entry fill. */
  readonly entryTs: number;
  /** Time of the exit fill. */
  readonly exitTs: number;
  /** Absolute quantity of this round trip (> 0). */
  readonly quantity: Decimal;
  /** Quantity-weighted average entry price. */
  readonly entryPrice: Decimal;
  /** Quantity-weighted average exit price. */
  readonly exitPrice: Decimal;
  /** Contract multiplier used for P&L. */
  readonly multiplier: Decimal;
  /** (exit − entry) × quantity × multiplier, sign-adjusted for shorts. */
  readonly grossPnl: Decimal;
  /** Entry + exit commission attributed pro rata to this quantity. */
  readonly commission: Decimal;
  /** grossPnl − commission. */
  readonly netPnl: Decimal;
  /** netPnl / (entryPrice × quantity × multiplier), as a fraction (0.05 = +5 %); 0 when the entry notional is 0. */
  readonly returnPct: number;
  /** Maximum adverse excursion, price units per unit (≥ 0). */
  readonly mae: number;
  /** Maximum favourable excursion, price units per unit (≥ 0). */
  readonly mfe: number;
  /** Maximum adverse excursion in account currency (≥ 0). */
  readonly maeValue: number;
  /** Maximum favourable excursion in account currency (≥ 0). */
  readonly mfeValue: number;
  /** Number of bars (of this instrument) that closed after the entry and before the exit fill was booked (a fill is booked before its own bar reaches the tracker). */
  readonly barsHeld: number;
  /** Client order id of the entry fill. */
  readonly entryClientOrderId: string;
  /** Client order id of the exit fill. */
  readonly exitClientOrderId: string;
}

/** JSON shape of {@link FillRecord} (decimals as strings). */
export interface FillRecordJson {
  ts: number;
  instrumentId: string;
  side: OrderSide;
  quantity: string;
  price: string;
  commission: string;
  clientOrderId: string;
  tradeId: string;
  multiplier?: string;
}

/** JSON shape of {@link EquityPoint} (decimals as strings). */
export interface EquityPointJson {
  ts: number;
  equity: string;
  cash: string;
}

/** JSON shape of {@link RoundTripTrade} (decimals as strings, analytics as numbers). */
export interface RoundTripTradeJson {
  instrumentId: string;
  direction: TradeDirection;
  entryTs: number;
  exitTs: number;
  quantity: string;
  entryPrice: string;
  exitPrice: string;
  multiplier: string;
  grossPnl: string;
  commission: string;
  netPnl: string;
  returnPct: number;
  mae: number;
  mfe: number;
  maeValue: number;
  mfeValue: number;
  barsHeld: number;
  entryClientOrderId: string;
  exitClientOrderId: string;
}

/** Canonical decimal text (no exponent). */
const dec = (d: Decimal): string => d.toFixed();

/** Converts a fill to its JSON shape. */
export function fillToJson(f: FillRecord): FillRecordJson {
  const out: FillRecordJson = {
    ts: f.ts,
    instrumentId: f.instrumentId,
    side: f.side,
    quantity: dec(f.quantity),
    price: dec(f.price),
    commission: dec(f.commission),
    clientOrderId: f.clientOrderId,
    tradeId: f.tradeId,
  };
  if (f.multiplier !== undefined) out.multiplier = dec(f.multiplier);
  return out;
}

/** Parses a fill from its JSON shape (validates the decimals). */
export function fillFromJson(j: FillRecordJson): FillRecord {
  return {
    ts: j.ts,
    instrumentId: j.instrumentId as InstrumentId,
    side: j.side,
    quantity: toDecimal(j.quantity, 'fill.quantity'),
    price: toDecimal(j.price, 'fill.price'),
    commission: toDecimal(j.commission, 'fill.commission'),
    clientOrderId: j.clientOrderId as ClientOrderId,
    tradeId: j.tradeId as TradeId,
    ...(j.multiplier !== undefined
      ? { multiplier: toDecimal(j.multiplier, 'fill.multiplier') }
      : {}),
  };
}

/** Converts an equity point to its JSON shape. */
export function equityPointToJson(p: EquityPoint): EquityPointJson {
  return { ts: p.ts, equity: dec(p.equity), cash: dec(p.cash) };
}

/** Parses an equity point from its JSON shape. */
export function equityPointFromJson(j: EquityPointJson): EquityPoint {
  return { ts: j.ts, equity: toDecimal(j.equity, 'equity'), cash: toDecimal(j.cash, 'cash') };
}

/** Converts a round trip to its JSON shape. */
export function roundTripToJson(t: RoundTripTrade): RoundTripTradeJson {
  return {
    instrumentId: t.instrumentId,
    direction: t.direction,
    entryTs: t.entryTs,
    exitTs: t.exitTs,
    quantity: dec(t.quantity),
    entryPrice: dec(t.entryPrice),
    exitPrice: dec(t.exitPrice),
    multiplier: dec(t.multiplier),
    grossPnl: dec(t.grossPnl),
    commission: dec(t.commission),
    netPnl: dec(t.netPnl),
    returnPct: t.returnPct,
    mae: t.mae,
    mfe: t.mfe,
    maeValue: t.maeValue,
    mfeValue: t.mfeValue,
    barsHeld: t.barsHeld,
    entryClientOrderId: t.entryClientOrderId,
    exitClientOrderId: t.exitClientOrderId,
  };
}

/** Parses a round trip from its JSON shape. */
export function roundTripFromJson(j: RoundTripTradeJson): RoundTripTrade {
  return {
    ...j,
    instrumentId: j.instrumentId as InstrumentId,
    quantity: toDecimal(j.quantity, 'trade.quantity'),
    entryPrice: toDecimal(j.entryPrice, 'trade.entryPrice'),
    exitPrice: toDecimal(j.exitPrice, 'trade.exitPrice'),
    multiplier: toDecimal(j.multiplier, 'trade.multiplier'),
    grossPnl: toDecimal(j.grossPnl, 'trade.grossPnl'),
    commission: toDecimal(j.commission, 'trade.commission'),
    netPnl: toDecimal(j.netPnl, 'trade.netPnl'),
  };
}
