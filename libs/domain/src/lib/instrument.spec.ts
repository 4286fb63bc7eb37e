import { Instrument, instrumentId, parseInstrumentId, symbolOf, venueOf } from './instrument';
import { Price, Quantity } from './values';
import { ValidationError } from './errors';
import { clientOrderId, strategyId, MAX_CLIENT_ORDER_ID_LENGTH } from './ids';
import { parseOrderSide, parseTimeInForce, parseOrderType, sideSign, oppositeSide } from './orders';
import { validateBar, validateQuote, validateTick, midPrice, priceFromNumber } from './market-data';

describe('Instrument', () => {
  const es = new Instrument({
    id: 'ES.CME',
    assetClass: 'FUTURE',
    tickSize: '0.25',
    lotSize: '1',
    multiplier: '50',
  });

  it('parses ids and exposes symbol and venue', () => {
    expect(es.symbol).toBe('ES');
    expect(es.venue).toBe('CME');
    expect(parseInstrumentId('BRK.B.XNYS')).toBe('BRK.B.XNYS');
    expect(symbolOf(parseInstrumentId('BRK.B.XNYS'))).toBe('BRK.B');
    expect(venueOf(instrumentId('AAPL', 'XNAS'))).toBe('XNAS');
    expect(() => parseInstrumentId('AAPL')).toThrow(/instrumentId: must look like SYMBOL.VENUE/);
    expect(() => instrumentId('AA PL', 'X')).toThrow(/symbol/);
    expect(() => instrumentId('AAPL', 'xnas')).toThrow(/venue/);
  });

  it('validates every id it has not seen, past the bound of its cache of valid ids', () => {
    for (let i = 0; i < 5000; i++) expect(parseInstrumentId(`S${i}.SIM`)).toBe(`S${i}.SIM`);
    expect(parseInstrumentId('S1.SIM')).toBe('S1.SIM');
    expect(() => parseInstrumentId('S1.sim')).toThrow(/venue/);
    expect(() => parseInstrumentId('S 1.SIM')).toThrow(/symbol/);
    expect(() => parseInstrumentId('S1.')).toThrow(/SYMBOL.VENUE/);
    expect(() => parseInstrumentId(42 as unknown as string)).toThrow(/SYMBOL.VENUE/);
  });

  it('rounds and validates prices against the tick', () => {
    expect(es.roundPrice(Price.of('4500.13')).toString()).toBe('4500.25');
    expect(() => es.validatePrice(Price.of('4500.10'))).toThrow(
      'price: must be a multiple of tick size 0.25 for ES.CME, got "4500.1"',
    );
    expect(es.validatePrice(Price.of('4500.50')).toString()).toBe('4500.5');
  });

  it('validates quantities against lot and minimum', () => {
    const eq = new Instrument({ id: 'X.SIM', lotSize: '10', minQuantity: '20' });
    expect(() => eq.validateQuantity(Quantity.of('15'))).toThrow(/multiple of lot size 10/);
    expect(() => eq.validateQuantity(Quantity.of('10'))).toThrow(/at least 20/);
    expect(() => eq.validateQuantity(Quantity.of('0'))).toThrow(/greater than 0/);
    expect(eq.validateQuantity(Quantity.of('30')).toString()).toBe('30');
    expect(eq.roundQuantity(Quantity.of('39')).toString()).toBe('30');
  });

  it('computes notional with the multiplier', () => {
    expect(es.notional(Quantity.of(2), Price.of('4500.25')).toFixed()).toBe('450025');
  });

  it('rejects bad specs naming the field', () => {
    expect(() => new Instrument({ id: 'X.SIM', tickSize: '0' })).toThrow(
      /tickSize: must be greater than 0/,
    );
    expect(() => new Instrument({ id: 'X.SIM', multiplier: -1 })).toThrow(/multiplier/);
    expect(() => new Instrument({ id: 'X.SIM', assetClass: 'BOND' as never })).toThrow(
      /assetClass/,
    );
    expect(new Instrument({ id: 'X.SIM' }).toJSON()).toMatchObject({
      tickSize: '0.01',
      lotSize: '1',
      multiplier: '1',
    });
  });
});

describe('ids and enums', () => {
  it('validates client order ids up to 128 chars', () => {
    expect(clientOrderId('S1-000001')).toBe('S1-000001');
    expect(() => clientOrderId('x'.repeat(MAX_CLIENT_ORDER_ID_LENGTH + 1))).toThrow(
      /at most 128 characters/,
    );
    expect(() => clientOrderId('')).toThrow(ValidationError);
    expect(() => clientOrderId('a b')).toThrow(/may contain only/);
    expect(() => strategyId('s'.repeat(65))).toThrow(/at most 64/);
  });
  it('parses sides, types and TIF', () => {
    expect(parseOrderSide('BUY')).toBe('BUY');
    expect(() => parseOrderSide('buy')).toThrow('side: must be one of BUY, SELL, got "buy"');
    expect(parseTimeInForce('GTD')).toBe('GTD');
    expect(() => parseOrderType('ICEBERG')).toThrow(
      /type: must be one of MARKET, LIMIT, STOP, STOP_LIMIT, TRAILING_STOP/,
    );
    expect(sideSign('SELL')).toBe(-1);
    expect(oppositeSide('BUY')).toBe('SELL');
  });
});

describe('market data validation', () => {
  const id = parseInstrumentId('X.SIM');
  it('accepts a valid bar and rejects broken ones naming the field', () => {
    const bar = {
      instrumentId: id,
      ts: 1000,
      open: 10,
      high: 11,
      low: 9,
      close: 10.5,
      volume: 100,
    };
    expect(validateBar(bar)).toBe(bar);
    expect(() => validateBar({ ...bar, high: 8 })).toThrow('bar.high: must be ≥ low (9), got 8');
    expect(() => validateBar({ ...bar, open: 12 })).toThrow(/bar.open: must be within/);
    expect(() => validateBar({ ...bar, close: NaN })).toThrow(/bar.close: must be a finite number/);
    expect(() => validateBar({ ...bar, volume: -1 })).toThrow(/bar.volume/);
    expect(() => validateBar({ ...bar, ts: 1.5 })).toThrow(/bar.ts/);
  });
  it('validates ticks and quotes', () => {
    expect(() => validateTick({ instrumentId: id, ts: 1, price: 0, size: 1 })).toThrow(
      /tick.price/,
    );
    expect(() =>
      validateQuote({ instrumentId: id, ts: 1, bid: 11, ask: 10, bidSize: 1, askSize: 1 }),
    ).toThrow(/quote.bid: must be ≤ ask/);
    const q = validateQuote({
      instrumentId: id,
      ts: 1,
      bid: 10,
      ask: 10.5,
      bidSize: 1,
      askSize: 1,
    });
    expect(midPrice(q)).toBe(10.25);
    expect(priceFromNumber(12.34).toString()).toBe('12.34');
  });
});
