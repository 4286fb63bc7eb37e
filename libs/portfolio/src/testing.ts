/** Test helpers of @trading/portfolio: fill builders and a ready-made portfolio for other libs' tests. */
import { Instrument, Money, OrderSide, Price, Quantity, DecimalInput } from '@trading/domain';
import { testEquity, testFuture } from '@trading/domain/testing';
import { Fill, Portfolio, PortfolioOptions } from './lib/portfolio';

/** Fields of {@link makeFill}; decimals may be strings or numbers. */
export interface FillSpec {
  instrumentId: string;
  side: OrderSide | 'BUY' | 'SELL';
  quantity: DecimalInput;
  price: DecimalInput;
  /** Commission in `currency` (default 0). */
  commission?: DecimalInput;
  currency?: string;
  /** Default 0. */
  ts?: number;
  tradeId?: string;
  clientOrderId?: string;
}

/** Builds a {@link Fill} from plain values. */
export function makeFill(spec: FillSpec): Fill {
  return {
    instrumentId: spec.instrumentId,
    side: spec.side,
    quantity: Quantity.positive(spec.quantity),
    price: Price.of(spec.price),
    commission: Money.of(spec.commission ?? 0, spec.currency ?? 'USD'),
    ts: spec.ts ?? 0,
    ...(spec.tradeId !== undefined ? { tradeId: spec.tradeId } : {}),
    ...(spec.clientOrderId !== undefined ? { clientOrderId: spec.clientOrderId } : {}),
  };
}

/** A BUY fill. */
export function buy(
  instrumentId: string,
  quantity: DecimalInput,
  price: DecimalInput,
  extra: Partial<FillSpec> = {},
): Fill {
  return makeFill({ ...extra, instrumentId, side: 'BUY', quantity, price });
}

/** A SELL fill. */
export function sell(
  instrumentId: string,
  quantity: DecimalInput,
  price: DecimalInput,
  extra: Partial<FillSpec> = {},
): Fill {
  return makeFill({ ...extra, instrumentId, side: 'SELL', quantity, price });
}

/** Instruments used by the portfolio tests: an equity (×1), an equity-style ×10 contract and futures (×10, ×50). */
export function testInstruments(): Instrument[] {
  return [
    testEquity('AAA'),
    testEquity('BBB'),
    testEquity('TEN', { multiplier: '10' }),
    testFuture('FUT'),
    testFuture('BIG', { multiplier: '50' }),
  ];
}

/** A portfolio over {@link testInstruments} (or `options.instruments`) with 100,000 USD by default. */
export function testPortfolio(options: Partial<PortfolioOptions> = {}): Portfolio {
  return new Portfolio({ startingCash: '100000', instruments: testInstruments(), ...options });
}
